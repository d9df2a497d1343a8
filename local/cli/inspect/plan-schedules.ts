/**
 * `sr-backup plan`'s deploy section: what a `cdk deploy` of this configuration would do to the EventBridge Scheduler
 * schedules. The desired set comes from the configuration exactly as the stack builds it; with `--stack` (or
 * `--schedule-group-prefix`) the deployed groups are read through the Scheduler API (ListSchedules, GetSchedule;
 * read-only) and compared as the deploy's sync would, except for the deployment's ARNs, which only the deploy knows.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Clock } from '#domain/clock.ts';
import type { BackupConfig } from '#domain/config/index.ts';
import { desiredScheduleSet } from '#domain/schedules/desired.ts';
import {
  SCHEDULE_KINDS,
  type ScheduleDeployment,
  type ScheduleKind,
  scheduleGroupNames,
  scheduleRequest,
} from '#domain/schedules/schedule-set.ts';
import { DEFAULT_PACING, SchedulerApi, type SchedulerSender } from '#domain/schedules/scheduler-api.ts';
import { planSync } from '#domain/schedules/sync.ts';
import type { Colors } from '../format/color.ts';
import { formatTable } from '../format/table.ts';
import { type CliError, failure } from '../support/cli-error.ts';

/** What a deploy would do to one schedule. */
export type DeployAction = 'create' | 'change' | 'delete';

/** One schedule a deploy would touch. */
export interface DeployChange {
  readonly action: DeployAction;
  readonly group: string;
  readonly name: string;
  /** The kind and cluster, for schedules the configuration holds (not for deletions). */
  readonly kind?: ScheduleKind;
  readonly cluster?: string;
  /** For `change`: the fields that differ. */
  readonly fields?: readonly string[];
}

/** The deployed schedule groups compared against, when one was named. */
export interface DeployTarget {
  readonly groups: Readonly<Record<ScheduleKind, string>>;
  readonly region?: string;
  /** Groups that do not exist (the stack is not deployed, or predates the schedule sync). */
  readonly missingGroups: readonly string[];
}

/** The deploy section of the plan. */
export interface DeployPlan {
  /** Null when no deployed stack was named: every schedule counts as `create`. */
  readonly target: DeployTarget | null;
  readonly counts: Readonly<Record<DeployAction | 'unchanged', number>>;
  /** Every schedule a deploy would create, change or delete (unchanged ones are only counted). */
  readonly changes: readonly DeployChange[];
}

/** Where the deployed schedules are. */
export interface DeployedGroupsOption {
  /** The stack name (the groups are named after it unless the construct was given a prefix). */
  readonly stack?: string;
  /** The construct's `scheduleGroupPrefix`, when it differs from the stack name. */
  readonly scheduleGroupPrefix?: string;
  readonly region?: string;
}

/** Builds a Scheduler client for a region (tests replace it). */
export type SchedulerFactory = (region: string | undefined) => SchedulerSender;

/** The real client (credentials and region from the usual AWS chain unless `--region`). */
export const defaultSchedulerFactory: SchedulerFactory = (region) =>
  new SchedulerClient(region === undefined ? {} : { region });

/** Placeholders for the ARNs only a deploy knows; the comparison leaves them out. */
const UNKNOWN_ARN = 'arn:aws:unknown';

