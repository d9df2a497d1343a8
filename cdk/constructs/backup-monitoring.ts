import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  CLUSTER_DIMENSION,
  DURATION_METRIC,
  METRICS_NAMESPACE,
  OUTCOME_METRICS,
} from '../../lambdas/shared/metrics.ts';
import type { TaskFunctionName } from '../../statemachines/definitions.ts';
import { FUNCTION_ACCESS } from './function-access.ts';
import type { NodeFunction } from './node-function.ts';

/**
 * The `service` dimension Powertools Metrics adds to every EMF document the code emits: the deployment's identity,
 * which the construct passes to every function as POWERTOOLS_SERVICE_NAME (lambdas/shared/metrics.ts). CloudWatch
 * stores a metric per dimension set, so an alarm must name it too; a test checks this against real output.
 */
export function emfServiceDimension(service: string): { readonly service: string } {
  return { service };
}

/** Properties of the alarms and the dashboard. */
export interface BackupMonitoringProps {
  readonly topic: sns.ITopic;
  readonly nightly: sfn.StateMachine;
  readonly backupDatabase: sfn.StateMachine;
  /** The lanes of nightly runs (they work the run's queue). */
  readonly backupLane: sfn.StateMachine;
  /** The `service` dimension of the metrics the functions emit (the deployment's identity). */
  readonly metricsService: string;
  readonly functions: Readonly<Record<TaskFunctionName, NodeFunction>>;
  readonly deadLetterQueue: sqs.IQueue;
  readonly scheduleGroup: scheduler.IScheduleGroup;
  readonly clusters: readonly string[];
}

/** A backup outcome metric of one cluster, as the code emits it (EMF, lambdas/shared/metrics.ts). */
export function clusterMetric(
  metricName: string,
  cluster: string,
  options: { statistic: string; period: Duration; service: string },
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { ...emfServiceDimension(options.service), [CLUSTER_DIMENSION]: cluster },
    statistic: options.statistic,
    period: options.period,
  });
}

/**
 * An alarm that fires on one evaluation period in which `metric` reaches `threshold` (default 1), treats missing
 * data as fine (no runs, no failures), and notifies `action`.
 */
export function atLeastOnceAlarm(
  scope: Construct,
  id: string,
  options: {
    readonly metric: cloudwatch.IMetric;
    readonly description: string;
    readonly action: cloudwatch.IAlarmAction;
    readonly threshold?: number;
  },
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric: options.metric,
    threshold: options.threshold ?? 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: options.description,
  });
  alarm.addAlarmAction(options.action);
  return alarm;
}

/**
 * Alarms to one SNS topic, each on a metric that AWS or our code really emits, and a dashboard of backups
 * per cluster. Alarm count grows with clusters (one each), never with databases.
 */
