/** `sr-backup report`: one self-contained HTML report of the catalog (local or deployed) over a period. */

import { timeZoneProblem } from '#domain/config/index.ts';
import type { ReportRequest } from '#domain/report/index.ts';
import { loadConfigFile } from '#local/config/load.ts';
import {
  explainAwsTableError,
  type LifecycleStoreOptions,
  type LifecycleTables,
  openLifecycleTables,
  targetsDeployed,
} from '../commands/lifecycle-tables.ts';
import { EXIT, type ExitCode, failure, usageError } from '../support/cli-error.ts';
import { explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { storeIsAbsent, storeLocation } from '../support/local-store.ts';
import { reportError } from '../support/report.ts';
import { selectCluster } from '../support/selection.ts';
import type { ReportSince } from './report-options.ts';
import { writeLocalReport } from './write-report.ts';

/** Options of `sr-backup report`. */
export interface ReportCommandOptions extends LifecycleStoreOptions {
  readonly config: string;
  readonly cluster?: string[];
  readonly since: ReportSince;
  readonly until?: Date;
  readonly timeZone: string;
  readonly title?: string;
  readonly out: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

function request(options: ReportCommandOptions, clusters: ReportRequest['clusters']): ReportRequest {
  return {
    clusters,
    ...('days' in options.since ? { days: options.since.days } : { since: options.since.at }),
    ...(options.until === undefined ? {} : { until: options.until }),
    timeZone: options.timeZone,
    ...(options.title === undefined ? {} : { title: options.title }),
  };
}

/** Runs the command; resolves with the exit status. */
export async function runReportCommand(options: ReportCommandOptions, io: CommandIo): Promise<ExitCode> {
  const colors = colorsFor(io);
  let tables: LifecycleTables | undefined;
  try {
    const problem = timeZoneProblem(options.timeZone);
    if (problem !== undefined) throw usageError(`--time-zone ${options.timeZone}: ${problem}`);
    const config = await loadConfigFile(options.config);
    const clusters =
      options.cluster === undefined
        ? config.clusters
        : options.cluster.map((name) => selectCluster(config, name, options.config).cluster);
    const location = storeLocation(options);
    if (!targetsDeployed(options, io.env) && storeIsAbsent(location)) {
      throw failure(
        `no local catalog in ${location.kind === 'state-dir' ? location.stateDir : 'the state directory'} yet`,
        {
          hint: `\`sr-backup run --config ${options.config}\` creates it; a report needs backups to report on`,
        },
      );
    }
    const until = options.until?.getTime() ?? io.clock.now();
    if ('at' in options.since && options.since.at.getTime() >= until) {
      throw usageError('--since must be before --until (or now)');
    }
    tables = await openLifecycleTables(options, io, { locks: false, readOnly: true });
    const written = await writeLocalReport(
      { ...request(options, clusters), out: options.out },
      { client: tables.client, tableName: tables.catalogTableName, clock: io.clock },
    );
    const { data, summary } = written;
    if (options.json) {
      io.stdout.write(
        `${JSON.stringify(
          {
            out: written.path,
            bytes: written.bytes,
            period: data.period,
            timeZone: data.timeZone,
            clusters: data.clusters.map((cluster) => cluster.name),
            databases: data.databases.length,
            slots: summary.slots,
            failedAttempts: summary.failedAttempts,
            databasesOverObjective: summary.databasesOverObjective,
            drills: summary.drills,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      const c = summary.slots;
      io.stdout.write(
        `Report of ${data.databases.length} databases over ${data.period.days} days (${data.period.firstDay} on, ${data.timeZone}): ` +
          `${c.F + c.U} finished, ${c.X} failed, ${c.T} timed out, ${c.S} skipped, ${c.L} lost, ${c.P} paused, ${c.M} missed.\n` +
          `${colors.out.bold('Wrote')} ${written.path} (${(written.bytes / 1024).toFixed(0)} KiB): open it in a browser, or send it; it needs no network.\n`,
      );
    }
    return EXIT.ok;
  } catch (error) {
    const explained =
      explainAwsTableError(error, { catalog: tables?.catalogTableName ?? options.catalogTable }) ??
      explainError(error, { configPath: options.config, dynamodbEndpoint: options.dynamodbEndpoint });
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return explained.exitCode;
  } finally {
    await tables?.close();
  }
}
