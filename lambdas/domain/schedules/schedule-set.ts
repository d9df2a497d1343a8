/**
 * The schedule set: every EventBridge Scheduler schedule the configuration asks for, as data. The CDK stack writes
 * it to a JSON asset; the SyncSchedules function reads it and makes the stack's schedule groups match it. No AWS
 * SDK code here, only types: the CLI (`sr-backup plan`) and the stack share it with the function.
 */
import { createHash } from 'node:crypto';
import type { CreateScheduleCommandInput, GetScheduleCommandOutput } from '@aws-sdk/client-scheduler';
import { z } from '#domain/zod.ts';

/** What Scheduler replaces with the firing's scheduled time (the CDK's `ContextAttribute.scheduledTime`). */
export const SCHEDULED_TIME_PLACEHOLDER = '<aws.scheduler.scheduled-time>';

/** The three kinds of schedule, each in a group of its own with a role that may start only its state machine. */
export const SCHEDULE_KINDS = ['backup', 'freshness', 'drill'] as const;

/** One kind of schedule. */
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** The identifier of the asset format; a function that reads another refuses it. */
export const SCHEDULE_SET_FORMAT = 'sr-backup-schedules/1';

/** EventBridge Scheduler's limit on schedule and group names (`[0-9A-Za-z_.-]`). */
export const MAX_SCHEDULER_NAME_LENGTH = 64;

/** Scheduler's limit on a schedule's description. */
export const MAX_DESCRIPTION_LENGTH = 512;

const entrySchema = z.strictObject({
  kind: z.enum(SCHEDULE_KINDS),
  /** The cluster the schedule belongs to (for `plan`; not sent to Scheduler). */
  cluster: z.string().min(1),
  name: z
    .string()
    .min(1)
    .max(MAX_SCHEDULER_NAME_LENGTH)
    .regex(/^[0-9A-Za-z_.-]+$/),
  description: z.string().max(MAX_DESCRIPTION_LENGTH),
  expression: z.string().regex(/^(cron|rate)\(.+\)$/),
  timezone: z.string().min(1).optional(),
  enabled: z.boolean(),
  /** The target input, JSON text (it holds {@link SCHEDULED_TIME_PLACEHOLDER}). */
  input: z.string(),
  retry: z.strictObject({
    attempts: z.number().int().min(0).max(185),
    maxEventAgeSeconds: z.number().int().min(60).max(86_400),
  }),
});

/** One schedule as the configuration describes it: everything but the deployment's ARNs and group names. */
export type ScheduleEntry = z.output<typeof entrySchema>;

/** The asset's schema. */
export const scheduleSetSchema = z.strictObject({
  format: z.literal(SCHEDULE_SET_FORMAT),
  schedules: z.array(entrySchema),
});

/** The whole set, as the asset holds it. */
export type ScheduleSet = z.output<typeof scheduleSetSchema>;

/** Where the schedules of one kind go and what they start: the deployment's part of a schedule. */
export interface ScheduleTarget {
  /** The schedule group (one per kind). */
  readonly group: string;
  /** The state machine the schedules start. */
  readonly stateMachineArn: string;
  /** The role Scheduler assumes: it may start only that state machine and dead-letter an event. */
  readonly roleArn: string;
}

/** The deployment's ARNs and group names, which the stack passes to the function as custom resource properties. */
export interface ScheduleDeployment {
  readonly targets: Readonly<Record<ScheduleKind, ScheduleTarget>>;
  readonly deadLetterQueueArn: string;
}

/** The CreateSchedule / UpdateSchedule request of one schedule (both take the same fields). */
export type ScheduleRequest = CreateScheduleCommandInput & {
  readonly Name: string;
  readonly GroupName: string;
};

/**
 * The full request for one entry. UpdateSchedule replaces every field with what the request holds (an omitted
 * optional field is reset), so create and update send exactly this.
 */
export function scheduleRequest(entry: ScheduleEntry, deployment: ScheduleDeployment): ScheduleRequest {
  const target = deployment.targets[entry.kind];
  return {
    Name: entry.name,
    GroupName: target.group,
    Description: entry.description,
    ScheduleExpression: entry.expression,
    ...(entry.timezone === undefined ? {} : { ScheduleExpressionTimezone: entry.timezone }),
    State: entry.enabled ? 'ENABLED' : 'DISABLED',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: target.stateMachineArn,
      RoleArn: target.roleArn,
      Input: entry.input,
      RetryPolicy: {
        MaximumRetryAttempts: entry.retry.attempts,
        MaximumEventAgeInSeconds: entry.retry.maxEventAgeSeconds,
      },
      DeadLetterConfig: { Arn: deployment.deadLetterQueueArn },
    },
  };
}

