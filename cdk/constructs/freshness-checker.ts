import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { BackupConfig } from '#domain/config/index.ts';
import {
  DATABASES_LATE_METRIC,
  DATABASES_UNCOVERED_METRIC,
  METRICS_NAMESPACE,
  OLDEST_SNAPSHOT_AGE_METRIC,
} from '#domain/metrics.ts';
import { FRESHNESS_CHECK_INTERVAL_SECONDS } from '#domain/schedules/desired.ts';
import type { TaskFunctionName } from '#statemachines/definitions.ts';
import { atLeastOnceAlarm, emfServiceDimension } from './backup-monitoring.ts';
import { type ScheduledTarget, scheduledTarget } from './backup-schedules.ts';
import { type NodeFunction, taskLambdas } from './node-function.ts';
import { grantSecretsRead } from './secret-grants.ts';
import { StateMachineFromFile } from './state-machine-from-file.ts';

/** How often each cluster is checked. */
export const FRESHNESS_CHECK_INTERVAL = Duration.seconds(FRESHNESS_CHECK_INTERVAL_SECONDS);

/** A FreshnessCheck execution runs a few minutes at most; this stops one that hangs. */
export const FRESHNESS_CHECK_TIMEOUT = Duration.minutes(30);

/** Properties of the freshness checker. */
export interface FreshnessCheckerProps {
  readonly config: BackupConfig;
  /** Every Task function by stem (the machine is granted only CheckFreshness and NotifyIncidents). */
  readonly functions: Readonly<Record<TaskFunctionName, NodeFunction>>;
  /** The schedules' dead-letter queue (shared with the backup schedules, which alarm on it). */
  readonly deadLetterQueue: sqs.IQueue;
  readonly alarmTopic: sns.ITopic;
  /** The freshness schedules' group name (derived from the stack name; see scheduleGroupNames). */
  readonly groupName?: string | undefined;
  /** The scheduler's dashboard: a row of freshness widgets is added to it. */
  readonly dashboard: cloudwatch.Dashboard;
  /** The `service` dimension of the metrics the functions emit (the deployment's identity). */
  readonly metricsService: string;
  /** Customer-managed keys of the secrets (the bot token's included). */
  readonly secretsEncryptionKeys: readonly kms.IKey[];
  readonly removalPolicy: RemovalPolicy;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The hourly freshness check: the FreshnessCheck state machine (statemachines/freshness-check.asl.json:
 * CheckFreshness next to the FE, NotifyIncidents outside any VPC), the schedule group of the hourly schedules (one
 * per cluster with schedules, kept there by the schedule sync; the input carries the cluster's settings, schedules
 * and Slack ARNs) with a role that may start only this machine, the bot token grant of NotifyIncidents, an alarm on
 * late databases (any cluster), one on failed checks, and a dashboard row. Nothing here grows with the clusters or
 * the databases.
 */
export class FreshnessChecker extends Construct implements ScheduledTarget {
  readonly stateMachine: sfn.StateMachine;
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: FreshnessCheckerProps) {
    super(scope, id);
    const { config } = props;

    const machine = new StateMachineFromFile(this, 'StateMachine', {
      definition: 'freshnessCheck',
      functions: taskLambdas(props.functions),
      timeout: FRESHNESS_CHECK_TIMEOUT,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      logRemovalPolicy: props.removalPolicy,
    });
    this.stateMachine = machine.stateMachine;

    // NotifyIncidents reads the bot token (Slack Web API) when one is configured, and nothing else new.
    const botToken = config.slack.botTokenSecretArn;
    grantSecretsRead(
      props.functions.NotifyIncidents.role,
      botToken === undefined ? [] : [botToken],
      props.secretsEncryptionKeys,
    );

    const target = scheduledTarget(this, {
      groupName: props.groupName,
      stateMachine: this.stateMachine,
      deadLetterQueue: props.deadLetterQueue,
      removalPolicy: props.removalPolicy,
      description: 'EventBridge Scheduler: start the freshness check state machine',
    });
    this.group = target.group;
    this.role = target.role;
    this.alarms = this.createAlarms(
      props.alarmTopic,
      config.clusters
        .filter((cluster) => cluster.schedules.length > 0 || cluster.mode === 'cluster-snapshot')
        .map((cluster) => cluster.name),
      props.metricsService,
    );
    props.dashboard.addWidgets(...dashboardRow(props.metricsService));
  }

  private createAlarms(topic: sns.ITopic, clusters: readonly string[], service: string): cloudwatch.Alarm[] {
    const action = new actions.SnsAction(topic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) =>
      atLeastOnceAlarm(this, alarmId, { metric, description, action });
    const alarms = [
      alarm(
        'BackupsLate',
        new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: DATABASES_LATE_METRIC,
          dimensionsMap: emfServiceDimension(service),
          statistic: 'Maximum',
          period: FRESHNESS_CHECK_INTERVAL,
        }),
        `A database of ${clusters.length === 1 ? `cluster ${clusters[0]}` : 'a cluster'} has no good snapshot from its expected slot (late, stuck, skipped or paused). The Slack incident names it; the dashboard shows late databases per cluster.`,
      ),
    ];
    alarms.push(
      alarm(
        'FreshnessCheckFailed',
        this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
        'A freshness check failed: late backups may go unnoticed until it works again. See the FreshnessCheck execution.',
      ),
      alarm(
        'FreshnessCheckTimedOut',
        this.stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }),
        'A freshness check hit its execution timeout: late backups may go unnoticed until one completes again. See the FreshnessCheck execution.',
      ),
    );
    return alarms;
  }
}

/**
 * One row: the worst cluster's late and uncovered databases and its oldest good snapshot, from the series the checker
 * emits under the `service` dimension alone (the same for 1 or 2,000 clusters; the Slack incident names the cluster).
 */
function dashboardRow(service: string): cloudwatch.IWidget[] {
  const period = FRESHNESS_CHECK_INTERVAL;
  const worst = (metricName: string, label: string) =>
    new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: emfServiceDimension(service),
      statistic: 'Maximum',
      period,
      label,
    });
  return [
    new cloudwatch.GraphWidget({
      title: 'Databases late / not covered by any schedule (worst cluster)',
      width: 12,
      left: [worst(DATABASES_LATE_METRIC, 'late')],
      right: [worst(DATABASES_UNCOVERED_METRIC, 'not covered')],
      leftYAxis: { label: 'late', min: 0 },
      rightYAxis: { label: 'not covered', min: 0 },
    }),
    new cloudwatch.GraphWidget({
      title: 'Oldest latest-good snapshot (hours, worst cluster)',
      width: 12,
      left: [
        new cloudwatch.MathExpression({
          expression: 'age / 3600',
          usingMetrics: { age: worst(OLDEST_SNAPSHOT_AGE_METRIC, 'seconds') },
          label: 'hours',
          period,
        }),
      ],
      leftYAxis: { min: 0 },
    }),
  ];
}
