import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  SCHEDULE_RETRY_ATTEMPTS as RETRY_ATTEMPTS,
  SCHEDULE_MAX_EVENT_AGE_SECONDS,
} from '#domain/schedules/desired.ts';
import { MAX_SCHEDULER_NAME_LENGTH } from '#domain/schedules/schedule-set.ts';
import { acknowledgeNag } from './nag.ts';

export { drillScheduleInput, scheduleInput, scheduleName } from '#domain/schedules/desired.ts';

/** EventBridge Scheduler's limit on schedule names (`[0-9A-Za-z_.-]`). */
export const MAX_SCHEDULE_NAME_LENGTH = MAX_SCHEDULER_NAME_LENGTH;

/** How often Scheduler retries a failed StartExecution before the event goes to the dead-letter queue. */
export const SCHEDULE_RETRY_ATTEMPTS = RETRY_ATTEMPTS;

/** How late a run may still start (retries included); a later start would collide with the next night. */
export const SCHEDULE_MAX_EVENT_AGE = Duration.seconds(SCHEDULE_MAX_EVENT_AGE_SECONDS);

/**
 * The role (construct id `Role`) EventBridge Scheduler assumes to start a state machine, trusted only for the
 * schedules of `group` in this account (the confused-deputy conditions).
 */
export function schedulerRole(
  scope: Construct,
  group: scheduler.ScheduleGroup,
  description: string,
): iam.Role {
  return new iam.Role(scope, 'Role', {
    description,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': group.stack.account,
          'aws:SourceArn': group.scheduleGroupArn,
        },
      },
    }),
  });
}

/** A schedule group and the one role its schedules run as. */
export interface ScheduledTarget {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  readonly stateMachine: sfn.IStateMachine;
}

/**
 * A schedule group (construct id `Group`, named `groupName` when given) and its role (id `Role`), which may start
 * only `stateMachine` and put an event it could not deliver in `deadLetterQueue`. The schedules themselves are data,
 * kept in the group by the schedule sync (schedule-sync.ts), not CloudFormation resources.
 */
export function scheduledTarget(
  scope: Construct,
  options: {
    readonly groupName?: string | undefined;
    readonly stateMachine: sfn.IStateMachine;
    readonly deadLetterQueue: sqs.IQueue;
    readonly removalPolicy: RemovalPolicy;
    readonly description: string;
  },
): ScheduledTarget {
  const group = new scheduler.ScheduleGroup(scope, 'Group', {
    ...(options.groupName === undefined ? {} : { scheduleGroupName: options.groupName }),
    removalPolicy: options.removalPolicy,
  });
  const role = schedulerRole(scope, group, options.description);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['states:StartExecution'],
      resources: [options.stateMachine.stateMachineArn],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [options.deadLetterQueue.queueArn] }),
  );
  return { group, role, stateMachine: options.stateMachine };
}

/** Properties of the backup schedules. */
export interface BackupSchedulesProps {
  /** The NightlyBackup state machine: the only thing the schedules' role may start. */
  readonly target: sfn.IStateMachine;
  /** The group's name (derived from the stack name; see scheduleGroupNames). */
  readonly groupName?: string | undefined;
  /** For the schedule group and the dead-letter queue. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The nightly backups' schedule group, the encrypted dead-letter queue every schedule of the stack shares, and the
 * role that may only start the nightly state machine. One schedule per cluster × schedule entry lives in the
 * group, kept there by the schedule sync.
 */
export class BackupSchedules extends Construct implements ScheduledTarget {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  readonly stateMachine: sfn.IStateMachine;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: BackupSchedulesProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    acknowledgeNag(
      this.deadLetterQueue,
      'SQS3',
      "This queue is EventBridge Scheduler's dead-letter queue (Scheduler's DeadLetterConfig, which cdk-nag cannot see); a dead-letter queue of its own would add nothing. An alarm fires on its first message.",
    );

    const target = scheduledTarget(this, {
      groupName: props.groupName,
      stateMachine: props.target,
      deadLetterQueue: this.deadLetterQueue,
      removalPolicy: props.removalPolicy,
      description: 'EventBridge Scheduler: start the nightly backup state machine',
    });
    this.group = target.group;
    this.role = target.role;
    this.stateMachine = props.target;
  }
}
