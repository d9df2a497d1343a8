import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { BackupConfig } from '#domain/config/index.ts';
import { readDefinitionText, type TaskFunctionName } from '#statemachines/definitions.ts';
import { atLeastOnceAlarm } from './backup-monitoring.ts';
import { type ScheduledTarget, scheduledTarget } from './backup-schedules.ts';
import {
  type AslDocument,
  type ExecutionBudget,
  type ExecutionBudgetSettings,
  executionBudget,
} from './execution-timeouts.ts';
import { type NodeFunction, taskLambdas } from './node-function.ts';
import { grantHolderLiveness, holderLivenessRoles, StateMachineFromFile } from './state-machine-from-file.ts';

/** The deadline a drill gets when no cluster sets one (the config's default `drill.timeoutSeconds`). */
const DEFAULT_DRILL_DEADLINE_SECONDS = 6 * 3600;

/** Lambda runs, transient retries, the check, the drop, the record and the alert, beyond the computed waits. */
export const DRILL_EXECUTION_MARGIN_SECONDS = 3_600;

/** How a RestoreDrill execution's timeout is made up, in seconds (`deadline`: the longest `drill.timeoutSeconds`). */
export type DrillExecutionBudget = ExecutionBudget;

/**
 * The RestoreDrill execution timeout: the longest drill deadline plus every bounded wait the ASL allows (a free
 * slot, the scratch database's lock, another job on it), one longest poll and a margin, so Step Functions only
 * stops an execution our own deadline could not.
 */
export function drillExecutionBudget(
  definition: AslDocument,
  settings: ExecutionBudgetSettings,
): DrillExecutionBudget {
  return executionBudget(definition, 'SubmitRestore', {
    ...settings,
    marginSeconds: DRILL_EXECUTION_MARGIN_SECONDS,
  });
}

export { drillScheduleInput } from '#domain/schedules/desired.ts';

/** Properties of the restore drills. */
export interface RestoreDrillProps {
  readonly config: BackupConfig;
  /** Every Task function by stem (the drill machine is granted only those its definition names). */
  readonly functions: Readonly<Record<TaskFunctionName, NodeFunction>>;
  /** The schedules' dead-letter queue (shared with the backup schedules, which alarm on it). */
  readonly deadLetterQueue: sqs.IQueue;
  /** Where the drill alarms go. */
  readonly alarmTopic: sns.ITopic;
  /** The drill schedules' group name (derived from the stack name; see scheduleGroupNames). */
  readonly groupName?: string | undefined;
  readonly removalPolicy: RemovalPolicy;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Scheduled restore drills: the RestoreDrill state machine (statemachines/restore-drill.asl.json, reusing the
 * backups' AcquireSlot, AcquireLock and ReleaseLeases functions), the schedule group of the drill schedules (one per
 * cluster that configures `drill`, kept there by the schedule sync) with a role that may start only this machine,
 * the lock liveness grant for drill executions, and alarms on failed and timed-out drills.
 */
export class RestoreDrill extends Construct implements ScheduledTarget {
  readonly stateMachine: sfn.StateMachine;
  readonly budget: DrillExecutionBudget;
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
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
      functions: taskLambdas(props.functions),
      timeout: Duration.seconds(this.budget.total),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      logRemovalPolicy: props.removalPolicy,
    });
    this.stateMachine = machine.stateMachine;

    this.grantHolderLiveness(props.functions);

    const target = scheduledTarget(this, {
      groupName: props.groupName,
      stateMachine: this.stateMachine,
      deadLetterQueue: props.deadLetterQueue,
      removalPolicy: props.removalPolicy,
      description: 'EventBridge Scheduler: start the restore drill state machine',
    });
    this.group = target.group;
    this.role = target.role;
    this.alarms = this.createAlarms(props.alarmTopic);
  }

  /**
   * A drill holds a slot and a lock like a backup: AcquireSlot, AcquireLock (of any workflow) and SettleOrphans
   * must be able to ask whether a drill execution still runs before they take its lease over.
   */
  private grantHolderLiveness(functions: Readonly<Record<TaskFunctionName, NodeFunction>>): void {
    grantHolderLiveness(
      this,
      holderLivenessRoles(functions),
      this.stateMachine,
      'A lock or slot holder may be a RestoreDrill execution whose name is only known at run time; read-only, and limited to executions of that state machine.',
    );
  }

  private createAlarms(topic: sns.ITopic): cloudwatch.Alarm[] {
    const action = new actions.SnsAction(topic);
    const fiveMinutes = Duration.minutes(5);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) =>
      atLeastOnceAlarm(this, alarmId, { metric, description, action });
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
    alarms.push(
      alarm(
        'DrillScheduleEventsLost',
        this.group.metricFailedToBeSentToDLQ(undefined, { period: fiveMinutes, statistic: 'Sum' }),
        'EventBridge Scheduler could neither start a restore drill nor put the event in the dead-letter queue.',
      ),
    );
    return alarms;
  }
}
