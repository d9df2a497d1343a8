import { Duration, type RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  type BackupConfig,
  type ClusterConfig,
  toClusterSettings,
} from '../../lambdas/shared/config/index.ts';
import { readDefinitionText, type TaskFunctionName } from '../../statemachines/definitions.ts';
import { SCHEDULE_MAX_EVENT_AGE, SCHEDULE_RETRY_ATTEMPTS, scheduleName } from './backup-schedules.ts';
import { type AslDocument, MAX_EXECUTION_SECONDS, retryWaitBoundSeconds } from './execution-timeouts.ts';
import { acknowledgeNag, nagText } from './nag.ts';
import type { NodeFunction } from './node-function.ts';
import { executionArnPattern, StateMachineFromFile } from './state-machine-from-file.ts';

/** The deadline a drill gets when no cluster sets one (the config's default `drill.timeoutSeconds`). */
const DEFAULT_DRILL_DEADLINE_SECONDS = 6 * 3600;

/** Lambda runs, transient retries, the check, the drop, the record and the alert, beyond the computed waits. */
export const DRILL_EXECUTION_MARGIN_SECONDS = 3_600;

/** How a RestoreDrill execution's timeout is made up, in seconds. */
export interface DrillExecutionBudget {
  /** The longest `drill.timeoutSeconds` of any cluster with a drill. */
  readonly deadline: number;
  readonly slotWait: number;
  readonly lockWait: number;
  readonly submitWait: number;
  readonly pollLag: number;
  readonly margin: number;
  /** The sum, rounded up to whole minutes and capped at one year. */
  readonly total: number;
}

/**
 * The RestoreDrill execution timeout: the longest drill deadline plus every bounded wait the ASL allows (a free
 * slot, the scratch database's lock, another job on it), one longest poll and a margin, so Step Functions only
 * stops an execution our own deadline could not.
 */
export function drillExecutionBudget(
  definition: AslDocument,
  settings: { readonly maxDeadlineSeconds: number; readonly maxPollSeconds: number },
): DrillExecutionBudget {
  const slotWait = retryWaitBoundSeconds(definition, 'AcquireSlot', 'SlotUnavailableError');
  const lockWait = retryWaitBoundSeconds(definition, 'AcquireLock', 'LockHeldError');
  const submitWait = retryWaitBoundSeconds(definition, 'SubmitRestore', 'BackupAlreadyRunningError');
  const sum =
    settings.maxDeadlineSeconds +
    slotWait +
    lockWait +
    submitWait +
    settings.maxPollSeconds +
    DRILL_EXECUTION_MARGIN_SECONDS;
  return {
    deadline: settings.maxDeadlineSeconds,
    slotWait,
    lockWait,
    submitWait,
    pollLag: settings.maxPollSeconds,
    margin: DRILL_EXECUTION_MARGIN_SECONDS,
    total: Math.min(MAX_EXECUTION_SECONDS, Math.ceil(sum / 60) * 60),
  };
}

/**
 * The input Scheduler sends RestoreDrill: the cluster's settings (its `drill` included; secret ARNs, never
 * secret values) and the scheduled time, which names the scratch database.
 */
export function drillScheduleInput(config: BackupConfig, cluster: ClusterConfig) {
  return {
    cluster: toClusterSettings(config, cluster.name),
    scheduledTime: scheduler.ContextAttribute.scheduledTime,
  };
}

