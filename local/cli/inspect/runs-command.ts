/**
 * `sr-backup runs`: the recent nightly runs of the catalog, newest first, each with its outcome counts, read over
 * a period with the cluster/time index and grouped by run.
 */
import type { BackupAttempt, CatalogStore } from '#domain/catalog/index.ts';
import { createCatalogStore, stateRank } from '#domain/catalog/index.ts';
import { executionConsoleUrl } from '#domain/notify/execution-link.ts';
import { formatDuration } from '#domain/time-format.ts';
import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';
import { loadConfigFile } from '#local/config/load.ts';
import {
  type LifecycleStoreOptions,
  runLifecycleCommand,
  targetsDeployed,
} from '../commands/lifecycle-tables.ts';
import type { Colors } from '../format/color.ts';
import { formatTable } from '../format/table.ts';
import { formatUtc, secondsBetweenIso } from '../format/time.ts';
import { EXIT, type ExitCode } from '../support/cli-error.ts';
import type { CommandIo } from '../support/io.ts';
import { storeIsAbsent, storeLocation } from '../support/local-store.ts';
import { type SinceOption, sinceInstant } from '../support/option-parsers.ts';
import { selectClusters } from '../support/selection.ts';

/** Options of `sr-backup runs`. */
export interface RunsCommandOptions extends LifecycleStoreOptions {
  readonly config: string;
  readonly cluster?: string;
  /** Only runs of slots at or after this (default: 7 days back). */
  readonly since?: SinceOption;
  readonly limit: number;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** How many databases of a run ended in each state. */
export type OutcomeCounts = Readonly<Record<BackupOutcomeState, number>>;

/** One run as `runs --json` prints it. */
export interface RunSummary {
  readonly runId: string;
  readonly cluster: string;
  readonly schedule: string;
  readonly scheduledTime: string;
  /** The earliest start and the latest end of its databases' attempts (null when none recorded one). */
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly databases: number;
  readonly counts: OutcomeCounts;
  /** `FAILED` when any database FAILED or TIMED_OUT, else `SUCCEEDED`. */
  readonly outcome: 'SUCCEEDED' | 'FAILED';
  /** The Step Functions console page of a deployed run (null for a local one). */
  readonly consoleUrl: string | null;
}

/** The default period: a week back. */
export const DEFAULT_RUNS_SINCE: SinceOption = { agoSeconds: 7 * 24 * 3600 };

/** Far enough ahead that every recorded slot is before it. */
const END_OF_TIME = new Date(Date.UTC(9999, 0, 1));
const STATES: readonly BackupOutcomeState[] = ['FINISHED', 'FAILED', 'TIMED_OUT', 'SKIPPED'];

/**
 * Groups attempts by run: the best attempt of each database (a database retried within a run counts once), its
 * counts per state, the run's slot, schedule and span.
 */
export function summarizeRuns(attempts: readonly BackupAttempt[]): RunSummary[] {
  const byRun = new Map<string, Map<string, BackupAttempt>>();
  for (const attempt of attempts) {
    const key = `${attempt.cluster}\u0000${attempt.runId}`;
    const databases = byRun.get(key) ?? new Map<string, BackupAttempt>();
    byRun.set(key, databases);
    const known = databases.get(attempt.database);
    if (!known || stateRank(attempt.state) > stateRank(known.state)) databases.set(attempt.database, attempt);
  }
  const runs: RunSummary[] = [];
  for (const databases of byRun.values()) {
    const best = [...databases.values()];
    const first = best[0];
    if (first === undefined) continue;
    const counts = Object.fromEntries(
      STATES.map((state) => [state, best.filter((attempt) => attempt.state === state).length]),
    ) as Record<BackupOutcomeState, number>;
    const starts = best.map((attempt) => attempt.startedAt).filter((at): at is string => at !== null);
    const ends = best.map((attempt) => attempt.finishedAt).filter((at): at is string => at !== null);
    runs.push({
      runId: first.runId,
      cluster: first.cluster,
      schedule: first.schedule,
      scheduledTime: best.map((attempt) => attempt.scheduledTime).sort()[0] ?? first.scheduledTime,
      startedAt: starts.sort()[0] ?? null,
      finishedAt: ends.sort().at(-1) ?? null,
      databases: best.length,
      counts,
      outcome: counts.FAILED + counts.TIMED_OUT > 0 ? 'FAILED' : 'SUCCEEDED',
      consoleUrl: executionConsoleUrl(first.runId) ?? null,
    });
  }
  return runs.sort(
    (a, b) =>
      b.scheduledTime.localeCompare(a.scheduledTime) ||
      (b.startedAt ?? '').localeCompare(a.startedAt ?? '') ||
      a.cluster.localeCompare(b.cluster),
  );
}

/** The attempts of the period, and what runs that only adopted them (a slot run again) recorded of them. */
async function attemptsSince(catalog: CatalogStore, cluster: string, from: Date): Promise<BackupAttempt[]> {
  const attempts: BackupAttempt[] = [];
  for (const list of [catalog.listBetween, catalog.listAdoptedBetween]) {
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list({
        cluster,
        from,
        to: END_OF_TIME,
        cursor,
        limit: 500,
      });
      attempts.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
  }
  return attempts;
}

function countsText(counts: OutcomeCounts, colors: Colors): string {
  const paint: Record<BackupOutcomeState, (text: string) => string> = {
    FINISHED: colors.green,
    FAILED: colors.red,
    TIMED_OUT: colors.red,
    SKIPPED: colors.yellow,
  };
  const parts = STATES.filter((state) => counts[state] > 0).map((state) =>
    paint[state](`${counts[state]} ${state}`),
  );
  return parts.length > 0 ? parts.join(', ') : 'no databases';
}

function formatRuns(runs: readonly RunSummary[], colors: Colors, showCluster: boolean): string {
  const rows = runs.map((run) => {
    const seconds = secondsBetweenIso(run.startedAt, run.finishedAt);
    return [
      ...(showCluster ? [run.cluster] : []),
      formatUtc(run.scheduledTime),
      run.schedule,
      run.outcome === 'FAILED' ? colors.red(run.outcome) : colors.green(run.outcome),
      countsText(run.counts, colors),
      seconds === null ? '-' : formatDuration(seconds),
      run.runId,
    ];
  });
  return formatTable(
    [
      ...(showCluster ? [{ header: 'CLUSTER' }] : []),
      { header: 'SLOT' },
      { header: 'SCHEDULE' },
      { header: 'OUTCOME' },
      { header: 'DATABASES' },
      { header: 'DURATION', align: 'right' as const },
      { header: 'RUN' },
    ],
    rows,
    { styleHeader: colors.bold },
  );
}

/** Runs the command; resolves with the exit status (0 listed, even when empty; 2 usage). */
export async function runRunsCommand(options: RunsCommandOptions, io: CommandIo): Promise<ExitCode> {
  return runLifecycleCommand(options, io, async (session) => {
    const config = await loadConfigFile(options.config);
    const clusters = selectClusters(config, options.cluster, options.config);
    const from = sinceInstant(options.since ?? DEFAULT_RUNS_SINCE, io.clock.now());
    const location = storeLocation(options);
    if (!targetsDeployed(options, io.env) && storeIsAbsent(location)) {
      if (options.json) io.stdout.write(`${JSON.stringify({ runs: [] }, null, 2)}\n`);
      else
        io.stdout.write(
          `No local catalog in ${location.kind === 'state-dir' ? location.stateDir : ''} yet: \`sr-backup run --config ${options.config}\` creates it.\n`,
        );
      return EXIT.ok;
    }
    const tables = await session.open({ locks: false, readOnly: true });
    const catalog = createCatalogStore({
      client: tables.client,
      tableName: tables.catalogTableName,
      clock: io.clock,
    });
    const attempts: BackupAttempt[] = [];
    for (const { cluster } of clusters) attempts.push(...(await attemptsSince(catalog, cluster.name, from)));
    const runs = summarizeRuns(attempts).slice(0, options.limit);
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ runs }, null, 2)}\n`);
    } else if (runs.length === 0) {
      io.stdout.write(`${tables.description} has no run with a slot since ${formatUtc(from)}.\n`);
    } else {
      io.stdout.write(`${formatRuns(runs, session.colors.out, clusters.length > 1)}\n`);
    }
    return EXIT.ok;
  });
}
