/**
 * `sr-backup describe`: every attempt of one database (or of one run), with its label, timings, outcome, error and
 * the hint an alert would give, and the Step Functions console link of a deployed execution.
 */
import type { BackupAttempt, CatalogStore } from '#domain/catalog/index.ts';
import { createCatalogStore } from '#domain/catalog/index.ts';
import { executionConsoleUrl } from '#domain/notify/execution-link.ts';
import { hintForFailure } from '#domain/notify/failure-hints.ts';
import { formatDuration } from '#domain/time-format.ts';
import { loadConfigFile } from '#local/config/load.ts';
import { type LifecycleStoreOptions, runLifecycleCommand } from '../commands/lifecycle-tables.ts';
import type { Colors } from '../format/color.ts';
import { colorState } from '../format/results.ts';
import { formatUtc } from '../format/time.ts';
import { EXIT, type ExitCode, usageError } from '../support/cli-error.ts';
import type { CommandIo } from '../support/io.ts';
import { type SinceOption, sinceInstant } from '../support/option-parsers.ts';
import { selectCluster } from '../support/selection.ts';
import { newestAttempts } from './catalog-reader.ts';

/** Options of `sr-backup describe`. */
export interface DescribeCommandOptions extends LifecycleStoreOptions {
  readonly config: string;
  readonly cluster?: string;
  /** The database whose attempts to show; or `run`. */
  readonly database?: string;
  /** The run (its id, as `snapshots --json` and `run --json` print `runId`) whose attempts to show. */
  readonly run?: string;
  readonly limit: number;
  readonly since?: SinceOption;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** One attempt as `describe --json` prints it. */
export interface DescribedAttempt {
  readonly cluster: string;
  readonly database: string;
  readonly snapshot: string;
  readonly schedule: string;
  readonly runId: string;
  readonly executionId: string;
  readonly attempt: number;
  readonly state: BackupAttempt['state'];
  readonly scheduledTime: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationSeconds: number | null;
  readonly sizeBytes: number | null;
  readonly verified: boolean;
  readonly error: string | null;
  /** What an alert would tell to do about the failure (null unless FAILED or TIMED_OUT). */
  readonly hint: string | null;
  /** The Step Functions console page of a deployed execution (null for a local run). */
  readonly consoleUrl: string | null;
}

function describeAttempt(
  attempt: BackupAttempt,
  cluster: { user: string; repository: string; timeoutSeconds: number },
): DescribedAttempt {
  return {
    cluster: attempt.cluster,
    database: attempt.database,
    snapshot: attempt.label,
    schedule: attempt.schedule,
    runId: attempt.runId,
    executionId: attempt.executionId,
    attempt: attempt.attempt,
    state: attempt.state,
    scheduledTime: attempt.scheduledTime,
    startedAt: attempt.startedAt,
    finishedAt: attempt.finishedAt,
    durationSeconds: attempt.durationSeconds,
    sizeBytes: attempt.sizeBytes,
    verified: attempt.verified,
    error: attempt.state === 'FINISHED' ? null : attempt.reason,
    hint:
      attempt.state === 'FAILED' || attempt.state === 'TIMED_OUT'
        ? hintForFailure({
            state: attempt.state,
            reason: attempt.reason ?? '',
            database: attempt.database,
            repository: cluster.repository,
            user: cluster.user,
            timeoutSeconds: cluster.timeoutSeconds,
          })
        : null,
    consoleUrl: executionConsoleUrl(attempt.executionId) ?? null,
  };
}

function formatDescribed(entries: readonly DescribedAttempt[], colors: Colors): string {
  const lines: string[] = [];
  for (const entry of entries) {
    lines.push(
      `${colors.bold(entry.database)}  ${colorState(entry.state, colors)}  slot ${formatUtc(entry.scheduledTime)}  ${entry.snapshot}`,
    );
    const timing = [
      entry.startedAt === null ? null : `started ${formatUtc(entry.startedAt)}`,
      entry.finishedAt === null ? null : `ended ${formatUtc(entry.finishedAt)}`,
      entry.durationSeconds === null ? null : `took ${formatDuration(entry.durationSeconds)}`,
    ].filter((part) => part !== null);
    if (timing.length > 0) lines.push(`  ${timing.join(', ')}`);
    lines.push(
      `  run ${entry.runId} · attempt ${entry.attempt} · schedule ${entry.schedule}${entry.verified ? ' · verified' : ''}`,
    );
    if (entry.error !== null) lines.push(`  ${colors.red('error:')} ${entry.error}`);
    if (entry.hint !== null) lines.push(`  ${colors.dim('hint:')} ${entry.hint}`);
    if (entry.consoleUrl !== null) lines.push(`  ${colors.dim('console:')} ${entry.consoleUrl}`);
  }
  return lines.join('\n');
}

async function attemptsOfRun(catalog: CatalogStore, runId: string, limit: number): Promise<BackupAttempt[]> {
  const attempts: BackupAttempt[] = [];
  let cursor: string | null = null;
  do {
    const page = await catalog.listRun({ runId, cursor, limit: 100 });
    attempts.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null && attempts.length < limit);
  return attempts.sort((a, b) => a.database.localeCompare(b.database)).slice(0, limit);
}

/** Runs the command; resolves with the exit status (0 shown, 1 nothing recorded, 2 usage). */
export function runDescribeCommand(options: DescribeCommandOptions, io: CommandIo): Promise<ExitCode> {
  return runLifecycleCommand(options, io, async (session) => {
    if ((options.database === undefined) === (options.run === undefined)) {
      throw usageError('name one database (describe <database>) or one run (--run <runId>)', {
        hint: '`sr-backup snapshots --json` prints each attempt with its database and runId',
      });
    }
    const config = await loadConfigFile(options.config);
    const { cluster } = selectCluster(config, options.cluster, options.config);
    const tables = await session.open({ locks: false, readOnly: true });
    const catalog = createCatalogStore({
      client: tables.client,
      tableName: tables.catalogTableName,
      clock: io.clock,
    });
    const attempts =
      options.run !== undefined
        ? await attemptsOfRun(catalog, options.run, options.limit)
        : await newestAttempts(catalog, {
            cluster: cluster.name,
            database: options.database,
            limit: options.limit,
            since: options.since === undefined ? undefined : sinceInstant(options.since, io.clock.now()),
          });
    const described = attempts.map((attempt) => describeAttempt(attempt, cluster));
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ attempts: described }, null, 2)}\n`);
    } else if (described.length === 0) {
      io.stdout.write(
        `${tables.description} has no attempt of ${options.run === undefined ? `database ${options.database} on cluster ${cluster.name}` : `run ${options.run}`}.\n`,
      );
    } else {
      io.stdout.write(`${formatDescribed(described, session.colors.out)}\n`);
    }
    return described.length === 0 ? EXIT.failed : EXIT.ok;
  });
}