/** A deployed schedule as GetSchedule describes it (the fields the comparison reads). */
export type DeployedSchedule = Pick<
  GetScheduleCommandOutput,
  | 'Name'
  | 'GroupName'
  | 'Description'
  | 'ScheduleExpression'
  | 'ScheduleExpressionTimezone'
  | 'State'
  | 'FlexibleTimeWindow'
  | 'Target'
  | 'StartDate'
  | 'EndDate'
  | 'KmsKeyArn'
  | 'ActionAfterCompletion'
>;

/** Which parts of a schedule a comparison covers. */
export interface CompareOptions {
  /**
   * Compare the target, role and dead-letter ARNs too. `sr-backup plan` cannot know them before a deploy and
   * compares what the configuration decides; the sync compares everything.
   */
  readonly deploymentArns: boolean;
}

/**
 * The fields in which `deployed` differs from `desired` (empty: nothing to do). Fields we never set must be unset
 * on the deployed schedule too, so a schedule someone edited by hand (an end date, a KMS key) is put back.
 */
export function changedFields(
  desired: ScheduleRequest,
  deployed: DeployedSchedule,
  options: CompareOptions = { deploymentArns: true },
): string[] {
  const target = deployed.Target;
  const fields: Array<[string, unknown, unknown]> = [
    ['Description', desired.Description, deployed.Description],
    ['ScheduleExpression', desired.ScheduleExpression, deployed.ScheduleExpression],
    ['ScheduleExpressionTimezone', desired.ScheduleExpressionTimezone, deployed.ScheduleExpressionTimezone],
    ['State', desired.State, deployed.State],
    ['FlexibleTimeWindow', desired.FlexibleTimeWindow?.Mode, deployed.FlexibleTimeWindow?.Mode],
    ['Target.Input', desired.Target?.Input, target?.Input],
    [
      'Target.RetryPolicy',
      JSON.stringify(desired.Target?.RetryPolicy ?? null),
      JSON.stringify(
        target?.RetryPolicy === undefined
          ? null
          : {
              MaximumRetryAttempts: target.RetryPolicy.MaximumRetryAttempts,
              MaximumEventAgeInSeconds: target.RetryPolicy.MaximumEventAgeInSeconds,
            },
      ),
    ],
    ['StartDate', undefined, deployed.StartDate],
    ['EndDate', undefined, deployed.EndDate],
    ['KmsKeyArn', undefined, deployed.KmsKeyArn],
    ['ActionAfterCompletion', 'NONE', deployed.ActionAfterCompletion ?? 'NONE'],
  ];
  if (options.deploymentArns) {
    fields.push(
      ['Target.Arn', desired.Target?.Arn, target?.Arn],
      ['Target.RoleArn', desired.Target?.RoleArn, target?.RoleArn],
      ['Target.DeadLetterConfig', desired.Target?.DeadLetterConfig?.Arn, target?.DeadLetterConfig?.Arn],
    );
  }
  return fields.filter(([, want, have]) => normalized(want) !== normalized(have)).map(([field]) => field);
}

function normalized(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  return value instanceof Date ? value.toISOString() : String(value);
}

/**
 * A schedule or group name within Scheduler's 64 characters: `plain` when it fits, else cut and ended with a
 * hash of `identity` (so two long names that share a prefix stay apart).
 */
export function fitName(plain: string, identity: string): string {
  if (plain.length <= MAX_SCHEDULER_NAME_LENGTH) return plain;
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 10);
  return `${plain.slice(0, MAX_SCHEDULER_NAME_LENGTH - hash.length - 1)}-${hash}`;
}

const GROUP_SUFFIX: Readonly<Record<ScheduleKind, string>> = {
  backup: 'backups',
  freshness: 'freshness',
  drill: 'drills',
};

/**
 * The schedule groups of a deployment, named after `prefix` (by default the stack name): `<prefix>-backups`,
 * `<prefix>-freshness` and `<prefix>-drills`. The names are derived, not generated, so that `sr-backup plan
 * --stack <name>` finds them without asking CloudFormation.
 */
export function scheduleGroupNames(prefix: string): Record<ScheduleKind, string> {
  const clean = prefix.replace(/[^0-9A-Za-z_.-]/g, '-');
  const entries = SCHEDULE_KINDS.map((kind) => {
    const plain = `${clean}-${GROUP_SUFFIX[kind]}`;
    if (plain.length <= MAX_SCHEDULER_NAME_LENGTH) return [kind, plain] as const;
    // Keep the kind's suffix readable at the end: cut the prefix, not the suffix.
    const hash = createHash('sha256').update(`${prefix}\n${kind}`).digest('hex').slice(0, 8);
    const room = MAX_SCHEDULER_NAME_LENGTH - GROUP_SUFFIX[kind].length - hash.length - 2;
    return [kind, `${clean.slice(0, room)}-${hash}-${GROUP_SUFFIX[kind]}`] as const;
  });
  return Object.fromEntries(entries) as Record<ScheduleKind, string>;
}
