/**
 * §3 Schedules at scale (issue 15 §3): resources at synth for 1 / 100 / 2,000 clusters × schedules, for this design
 * (the schedules as data, kept by one sync) next to the previous design (one CloudFormation resource per schedule
 * and an alarm per cluster), both synthesized in the same run; and the sync of those schedules, run by the real
 * sync code and pacer on virtual time against an in-memory Scheduler.
 *
 * The previous design is the source tree of {@link BASELINE_COMMIT}, extracted from git into bench/.out/ and
 * synthesized in its own process (CDK's 500-resource check lifted, so that a stack CloudFormation would refuse can
 * still be counted).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '#domain/logger.ts';
import { desiredScheduleSet } from '#domain/schedules/desired.ts';
import {
  type ScheduleDeployment,
  type ScheduleRequest,
  scheduleGroupNames,
  scheduleRequest,
} from '#domain/schedules/schedule-set.ts';
import {
  type CallCounts,
  DEFAULT_PACING,
  SchedulerApi,
  type SchedulerSender,
} from '#domain/schedules/scheduler-api.ts';
import { deleteAllSchedules, syncSchedules } from '#domain/schedules/sync.ts';
import { runJsonChild } from '../support/child-process.ts';
import { InMemoryScheduler } from './in-memory-scheduler.ts';
import type { ScheduleScaleMeasurement } from './schedule-scale-main.ts';
import { scaledConfig } from './synth.ts';
import { VirtualTimers } from './virtual-timers.ts';

/**
 * The last commit whose stack declared every schedule as an `AWS::Scheduler::Schedule` resource and every cluster
 * its own `BackupFailed-<cluster>` alarm (the design before issue 15 §3).
 */
export const BASELINE_COMMIT = '36b8d947ca55ec7bb1cee32cb87cc5306845a16a';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('./schedule-scale-main.ts', import.meta.url));

/** The sizes (N clusters × 1 schedule) of the full and the quick run. */
export const SCHEDULE_SCALE_SIZES = { full: [1, 100, 2000], quick: [1, 100] } as const;

/** Simulated Scheduler latency per call (an in-Region API call; the pacer, not the latency, sets the pace). */
export const SIMULATED_LATENCY_MS = 30;

/** One simulated sync. */
export interface SyncSimulation {
  readonly what: string;
  /** Virtual seconds from the first call to the last. */
  readonly seconds: number;
  readonly calls: CallCounts;
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
}

