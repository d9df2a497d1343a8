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
  DRILL_CHAIN_DURATION_METRIC,
  DRILL_DURATION_METRIC,
  DURATION_METRIC,
  METRICS_NAMESPACE,
  OUTCOME_METRICS,
  SIZE_METRIC,
} from '#domain/metrics.ts';
import type { TaskFunctionName } from '#statemachines/definitions.ts';
import { FUNCTION_ACCESS } from './function-access.ts';
import type { NodeFunction } from './node-function.ts';

/**
 * The `service` dimension Powertools Metrics adds to every EMF document the code emits: the deployment's identity,
 * which the construct passes to every function as POWERTOOLS_SERVICE_NAME (lambdas/domain/metrics.ts). CloudWatch
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
 * The `service` value of a Metrics Insights or SEARCH expression, refused when it would end the quoted string (a
 * stack name never does; a custom `metricsServiceName` might).
 */
function quotableService(service: string): string {
  if (/['"\\]/.test(service)) {
    throw new Error(
      `metricsServiceName ${service} must not contain quotes or backslashes (it is quoted in queries)`,
    );
  }
  return service;
}

/**
 * A Metrics Insights query over every cluster's series of one of our per-cluster metrics, as one time series
 * (`aggregate` across the clusters of this deployment). One query, whatever the number of clusters.
 */
export function allClustersQuery(
  aggregate: 'SUM' | 'MAX' | 'AVG',
  metricName: string,
  service: string,
  period: Duration,
): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SELECT ${aggregate}(${metricName}) FROM SCHEMA("${METRICS_NAMESPACE}", ${CLUSTER_DIMENSION}, service) WHERE service = '${quotableService(service)}'`,
    usingMetrics: {},
    period,
    label: `${metricName} (${aggregate}, all clusters)`,
  });
}

/**
 * A SEARCH expression over every cluster's series of one of our per-cluster metrics (dashboards only: alarms cannot
 * use SEARCH), optionally folded into one series with `fold`.
 */
export function perClusterSearch(
  metricName: string,
  statistic: string,
  service: string,
  period: Duration,
  options: { readonly fold?: 'SUM' | 'MAX' | 'AVG'; readonly label: string },
): cloudwatch.MathExpression {
  const search = `SEARCH('{${METRICS_NAMESPACE},${CLUSTER_DIMENSION},service} MetricName="${metricName}" service="${quotableService(service)}"', '${statistic}', ${period.toSeconds()})`;
  return new cloudwatch.MathExpression({
    expression: options.fold === undefined ? search : `${options.fold}(${search})`,
    usingMetrics: {},
    period,
    label: options.label,
  });
}

/**
 * Alarms to one SNS topic, each on a metric that AWS or our code really emits, and a dashboard of backups over all
 * clusters. Neither grows with the clusters (one query covers them all) nor with the databases.
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

    // "A child backup failed", over every cluster at once, from what RecordFailure emits inside each BackupDatabase
    // execution. One Metrics Insights query reads every cluster's series, so the alarms do not grow with the
    // clusters (a SEARCH expression would, but alarms cannot use SEARCH). A child that ends without a record fails
    // its run (SummarizeRun counts it FAILED): NightlyRunFailed.
    atLeastOnce(
      'BackupFailed',
      allClustersQuery('SUM', OUTCOME_METRICS.FAILED, props.metricsService, fiveMinutes),
      'A database backup (BackupDatabase execution) ended FAILED. The Slack alert names the cluster and the database; the snapshot catalog has the attempt.',
    );
    atLeastOnce(
      'BackupTimedOut',
      allClustersQuery('SUM', OUTCOME_METRICS.TIMED_OUT, props.metricsService, fiveMinutes),
      'A database backup (BackupDatabase execution) ended TIMED_OUT. The Slack alert names the cluster and the database; the snapshot catalog has the attempt.',
    );

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
  const service = props.metricsService;
  return [
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
    [
      new cloudwatch.GraphWidget({
        title: 'Backups per day, all clusters',
        width: 8,
        stacked: true,
        left: (['FINISHED', 'FAILED', 'TIMED_OUT', 'SKIPPED'] as const).map((state) =>
          perClusterSearch(OUTCOME_METRICS[state], 'Sum', service, day, { fold: 'SUM', label: state }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Failed or timed-out backups per day, by cluster',
        width: 8,
        left: [
          perClusterSearch(OUTCOME_METRICS.FAILED, 'Sum', service, day, { label: 'FAILED' }),
          perClusterSearch(OUTCOME_METRICS.TIMED_OUT, 'Sum', service, day, { label: 'TIMED_OUT' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Backup duration (s), all clusters',
        width: 8,
        left: [
          perClusterSearch(DURATION_METRIC, 'Average', service, day, { fold: 'AVG', label: 'average' }),
          perClusterSearch(DURATION_METRIC, 'Maximum', service, day, { fold: 'MAX', label: 'longest' }),
        ],
      }),
    ],
    [
      // The size of each cluster's verified backups (RecordResult): their sum is what a day added to the
      // repository, the largest one the database to watch.
      new cloudwatch.GraphWidget({
        title: 'Backup size (bytes) per day, by cluster',
        width: 12,
        left: [
          perClusterSearch(SIZE_METRIC, 'Sum', service, day, { label: 'backed up' }),
          perClusterSearch(SIZE_METRIC, 'Maximum', service, day, { label: 'largest' }),
        ],
      }),
      // The restore times the drills measured (RecordDrill): the recovery time one could promise.
      new cloudwatch.GraphWidget({
        title: 'Drill restore time (s), by cluster',
        width: 12,
        left: [
          perClusterSearch(DRILL_DURATION_METRIC, 'Maximum', service, day, { label: 'restore' }),
          perClusterSearch(DRILL_CHAIN_DURATION_METRIC, 'Maximum', service, day, { label: 'chain restore' }),
        ],
      }),
    ],
  ];
}