export class BackupMonitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: BackupMonitoringProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.topic);
    const fiveMinutes = Duration.minutes(5);
    const atLeastOnce = (
      alarmId: string,
      metric: cloudwatch.IMetric,
      description: string,
      threshold = 1,
    ): void => {
      this.alarms.push(atLeastOnceAlarm(this, alarmId, { metric, description, action, threshold }));
    };

    atLeastOnce(
      'NightlyRunFailed',
      props.nightly.metricFailed({ period: fiveMinutes, statistic: 'Sum' }),
      'A nightly backup run failed: a database failed, or the run stopped before any database. See the Slack alerts and the snapshot catalog.',
    );
    atLeastOnce(
      'NightlyRunTimedOut',
      props.nightly.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' }),
      'A nightly backup run hit its execution timeout (Step Functions stopped it).',
    );
    // No alarm on ExecutionTime: Step Functions publishes it when an execution closes, too late to warn about a
    // run that is still going. The hourly freshness check does that (BackupsLate: late and stuck databases).
    atLeastOnce(
      'LaneFailed',
      props.backupLane.metricFailed({ period: fiveMinutes, statistic: 'Sum' }),
      "A lane of a nightly run failed: it stopped taking databases from the run's queue (the other lanes go on; the run counts any database left unclaimed as FAILED).",
    );
    atLeastOnce(
      'LaneTimedOut',
      props.backupLane.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' }),
      'A lane of a nightly run hit its execution timeout (Step Functions stopped it).',
    );
    atLeastOnce(
      'BackupExecutionTimedOut',
      props.backupDatabase.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' }),
      'A BackupDatabase execution hit its execution timeout: its lock is freed only when the lease expires.',
    );
    atLeastOnce(
      'DeadLetterMessages',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: fiveMinutes,
        statistic: 'Maximum',
      }),
      'EventBridge Scheduler could not start a scheduled execution (nightly run, freshness check or drill); the event is in the dead-letter queue.',
    );
    atLeastOnce(
      'ScheduleEventsLost',
      props.scheduleGroup.metricFailedToBeSentToDLQ(undefined, { period: fiveMinutes, statistic: 'Sum' }),
      'EventBridge Scheduler could neither start a nightly run nor put the event in the dead-letter queue.',
    );

    for (const [stem, fn] of Object.entries(props.functions) as Array<[TaskFunctionName, NodeFunction]>) {
      const throttles = fn.function.metricThrottles({ period: fiveMinutes, statistic: 'Sum' });
      if (FUNCTION_ACCESS[stem].throwsForControlFlow) {
        atLeastOnce(
          `${stem}Throttled`,
          throttles,
          `The ${stem} function was throttled (its Errors are expected control flow and not alarmed).`,
        );
        continue;
      }
      atLeastOnce(
        `${stem}Failing`,
        new cloudwatch.MathExpression({
          expression: 'errors + throttles',
          usingMetrics: {
            errors: fn.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
            throttles,
          },
          period: fiveMinutes,
          label: `${stem} errors + throttles`,
        }),
        `The ${stem} function returned errors or was throttled (the workflow retries; repeated alarms mean a lasting problem).`,
      );
    }

    // "A child backup failed", per cluster, from what RecordFailure emits inside each BackupDatabase execution.
    // A child that ends without a record fails its run (SummarizeRun counts it FAILED): NightlyRunFailed.
    for (const cluster of props.clusters) {
      atLeastOnce(
        `BackupFailed-${cluster}`,
        new cloudwatch.MathExpression({
          expression: 'failed + timedOut',
          usingMetrics: {
            failed: clusterMetric(OUTCOME_METRICS.FAILED, cluster, {
              statistic: 'Sum',
              period: fiveMinutes,
              service: props.metricsService,
            }),
            timedOut: clusterMetric(OUTCOME_METRICS.TIMED_OUT, cluster, {
              statistic: 'Sum',
              period: fiveMinutes,
              service: props.metricsService,
            }),
          },
          period: fiveMinutes,
          label: `${cluster} backups FAILED + TIMED_OUT`,
        }),
        `A database backup (BackupDatabase execution) of cluster ${cluster} ended FAILED or TIMED_OUT. See the Slack alert and the snapshot catalog.`,
      );
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      widgets: dashboardRows(props, this.alarms),
    });
  }
}

function dashboardRows(
  props: BackupMonitoringProps,
  alarms: readonly cloudwatch.IAlarm[],
): cloudwatch.IWidget[][] {
  const day = Duration.days(1);
  const outcomes = (cluster: string) =>
    (['FINISHED', 'FAILED', 'TIMED_OUT', 'SKIPPED'] as const).map((state) =>
      clusterMetric(OUTCOME_METRICS[state], cluster, {
        statistic: 'Sum',
        period: day,
        service: props.metricsService,
      }).with({
        label: state,
      }),
    );
  const rows: cloudwatch.IWidget[][] = [
    [
      new cloudwatch.GraphWidget({
        title: 'Nightly runs',
        width: 12,
        left: [
          props.nightly.metricSucceeded({ period: day, statistic: 'Sum', label: 'succeeded' }),
          props.nightly.metricFailed({ period: day, statistic: 'Sum', label: 'failed' }),
          props.nightly.metricTimedOut({ period: day, statistic: 'Sum', label: 'timed out' }),
        ],
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        width: 12,
        height: 6,
        alarms: [...alarms],
      }),
    ],
  ];
  for (const cluster of props.clusters) {
    rows.push([
      new cloudwatch.GraphWidget({
        title: `${cluster}: backups per day`,
        width: 12,
        stacked: true,
        left: outcomes(cluster),
      }),
      new cloudwatch.GraphWidget({
        title: `${cluster}: backup duration (s)`,
        width: 12,
        left: [
          clusterMetric(DURATION_METRIC, cluster, {
            statistic: 'Average',
            period: day,
            service: props.metricsService,
          }).with({
            label: 'average',
          }),
          clusterMetric(DURATION_METRIC, cluster, {
            statistic: 'Maximum',
            period: day,
            service: props.metricsService,
          }).with({
            label: 'maximum',
          }),
        ],
      }),
    ]);
  }
  return rows;
}