/** Properties of the restore drills. */
export interface RestoreDrillProps {
  readonly config: BackupConfig;
  /** Every Task function by stem (the drill machine is granted only those its definition names). */
  readonly functions: Readonly<Record<TaskFunctionName, NodeFunction>>;
  /** The schedules' dead-letter queue (shared with the backup schedules, which alarm on it). */
  readonly deadLetterQueue: sqs.IQueue;
  /** Where the drill alarms go. */
  readonly alarmTopic: sns.ITopic;
  readonly removalPolicy: RemovalPolicy;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Scheduled restore drills: the RestoreDrill state machine (statemachines/restore-drill.asl.json, reusing the
 * backups' AcquireSlot, AcquireLock and ReleaseLeases functions), one EventBridge Scheduler schedule per cluster
 * that configures `drill` (in a schedule group of their own, with a role that may start only this machine), the
 * lock liveness grant for drill executions, and alarms on failed and timed-out drills.
 */
export class RestoreDrill extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly budget: DrillExecutionBudget;
  /** The clusters' drill schedules (none when no cluster configures a drill). */
  readonly schedules: readonly scheduler.Schedule[];
  readonly group?: scheduler.ScheduleGroup;
  readonly role?: iam.Role;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: RestoreDrillProps) {
    super(scope, id);
    const { config } = props;
    const drilled = config.clusters.filter((cluster) => cluster.drill !== undefined);

    const definition = JSON.parse(readDefinitionText('restoreDrill')) as AslDocument;
    const deadlines = drilled.map(
      (cluster) => cluster.drill?.timeoutSeconds ?? DEFAULT_DRILL_DEADLINE_SECONDS,
    );
    this.budget = drillExecutionBudget(definition, {
      maxDeadlineSeconds: Math.max(DEFAULT_DRILL_DEADLINE_SECONDS, ...deadlines),
      maxPollSeconds: config.poll.maxSeconds,
    });

    const machine = new StateMachineFromFile(this, 'StateMachine', {
      definition: 'restoreDrill',
      functions: Object.fromEntries(
        Object.entries(props.functions).map(([stem, fn]) => [stem, (fn as NodeFunction).function]),
      ) as Record<TaskFunctionName, NodeFunction['function']>,
      timeout: Duration.seconds(this.budget.total),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      logRemovalPolicy: props.removalPolicy,
    });
    this.stateMachine = machine.stateMachine;

    this.grantHolderLiveness(props.functions);

    const schedules: scheduler.Schedule[] = [];
    if (drilled.length > 0) {
      const group = new scheduler.ScheduleGroup(this, 'Group', { removalPolicy: props.removalPolicy });
      const role = new iam.Role(this, 'Role', {
        description: 'EventBridge Scheduler: start the restore drill state machine',
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: {
            StringEquals: {
              'aws:SourceAccount': group.stack.account,
              'aws:SourceArn': group.scheduleGroupArn,
            },
          },
        }),
      });
      for (const cluster of drilled) {
        const drill = cluster.drill as NonNullable<ClusterConfig['drill']>;
        schedules.push(
          new scheduler.Schedule(this, `${cluster.name}.drill`, {
            scheduleName: scheduleName(cluster.name, 'drill'),
            scheduleGroup: group,
            description: `StarRocks restore drill of cluster ${cluster.name}, database ${drill.database}`,
            schedule: scheduler.ScheduleExpression.expression(
              `cron(${drill.cron})`,
              TimeZone.of(drill.timezone),
            ),
            target: new targets.StepFunctionsStartExecution(this.stateMachine, {
              role,
              input: scheduler.ScheduleTargetInput.fromObject(drillScheduleInput(config, cluster)),
              deadLetterQueue: props.deadLetterQueue,
              retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
              maxEventAge: SCHEDULE_MAX_EVENT_AGE,
            }),
            enabled: drill.enabled,
          }),
        );
      }
      this.group = group;
      this.role = role;
    }
    this.schedules = schedules;
    this.alarms = this.createAlarms(props.alarmTopic);
  }

  /**
   * A drill holds a slot and a lock like a backup: AcquireSlot and AcquireLock (of any workflow) must be able to
   * ask whether a drill execution still runs before they take its lease over.
   */
  private grantHolderLiveness(functions: Readonly<Record<TaskFunctionName, NodeFunction>>): void {
    const pattern = executionArnPattern(this.stateMachine);
    // A policy of its own: the functions' default policies would make the machine (which names the functions)
    // and the functions (which would name the machine) depend on each other.
    const policy = new iam.Policy(this, 'HolderLiveness', {
      roles: [functions.AcquireSlot.role, functions.AcquireLock.role],
      statements: [new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [pattern] })],
    });
    acknowledgeNag(
      policy,
      `IAM5[Resource::${nagText(this, pattern)}]`,
      'A lock or slot holder may be a RestoreDrill execution whose name is only known at run time; read-only, and limited to executions of that state machine.',
    );
  }

  private createAlarms(topic: sns.ITopic): cloudwatch.Alarm[] {
    const action = new actions.SnsAction(topic);
    const fiveMinutes = Duration.minutes(5);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      return created;
    };
    const alarms = [
      alarm(
        'DrillFailed',
        this.stateMachine.metricFailed({ period: fiveMinutes, statistic: 'Sum' }),
        'A restore drill failed: the latest verified snapshot could not be shown to restore. See the Slack alert and the drill in the catalog.',
      ),
      alarm(
        'DrillExecutionTimedOut',
        this.stateMachine.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' }),
        'A RestoreDrill execution hit its execution timeout: its scratch database may be left, and its lock is freed only when the lease expires.',
      ),
    ];
    if (this.group !== undefined) {
      alarms.push(
        alarm(
          'DrillScheduleEventsLost',
          this.group.metricFailedToBeSentToDLQ(undefined, { period: fiveMinutes, statistic: 'Sum' }),
          'EventBridge Scheduler could neither start a restore drill nor put the event in the dead-letter queue.',
        ),
      );
    }
    return alarms;
  }
}