/** The part's result. */
export interface ScheduleScaleResult {
  readonly sizes: readonly number[];
  readonly current: readonly ScheduleScaleMeasurement[] | { readonly error: string };
  readonly baseline: readonly ScheduleScaleMeasurement[] | { readonly error: string };
  readonly baselineCommit: string;
  /** The syncs of the largest size's schedules. */
  readonly sync: {
    readonly clusterSchedules: number;
    readonly schedules: number;
    readonly requestsPerSecond: number;
    readonly latencyMs: number;
    readonly runs: readonly SyncSimulation[];
    /** Real CPU time of all the simulated syncs together, ms. */
    readonly realMs: number;
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The previous design's source tree (cdk/, lambdas/, statemachines/ and the lock file it bundles with). */
export function prepareBaseline(commit: string = BASELINE_COMMIT): string {
  const dir = `${ROOT}bench/.out/baseline-${commit.slice(0, 12)}`;
  if (existsSync(`${dir}/cdk/backup-scheduler-stack.ts`)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = execFileSync(
    'git',
    [
      'archive',
      '--format=tar',
      commit,
      'cdk',
      'lambdas',
      'statemachines',
      'package.json',
      'package-lock.json',
    ],
    { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 },
  );
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  return dir;
}

async function measure(
  root: string,
  sizes: readonly number[],
): Promise<readonly ScheduleScaleMeasurement[] | { error: string }> {
  try {
    const result = await runJsonChild<{ measurements: ScheduleScaleMeasurement[] }>(
      MAIN,
      [root, '0', ...sizes.map(String)],
      20 * 60_000,
    );
    return result.measurements;
  } catch (error) {
    return { error: message(error) };
  }
}

/** The deployment's ARNs as the sync would receive them (their values do not matter to the simulation). */
function deployment(): ScheduleDeployment {
  const groups = scheduleGroupNames('BenchStack');
  const target = (group: string, name: string) => ({
    group,
    stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`,
    roleArn: `arn:aws:iam::123456789012:role/${name}Schedules`,
  });
  return {
    targets: {
      backup: target(groups.backup, 'NightlyBackup'),
      freshness: target(groups.freshness, 'FreshnessCheck'),
      drill: target(groups.drill, 'RestoreDrill'),
    },
    deadLetterQueueArn: 'arn:aws:sqs:us-east-1:123456789012:dead-letters',
  };
}

/**
 * Runs the sync's real code (planning, pacing, retries) on virtual time against an in-memory Scheduler answering
 * each call after `latencyMs`: create from empty, a redeploy that changes nothing (reads only), a change of one
 * schedule, a change of every schedule (a new role ARN: the worst update), and the stack's deletion.
 */
export async function simulateSync(clusterSchedules: number, latencyMs = SIMULATED_LATENCY_MS) {
  const started = performance.now();
  const target = deployment();
  const groups = [...new Set(Object.values(target.targets).map((kind) => kind.group))];
  const service = new InMemoryScheduler(groups);
  const desired = desiredScheduleSet(scaledConfig(clusterSchedules, 1)).schedules.map((entry) =>
    scheduleRequest(entry, target),
  );
  const runs: SyncSimulation[] = [];
  const run = async (what: string, action: (api: SchedulerApi) => ReturnType<typeof syncSchedules>) => {
    const time = new VirtualTimers();
    const scheduler: SchedulerSender = {
      send: (async (command: unknown) => {
        await time.sleep(latencyMs);
        return service.handle(command);
      }) as SchedulerSender['send'],
    };
    const api = new SchedulerApi({
      scheduler,
      clock: time,
      sleep: (ms) => time.sleep(ms),
      random: Math.random,
      pacing: DEFAULT_PACING,
    });
    const report = await action(api);
    runs.push({
      what,
      seconds: time.now() / 1000,
      calls: report.calls,
      created: report.created,
      updated: report.updated,
      deleted: report.deleted,
    });
  };
  await run('first deploy: create every schedule', (api) =>
    syncSchedules(api, desired, groups, silentLogger),
  );
  await run('a sync with nothing to change (reads only)', (api) =>
    syncSchedules(api, desired, groups, silentLogger),
  );
  const oneChanged = desired.map((request, index) =>
    index === 0 ? { ...request, ScheduleExpression: 'cron(15 2 * * ? *)' } : request,
  );
  await run('one schedule changed', (api) => syncSchedules(api, oneChanged, groups, silentLogger));
  const allMoved = oneChanged.map(
    (request): ScheduleRequest => ({
      ...request,
      Target: {
        ...request.Target,
        RoleArn: 'arn:aws:iam::123456789012:role/Renamed',
      } as ScheduleRequest['Target'],
    }),
  );
  await run('every schedule changed (a new role ARN)', (api) =>
    syncSchedules(api, allMoved, groups, silentLogger),
  );
  await run('stack deleted: delete every schedule', (api) => deleteAllSchedules(api, groups, silentLogger));
  return {
    clusterSchedules,
    schedules: desired.length,
    requestsPerSecond: DEFAULT_PACING.requestsPerSecond,
    latencyMs,
    runs,
    realMs: performance.now() - started,
  };
}

/** Runs the part: both designs' synthesis (one fresh process each), then the sync simulation. */
export async function runScheduleScale(options: {
  quick: boolean;
  log?: (line: string) => void;
}): Promise<ScheduleScaleResult> {
  const log = options.log ?? (() => undefined);
  const sizes = options.quick ? SCHEDULE_SCALE_SIZES.quick : SCHEDULE_SCALE_SIZES.full;
  log(`§3 scale: resources at synth for ${sizes.join(' / ')} clusters × schedules, this design`);
  const current = await measure(ROOT, sizes);
  let baseline: ScheduleScaleResult['baseline'];
  try {
    const dir = prepareBaseline();
    log(
      `§3 scale: the same for the previous design (${BASELINE_COMMIT.slice(0, 12)}, extracted to bench/.out)`,
    );
    baseline = await measure(dir, sizes);
  } catch (error) {
    baseline = { error: message(error) };
  }
  const largest = sizes.at(-1) ?? 1;
  log(`§3 scale: the schedule sync of ${largest} clusters × schedules, on virtual time`);
  const sync = await simulateSync(largest);
  return { sizes, current, baseline, baselineCommit: BASELINE_COMMIT, sync };
}
