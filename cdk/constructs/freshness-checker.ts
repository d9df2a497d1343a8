import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { freshnessCheckInputFor } from '../../lambdas/check-freshness/input.ts';
import {
  DATABASES_LATE_METRIC,
  DATABASES_UNCOVERED_METRIC,
  OLDEST_SNAPSHOT_AGE_METRIC,
} from '../../lambdas/check-freshness/metrics.ts';
import type { BackupConfig } from '../../lambdas/shared/config/index.ts';
import { METRICS_NAMESPACE } from '../../lambdas/shared/metrics.ts';
import type { TaskFunctionName } from '../../statemachines/definitions.ts';
import { atLeastOnceAlarm, clusterMetric, emfServiceDimension } from './backup-monitoring.ts';
import { scheduleName, schedulerRole } from './backup-schedules.ts';
import { type NodeFunction, taskLambdas } from './node-function.ts';
import { grantSecretsRead } from './secret-grants.ts';
import { StateMachineFromFile } from './state-machine-from-file.ts';

/** How often each cluster is checked. */
export const FRESHNESS_CHECK_INTERVAL = Duration.hours(1);

/** A FreshnessCheck execution runs a few minutes at most; this stops one that hangs. */
export const FRESHNESS_CHECK_TIMEOUT = Duration.minutes(30);

/** A check that could not start within this is skipped: the next one is due by then. */
export const FRESHNESS_CHECK_MAX_EVENT_AGE = Duration.hours(1);

/** Properties of the freshness checker. */
export interface FreshnessCheckerProps {
  readonly config: BackupConfig;
  /** Every Task function by stem (the machine is granted only CheckFreshness and NotifyIncidents). */
  readonly functions: Readonly<Record<TaskFunctionName, NodeFunction>>;
  /** The schedules' dead-letter queue (shared with the backup schedules, which alarm on it). */
  readonly deadLetterQueue: sqs.IQueue;
  readonly alarmTopic: sns.ITopic;
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
 * CheckFreshness next to the FE, NotifyIncidents outside any VPC), one EventBridge Scheduler schedule per cluster
 * with schedules (in a group of its own, with a role that may start only this machine; the input carries the
 * cluster's settings, schedules and Slack ARNs), the bot token grant of NotifyIncidents, an alarm on
 * late databases (any cluster), one on failed checks, and a dashboard row. Only the schedules grow with the
 * clusters; nothing grows with the databases.
 */
export class FreshnessChecker extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly group?: scheduler.ScheduleGroup;
  readonly role?: iam.Role;
  readonly schedules: readonly scheduler.Schedule[];
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

    // A shared-data cluster (mode cluster-snapshot) has no schedules, yet its automated Cluster Snapshots are checked.
    const checked = config.clusters.filter(
      (cluster) => cluster.schedules.length > 0 || cluster.mode === 'cluster-snapshot',
    );
    const schedules: scheduler.Schedule[] = [];
    if (checked.length > 0) {
      const group = new scheduler.ScheduleGroup(this, 'Group', { removalPolicy: props.removalPolicy });
      const role = schedulerRole(
        this,
        group,
        'EventBridge Scheduler: start the freshness check state machine',
      );
      for (const cluster of checked) {
        schedules.push(
          new scheduler.Schedule(this, `${cluster.name}.freshness`, {
            scheduleName: scheduleName(cluster.name, 'freshness'),
            scheduleGroup: group,
            description: `StarRocks backup freshness check of cluster ${cluster.name}`,
            schedule: scheduler.ScheduleExpression.rate(FRESHNESS_CHECK_INTERVAL),
            target: new targets.StepFunctionsStartExecution(this.stateMachine, {
              role,
              input: scheduler.ScheduleTargetInput.fromObject(freshnessCheckInputFor(config, cluster.name)),
              deadLetterQueue: props.deadLetterQueue,
              retryAttempts: 2,
              maxEventAge: FRESHNESS_CHECK_MAX_EVENT_AGE,
            }),
          }),
        );
      }
      this.group = group;
      this.role = role;
    }
    this.schedules = schedules;
    this.alarms = this.createAlarms(
      props.alarmTopic,
      checked.map((cluster) => cluster.name),
      props.metricsService,
    );
    props.dashboard.addWidgets(
      ...dashboardRow(
        checked.map((cluster) => cluster.name),
        props.metricsService,
        new Set(
          checked.filter((cluster) => cluster.mode === 'cluster-snapshot').map((cluster) => cluster.name),
        ),
      ),
    );
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
 * One row: late databases and the oldest good snapshot's age, one line per cluster. A shared-data cluster's line is
 * its newest automated Cluster Snapshot's age (the check emits it as the same metric), labelled so.
 */
function dashboardRow(
  clusters: readonly string[],
  service: string,
  clusterSnapshotClusters: ReadonlySet<string> = new Set(),
): cloudwatch.IWidget[] {
  const period = FRESHNESS_CHECK_INTERVAL;
  const perCluster = (metricName: string) =>
    clusters.map((cluster) =>
      clusterMetric(metricName, cluster, { statistic: 'Maximum', period, service }).with({ label: cluster }),
    );
  return [
    new cloudwatch.GraphWidget({
      title: 'Databases late / not covered by any schedule',
      width: 12,
      left: perCluster(DATABASES_LATE_METRIC),
      right: perCluster(DATABASES_UNCOVERED_METRIC),
      leftYAxis: { label: 'late', min: 0 },
      rightYAxis: { label: 'not covered', min: 0 },
    }),
    new cloudwatch.GraphWidget({
      title: 'Oldest latest-good snapshot (hours)',
      width: 12,
      left: clusters.map(
        (cluster, index) =>
          new cloudwatch.MathExpression({
            expression: `age${index} / 3600`,
            usingMetrics: {
              [`age${index}`]: clusterMetric(OLDEST_SNAPSHOT_AGE_METRIC, cluster, {
                statistic: 'Maximum',
                period,
                service,
              }),
            },
            label: clusterSnapshotClusters.has(cluster) ? `${cluster} (cluster snapshot)` : cluster,
            period,
          }),
      ),
      leftYAxis: { min: 0 },
    }),
  ];
}
