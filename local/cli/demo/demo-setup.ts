/**
 * The demo's cluster and configuration: the emulator's demo cluster with short backups, one of which StarRocks
 * cancels, so a whole nightly run (including its failure path and Slack alert) fits in a few seconds.
 */
import { type BackupConfig, parseConfig } from '#domain/config/index.ts';
import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';
import { demoScenario, type EmulatorScenario } from '#local/emulator/index.ts';

/** The database StarRocks cancels in the demo. */
export const DEMO_FAILING_DATABASE = 'marketing';

/** StarRocks' Status text for it (a tablet with no healthy replica: a real-world cause). */
export const DEMO_CANCEL_STATUS =
  '[COMMON_ERROR, msg: failed to choose replica to make snapshot for tablet 10042. visible version: 5]';

/** Backup durations of the demo (ms): different sizes take different times. */
const DURATIONS_MS: Readonly<Record<string, number>> = { sales: 7000, marketing: 5000, inventory: 3500 };

/** The demo's emulated cluster. */
export function demoClusterScenario(): EmulatorScenario {
  return {
    ...demoScenario,
    defaultBackupDurationMs: 3000,
    databases: demoScenario.databases.map((database) => {
      const durationMs = DURATIONS_MS[database.name];
      if (durationMs === undefined) return database;
      return {
        ...database,
        backup: {
          durationMs,
          ...(database.name === DEMO_FAILING_DATABASE
            ? { outcome: { cancelWithStatus: DEMO_CANCEL_STATUS, atState: 'UPLOADING' as const } }
            : {}),
        },
      };
    }),
  };
}

/** The configuration the demo runs, as a user would write it (the FE address filled in). */
export function demoConfigInput(fe: { host: string; port: number }) {
  return {
    clusters: [
      {
        name: 'demo',
        host: fe.host,
        port: fe.port,
        user: 'root',
        repository: 's3_repo',
        include: ['*'],
        exclude: ['*_scratch'],
        maxConcurrentBackups: 3,
        timeoutSeconds: 3600,
        schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
      },
    ],
    poll: { minSeconds: 1, maxSeconds: 2 },
  };
}

/** The validated demo configuration. */
export function demoConfig(fe: { host: string; port: number }): BackupConfig {
  return parseConfig(demoConfigInput(fe));
}

/** What the demo must end with, database by database (analytics_scratch is excluded and never appears). */
export const DEMO_EXPECTED_STATES: Readonly<Record<string, BackupOutcomeState>> = {
  archive_2019: 'SKIPPED',
  inventory: 'FINISHED',
  marketing: 'FAILED',
  sales: 'FINISHED',
};

/** Every way the run differs from what the demo is designed to show (empty when it behaved). */
export function demoDeviations(
  results: readonly { readonly database: string; readonly state: BackupOutcomeState }[],
  alerts: readonly { readonly kind: string; readonly text: string }[],
): string[] {
  const deviations: string[] = [];
  const byName = new Map(results.map((result) => [result.database, result.state]));
  for (const [database, expected] of Object.entries(DEMO_EXPECTED_STATES)) {
    const actual = byName.get(database);
    if (actual !== expected) deviations.push(`${database}: expected ${expected}, got ${actual ?? 'nothing'}`);
  }
  for (const database of byName.keys()) {
    if (!(database in DEMO_EXPECTED_STATES)) deviations.push(`${database}: should not have been backed up`);
  }
  const failureAlerts = alerts.filter(
    (alert) => alert.kind === 'backup-failure' && alert.text.includes(DEMO_FAILING_DATABASE),
  );
  if (failureAlerts.length !== 1)
    deviations.push(`expected one Slack alert for ${DEMO_FAILING_DATABASE}, got ${failureAlerts.length}`);
  return deviations;
}