/** Computes the deploy section (reads the deployed groups when `deployed` names them). */
export async function planDeploy(
  config: BackupConfig,
  deployed: DeployedGroupsOption,
  deps: { readonly makeScheduler: SchedulerFactory; readonly clock: Clock },
): Promise<DeployPlan> {
  const set = desiredScheduleSet(config);
  const prefix = deployed.scheduleGroupPrefix ?? deployed.stack;
  const groups = prefix === undefined ? undefined : scheduleGroupNames(prefix);
  const byName = new Map(set.schedules.map((entry) => [`${entry.kind}/${entry.name}`, entry]));
  if (groups === undefined) {
    const changes = set.schedules.map(
      (entry): DeployChange => ({
        action: 'create',
        group: `(${entry.kind} group)`,
        name: entry.name,
        kind: entry.kind,
        cluster: entry.cluster,
      }),
    );
    return { target: null, counts: { create: changes.length, change: 0, delete: 0, unchanged: 0 }, changes };
  }

  const deployment: ScheduleDeployment = {
    targets: Object.fromEntries(
      SCHEDULE_KINDS.map((kind) => [
        kind,
        { group: groups[kind], stateMachineArn: UNKNOWN_ARN, roleArn: UNKNOWN_ARN },
      ]),
    ) as ScheduleDeployment['targets'],
    deadLetterQueueArn: UNKNOWN_ARN,
  };
  const kindOfGroup = new Map(SCHEDULE_KINDS.map((kind) => [groups[kind], kind]));
  const api = new SchedulerApi({
    scheduler: deps.makeScheduler(deployed.region),
    clock: deps.clock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    pacing: DEFAULT_PACING,
  });
  let plan: Awaited<ReturnType<typeof planSync>>;
  try {
    plan = await planSync(
      api,
      set.schedules.map((entry) => scheduleRequest(entry, deployment)),
      Object.values(groups),
      { deploymentArns: false },
    );
  } catch (error) {
    throw explainSchedulerError(error, Object.values(groups)) ?? error;
  }
  const described = (group: string, name: string) => {
    const kind = kindOfGroup.get(group);
    const entry = kind === undefined ? undefined : byName.get(`${kind}/${name}`);
    return entry === undefined ? {} : { kind: entry.kind, cluster: entry.cluster };
  };
  const changes: DeployChange[] = [
    ...plan.create.map(
      (request): DeployChange => ({
        action: 'create',
        group: request.GroupName,
        name: request.Name,
        ...described(request.GroupName, request.Name),
      }),
    ),
    ...plan.update.map(
      ({ request, fields }): DeployChange => ({
        action: 'change',
        group: request.GroupName,
        name: request.Name,
        ...described(request.GroupName, request.Name),
        fields,
      }),
    ),
    ...plan.delete.map((key): DeployChange => ({ action: 'delete', group: key.group, name: key.name })),
  ];
  return {
    target: {
      groups,
      ...(deployed.region === undefined ? {} : { region: deployed.region }),
      missingGroups: plan.missingGroups,
    },
    counts: {
      create: plan.create.length,
      change: plan.update.length,
      delete: plan.delete.length,
      unchanged: plan.unchanged.length,
    },
    changes,
  };
}

/** Scheduler and credential errors, told plainly (never with request ids or credentials). */
export function explainSchedulerError(error: unknown, groups: readonly string[]): CliError | undefined {
  if (!(error instanceof Error)) return undefined;
  switch (error.name) {
    case 'CredentialsProviderError':
      return failure('no AWS credentials found to read the deployed schedules', {
        hint: 'configure credentials (AWS_PROFILE, `aws sso login`, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), or leave out --stack',
        cause: error,
      });
    case 'AccessDeniedException':
      return failure(`not allowed to read the schedules of ${groups.join(', ')}: ${error.message}`, {
        hint: 'the caller needs scheduler:ListSchedules and scheduler:GetSchedule on those groups',
        cause: error,
      });
    default:
      return undefined;
  }
}

/** At most this many schedules are listed in the text output (`--json` lists them all). */
export const MAX_LISTED_CHANGES = 50;

/** The deploy section as text. */
export function formatDeployPlan(plan: DeployPlan, colors: Colors): string[] {
  const { counts } = plan;
  const summary = `${counts.create} to create, ${counts.change} to change, ${counts.delete} to delete, ${counts.unchanged} unchanged`;
  const lines: string[] = [];
  if (plan.target === null) {
    lines.push(
      `${colors.bold('deploy')} (EventBridge Scheduler, every cluster of this file): ${summary}`,
      colors.dim(
        '  no deployed stack named: everything counts as create (add --stack <name> [--region <region>] to compare with a deployment)',
      ),
    );
  } else {
    const where = plan.target.region === undefined ? '' : ` in ${plan.target.region}`;
    lines.push(
      `${colors.bold('deploy')} (EventBridge Scheduler groups ${Object.values(plan.target.groups).join(', ')}${where}): ${summary}`,
    );
    if (plan.target.missingGroups.length > 0) {
      lines.push(
        colors.yellow(
          `  not found: ${plan.target.missingGroups.join(', ')} (not deployed yet, deployed before the schedule sync, or another region or prefix)`,
        ),
      );
    }
    lines.push(
      colors.dim(
        '  compared: expression, time zone, state, input, retry policy, description; the target, role and dead-letter ARNs are compared by the deploy itself',
      ),
    );
  }
  if (plan.changes.length === 0) return lines;
  const shown = plan.changes.slice(0, MAX_LISTED_CHANGES);
  lines.push(
    formatTable(
      [{ header: 'ACTION' }, { header: 'GROUP' }, { header: 'SCHEDULE' }, { header: 'WHAT CHANGES' }],
      shown.map((change) => [
        change.action,
        change.group,
        change.name,
        change.action === 'change' ? (change.fields ?? []).join(', ') : '',
      ]),
      { indent: '  ', styleHeader: colors.bold },
    ),
  );
  if (plan.changes.length > shown.length) {
    lines.push(`  … and ${plan.changes.length - shown.length} more (--json lists them all)`);
  }
  return lines;
}
