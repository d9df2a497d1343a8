import { createHash } from 'node:crypto';
import { Duration, type RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  type BackupConfig,
  type ClusterConfig,
  type ScheduleConfig,
  toClusterSettings,
} from '../../lambdas/shared/config/index.ts';
import { acknowledgeNag } from './nag.ts';

/** EventBridge Scheduler's limit on schedule names (`[0-9A-Za-z_.-]`). */
export const MAX_SCHEDULE_NAME_LENGTH = 64;

/** How often Scheduler retries a failed StartExecution before the event goes to the dead-letter queue. */
export const SCHEDULE_RETRY_ATTEMPTS = 10;

/** How late a run may still start (retries included); a later start would collide with the next night. */
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(6);

/**
 * The schedule name of one cluster × schedule entry: `<cluster>.<schedule>`. The dot appears in neither name,
 * so distinct pairs never share a name; beyond 64 characters the name is cut and ends in a hash of the pair.
 */
export function scheduleName(cluster: string, schedule: string): string {
  const plain = `${cluster}.${schedule}`;
  if (plain.length <= MAX_SCHEDULE_NAME_LENGTH) return plain;
  const hash = createHash('sha256').update(`${cluster}\n${schedule}`).digest('hex').slice(0, 10);
  return `${plain.slice(0, MAX_SCHEDULE_NAME_LENGTH - hash.length - 1)}-${hash}`;
}

/**
 * The input Scheduler sends NightlyBackup: exactly what `sr-backup start` sends. The cluster's settings
 * carry secret ARNs, never secret values; `scheduledTime` is filled in by Scheduler at each firing.
 */
export function scheduleInput(config: BackupConfig, cluster: ClusterConfig, schedule: ScheduleConfig) {
  return {
    cluster: toClusterSettings(config, cluster.name),
    schedule,
    scheduledTime: scheduler.ContextAttribute.scheduledTime,
  };
}

/**
 * The role (construct id `Role`) EventBridge Scheduler assumes to start a state machine, trusted only for the
 * schedules of `group` in this account (the confused-deputy conditions); the schedule targets grant it the start.
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

/** Properties of the schedules. */
export interface BackupSchedulesProps {
  readonly config: BackupConfig;
  /** The NightlyBackup state machine: the only thing the schedules' role may start. */
  readonly target: sfn.IStateMachine;
  /** For the schedule group and the dead-letter queue. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * One EventBridge Scheduler schedule per cluster × schedule entry, in a schedule group of their own, with a
 * retry policy, an encrypted dead-letter queue, and one role that may only start the nightly state machine.
 */
export class BackupSchedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;
  readonly schedules: readonly scheduler.Schedule[];

  constructor(scope: Construct, id: string, props: BackupSchedulesProps) {
    super(scope, id);

    this.group = new scheduler.ScheduleGroup(this, 'Group', { removalPolicy: props.removalPolicy });

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

    this.role = schedulerRole(
      this,
      this.group,
      'EventBridge Scheduler: start the nightly backup state machine',
    );

    const schedules: scheduler.Schedule[] = [];
    for (const cluster of props.config.clusters) {
      for (const schedule of cluster.schedules) {
        const target = new targets.StepFunctionsStartExecution(props.target, {
          role: this.role,
          input: scheduler.ScheduleTargetInput.fromObject(scheduleInput(props.config, cluster, schedule)),
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge: SCHEDULE_MAX_EVENT_AGE,
        });
        schedules.push(
          new scheduler.Schedule(this, `${cluster.name}.${schedule.name}`, {
            scheduleName: scheduleName(cluster.name, schedule.name),
            scheduleGroup: this.group,
            description: `StarRocks backup of cluster ${cluster.name}, schedule ${schedule.name}`,
            schedule: scheduler.ScheduleExpression.expression(
              `cron(${schedule.cron})`,
              TimeZone.of(schedule.timezone),
            ),
            target,
            enabled: schedule.enabled,
          }),
        );
      }
    }
    this.schedules = schedules;
  }
}
