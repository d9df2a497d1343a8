/**
 * `sr-backup demo` (what `npm start` runs): a whole nightly backup of a demo cluster on the embedded StarRocks
 * FE emulator and an in-memory DynamoDB, with live progress, the final table, the printed Slack alert and the
 * catalog. Nothing leaves the machine. Exit 0 when the demo behaved as designed, including its one failure.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { createCatalogStore } from '#domain/catalog/index.ts';
import { previousSlot } from '#domain/config/index.ts';
import { formatDuration } from '#domain/time-format.ts';
import { type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import type { ObservedAlert } from '#runtime/runtime.ts';
import { formatResultsTable, summarizeResults } from '../format/results.ts';
import { formatUtc } from '../format/time.ts';
import { newestAttempts } from '../inspect/catalog-reader.ts';
import { formatSnapshotsTable } from '../inspect/snapshots-command.ts';
import { writeLocalReport } from '../report/write-report.ts';
import { formatAlert } from '../run/alerts.ts';
import { executeLocalRun, type ProgressDisplay } from '../run/local-run.ts';
import { isolateFromAwsSettings } from '../support/aws-isolation.ts';
import { EXIT, type ExitCode } from '../support/cli-error.ts';
import { explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { type LocalStore, openLocalStore } from '../support/local-store.ts';
import { reportError } from '../support/report.ts';
import {
  DEMO_FAILING_DATABASE,
  demoClusterScenario,
  demoConfig,
  demoConfigInput,
  demoDeviations,
} from './demo-setup.ts';

/** Options of `sr-backup demo`. */
export interface DemoCommandOptions {
  readonly verbose?: boolean;
  /** Where the demo's HTML report goes (default: sr-backup-demo-report.html in the system's temporary folder). */
  readonly report?: string;
}

function indent(text: string, prefix = '  '): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${prefix}${line}`))
    .join('\n');
}

/** Runs the demo; resolves with the exit status. */
export async function runDemoCommand(options: DemoCommandOptions, io: CommandIo): Promise<ExitCode> {
  const colors = colorsFor(io);
  const out = colors.out;
  const write = (text = ''): void => {
    io.stdout.write(`${text}\n`);
  };
  const startedMs = io.clock.now();
  let emulator: EmulatorHandle | undefined;
  let store: LocalStore | undefined;
  try {
    isolateFromAwsSettings(io.env);
    emulator = await startEmulator({ scenario: demoClusterScenario(), port: 0 });
    store = await openLocalStore({ kind: 'memory' });
    const config = demoConfig({ host: emulator.host, port: emulator.port });
    const cluster = config.clusters[0];
    const schedule = cluster?.schedules[0];
    if (!cluster || !schedule) throw new Error('the demo configuration lost its cluster');
    const scheduledTime = previousSlot(schedule, new Date(io.clock.now()));
    if (!scheduledTime) throw new Error('the demo schedule has no past slot');

    write(out.bold('sr-backup demo: a whole nightly backup, on this machine'));
    write(
      indent(
        [
          `StarRocks FE: the embedded emulator on ${emulator.host}:${emulator.port} (StarRocks ${emulator.state.profile.version}),`,
          'five databases: sales, marketing, inventory, analytics_scratch (excluded by a pattern) and archive_2019',
          `(empty). StarRocks will cancel the backup of ${DEMO_FAILING_DATABASE}, so you see the failure path and its alert.`,
          'DynamoDB: embedded, in memory. Slack: alerts are printed here, not sent.',
          '',
          'The configuration (the same format `cdk deploy` reads):',
        ].join('\n'),
      ),
    );
    write(
      out.dim(
        indent(stringify(demoConfigInput({ host: emulator.host, port: emulator.port })).trimEnd(), '    '),
      ),
    );
    write();

    const alerts: ObservedAlert[] = [];
    const title = `${cluster.name} / ${schedule.name}, slot ${formatUtc(scheduledTime)}`;
    const display: ProgressDisplay = io.stdout.isTTY
      ? { kind: 'task-list', title, output: io.stdout }
      : { kind: 'lines', stream: io.stdout };
    const result = await executeLocalRun({
      config,
      cluster: cluster.name,
      schedule,
      scheduledTime,
      tables: store.tables,
      // The demo never uses the user's FE password or Slack webhook.
      secretEnv: {},
      display,
      colors: out,
      clock: io.clock,
      onAlert: (alert) => alerts.push(alert),
    });

    write();
    write(out.bold('Results'));
    write(
      formatResultsTable(result.results, out, {
        indent: '  ',
        note: (row) =>
          row.database === DEMO_FAILING_DATABASE && row.state === 'FAILED'
            ? '(expected: part of the demo)'
            : row.error === 'empty'
              ? '(no tables: nothing to back up)'
              : undefined,
      }),
    );
    write(`  ${summarizeResults(result.results)}; analytics_scratch was excluded by the pattern *_scratch.`);
    write();
    for (const alert of alerts) write(formatAlert(alert, { webhookSet: false, colors: out }));

    const catalog = createCatalogStore({
      client: store.client,
      tableName: store.tables.catalogTableName,
      clock: io.clock,
    });
    const attempts = await newestAttempts(catalog, { cluster: cluster.name, limit: 50 });
    write(out.bold('The snapshot catalog (what `sr-backup snapshots` shows)'));
    write(formatSnapshotsTable(attempts, out, { showCluster: false, indent: '  ' }));
    write();

    const report = await writeLocalReport(
      {
        clusters: config.clusters,
        days: 7,
        title: 'StarRocks backups (demo)',
        out: options.report ?? join(tmpdir(), 'sr-backup-demo-report.html'),
      },
      { client: store.client, tableName: store.tables.catalogTableName, clock: io.clock },
    );

    const backups = emulator.statements.filter((entry) => /^\s*BACKUP\b/i.test(entry.sql)).length;
    const deviations = demoDeviations(result.results, alerts);
    const elapsed = formatDuration((io.clock.now() - startedMs) / 1000);
    if (deviations.length > 0) {
      write(out.red(`The demo did not behave as designed (${elapsed}):`));
      for (const deviation of deviations) write(`  - ${deviation}`);
      return EXIT.failed;
    }
    write(
      `${out.green('✔ Demo complete')} in ${elapsed}: ${backups} BACKUP statements, ${summarizeResults(result.results)} — ` +
        `the one failure (${DEMO_FAILING_DATABASE}) was planned, so the demo exits 0.`,
    );
    write();
    write(out.bold('Next'));
    write(
      indent(
        [
          'cp backup.config.example.yaml backup.yaml      # describe your cluster',
          'npx sr-backup validate --config backup.yaml',
          'npx sr-backup plan --config backup.yaml --resolve',
          'STARROCKS_PASSWORD=… npx sr-backup run --config backup.yaml',
          'npx sr-backup snapshots --config backup.yaml   # docs/cli.md has every command',
          'npx sr-backup report --config backup.yaml --out report.html',
        ].join('\n'),
      ),
    );
    write();
    write(
      `${out.bold('Report')} of the demo's catalog (what \`sr-backup report\` writes; it opens without a network):`,
    );
    write(`  ${pathToFileURL(report.path).href}`);
    return EXIT.ok;
  } catch (error) {
    const explained = explainError(error);
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return explained.exitCode;
  } finally {
    await store?.close();
    await emulator?.close();
  }
}
