import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { BackupConfig } from '#domain/config/index.ts';
import { MAX_RESTORE_DEADLINE_SECONDS } from '#domain/restore/drill-state.ts';
import { readDefinitionText, type TaskFunctionName } from '#statemachines/definitions.ts';
import { atLeastOnceAlarm } from './backup-monitoring.ts';
import { type AslDocument, type ExecutionBudget, executionBudget } from './execution-timeouts.ts';
import { type NodeFunction, taskLambdas } from './node-function.ts';
import { grantHolderLiveness, holderLivenessRoles, StateMachineFromFile } from './state-machine-from-file.ts';

/** Lambda runs, transient retries, the check and the cleanup, beyond the computed waits. */
const RESTORE_EXECUTION_MARGIN_SECONDS = 3_600;

/** Properties of the on-demand restore machine. */
export interface OnDemandRestoreProps {
  readonly config: BackupConfig;
  /** Every Task function by stem (the machine is granted only those its definition names). */
  readonly functions: Readonly<Record<TaskFunctionName, NodeFunction>>;
  /** Where the timed-out alarm goes. */
  readonly alarmTopic: sns.ITopic;
  readonly removalPolicy: RemovalPolicy;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The Restore state machine (statemachines/restore.asl.json) that `sr-backup restore --stack … --execute` starts:
 * an operator's restore of one snapshot, under the backups' slots and the target database's lock, reusing the
 * drill's RESTORE Tasks. It has no schedule. Its execution timeout covers the longest deadline a request may set
 * (MAX_RESTORE_DEADLINE_SECONDS) plus every bounded wait, so Step Functions only stops what our deadline could not.
 */
export class OnDemandRestore extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly budget: ExecutionBudget;
  /**
   * Only an execution timeout alarms: a restore that failed was followed by the operator who started it (the CLI
   * prints its cause), but a timed-out one may have left its RESTORE running until the settlement cancels it.
   */
  readonly timedOutAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: OnDemandRestoreProps) {
    super(scope, id);
    const definition = JSON.parse(readDefinitionText('restore')) as AslDocument;
    this.budget = executionBudget(definition, 'SubmitRestore', {
      maxDeadlineSeconds: Math.max(
        MAX_RESTORE_DEADLINE_SECONDS,
        ...props.config.clusters.map((cluster) => cluster.timeoutSeconds),
      ),
      maxPollSeconds: props.config.poll.maxSeconds,
      marginSeconds: RESTORE_EXECUTION_MARGIN_SECONDS,
    });
    const machine = new StateMachineFromFile(this, 'StateMachine', {
      definition: 'restore',
      functions: taskLambdas(props.functions),
      timeout: Duration.seconds(this.budget.total),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      logRemovalPolicy: props.removalPolicy,
    });
    this.stateMachine = machine.stateMachine;
    grantHolderLiveness(
      this,
      holderLivenessRoles(props.functions),
      this.stateMachine,
      'A lock or slot holder may be a Restore execution whose name is only known at run time; read-only, and limited to executions of that state machine.',
    );
    this.timedOutAlarm = atLeastOnceAlarm(this, 'RestoreExecutionTimedOut', {
      metric: this.stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }),
      description:
        'A Restore execution hit its execution timeout: the settlement cancels its RESTORE if it still runs; the target database is left as it is.',
      action: new actions.SnsAction(props.alarmTopic),
    });
  }
}
