import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { TaskFunctionName } from '#statemachines/definitions.ts';
import { atLeastOnceAlarm } from './backup-monitoring.ts';
import { type NodeFunction, taskLambdas } from './node-function.ts';
import { grantHolderLiveness, StateMachineFromFile } from './state-machine-from-file.ts';

/** Properties of {@link ExecutionSettlement}. */
export interface ExecutionSettlementProps {
  readonly functions: Readonly<Record<TaskFunctionName, NodeFunction>>;
  /** The lease-holding machines whose abnormal ends are settled (BackupDatabase, RestoreDrill). */
  readonly leaseHolders: readonly sfn.StateMachine[];
  /** The roles that ask whether a lease holder still runs (they may meet a settling execution as holder). */
  readonly livenessRoles: readonly iam.IRole[];
  readonly alarmTopic: sns.ITopic;
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention?: logs.RetentionDays;
}

/**
 * An execution stopped by StopExecution or its timeout, or failed in a way no Catch handles, runs no cleanup of
 * its own: its StarRocks job goes on behind its lock. Step Functions reports every such end to EventBridge
 * ("Step Functions Execution Status Change", https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html),
 * and this rule starts the SettleExecution machine for it at once: the same SettleOrphans function that a later
 * acquirer's takeover runs cancels or proves the job, records the attempt, alerts, and releases the leases.
 * EventBridge delivers these events on a best-effort basis, so the takeover path stays the backstop.
 */
export class ExecutionSettlement extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly rule: events.Rule;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ExecutionSettlementProps) {
    super(scope, id);
    const machine = new StateMachineFromFile(this, 'StateMachine', {
      definition: 'settleExecution',
      functions: taskLambdas(props.functions),
      // One settlement: a few statements and writes, with the Task's own retries.
      timeout: Duration.hours(1),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      logRemovalPolicy: props.removalPolicy,
    });
    this.stateMachine = machine.stateMachine;

    this.rule = new events.Rule(this, 'EndedWithoutCleanup', {
      description:
        'A StarRocks backup or drill execution ended ABORTED, TIMED_OUT or FAILED: settle what it held',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['ABORTED', 'TIMED_OUT', 'FAILED'],
          stateMachineArn: props.leaseHolders.map((holder) => holder.stateMachineArn),
        },
      },
      targets: [new targets.SfnStateMachine(this.stateMachine)],
    });

    grantHolderLiveness(
      this,
      props.livenessRoles,
      this.stateMachine,
      'A settling execution holds the lock it settles under a name known only at run time; read-only, and limited to executions of the SettleExecution state machine.',
    );

    const action = new actions.SnsAction(props.alarmTopic);
    const fiveMinutes = Duration.minutes(5);
    this.alarms = [
      atLeastOnceAlarm(this, 'SettlementFailed', {
        metric: this.stateMachine.metricFailed({ period: fiveMinutes, statistic: 'Sum' }),
        description:
          'Settling an ended backup or drill execution failed: its StarRocks job may still run and its lock stays held until the next acquirer takes it over. See the SettleExecution execution.',
        action,
      }),
      atLeastOnceAlarm(this, 'SettlementTimedOut', {
        metric: this.stateMachine.metricTimedOut({ period: fiveMinutes, statistic: 'Sum' }),
        description:
          'Settling an ended backup or drill execution hit its execution timeout. See the SettleExecution execution.',
        action,
      }),
    ];
  }
}
