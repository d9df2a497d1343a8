/**
 * §3 A nightly run of one very wide cluster (10,000 databases): the parent NightlyBackup and its BackupLane
 * executions run for real (ResolveDatabases against an emulated FE, the queue in dynalite, ClaimDatabase, the real
 * ASL), while each BackupDatabase child is answered by a stub, since the parent's figures are what this measures:
 * the largest state of each execution, the history events of each, wall time and memory.
 *
 * Today's design (before the lanes) kept the plan in the parent's state and ran one inline Map iteration per
 * database; its figures at the same size are computed from the same plan entries and the history events one
 * iteration cost (an inline Map's iterations count in the parent's history).
 *
 * Meant to run in a fresh process (bench/scale/wide-main.ts), so that peak memory is this run's alone.
 */
import { createCatalogStore } from '#domain/catalog/index.ts';
import { parseConfig } from '#domain/config/index.ts';
import { createDocumentClient } from '#local/dynamo/index.ts';
import { createManualClock, startEmulator } from '#local/emulator/index.ts';
import { runNightlyLocally } from '#local/runner/run-nightly.ts';
import { accountEvent, type ExecutionAccount, emptyAccount } from '../support/aws-history.ts';
import { startBenchTables } from '../support/local-tables.ts';
import { BENCH_SLOT, BENCH_START_MS } from '../support/virtual-time.ts';

/** The figures of one execution kind. */
export interface ExecutionFigures {
  readonly executions: number;
  readonly historyEventsMax: number;
  readonly largestStateBytes: number;
}

/** What the wide run measured. */
export interface WideRunResult {
  readonly databases: number;
  readonly maxConcurrentBackups: number;
  readonly status: string;
  /** Databases the lanes handed to a BackupDatabase execution (each exactly once). */
  readonly backedUp: number;
  readonly duplicates: number;
  readonly parent: ExecutionFigures;
  readonly lanes: ExecutionFigures;
  readonly wallSeconds: number;
  readonly peakRssBytes: number;
  /** Today's design at the same size, computed: its plan in the parent state and one Map iteration per database. */
  readonly singleMapDesign: {
    readonly parentStateBytes: number;
    readonly parentHistoryEvents: number;
    /** Step Functions' limits it would meet. */
    readonly overStateLimit: boolean;
    readonly overHistoryLimit: boolean;
  };
}

/** A plan entry of the single-Map design (database, label, execution name), as ResolveDatabases returned it. */
const SINGLE_MAP_ENTRY_BYTES = (database: string) =>
  JSON.stringify({
    database,
    label: `nightly_${database}_20261124T1800Z_3f9a1c0b2d4e`,
    executionName: `${database}_20261124T1800Z_3f9a1c0b2d4e3f9a1c0b_a1`,
  }).length + 1;
/** History events one inline Map iteration of a `.sync:2` child cost the parent (iteration + Task events). */
const SINGLE_MAP_EVENTS_PER_DATABASE = 8;

function databaseName(index: number): string {
  return `tenant_${String(index + 1).padStart(5, '0')}`;
}

/** Runs the wide night and measures it. */
export async function runWideRun(options: {
  databases: number;
  maxConcurrentBackups: number;
}): Promise<WideRunResult> {
  const started = performance.now();
  const clock = createManualClock(BENCH_START_MS);
  const tables = await startBenchTables();
  const names = Array.from({ length: options.databases }, (_, index) => databaseName(index));
  let client: ReturnType<typeof createDocumentClient> | undefined;
  const emulator = await startEmulator({
    clock,
    scenario: {
      version: '3.4',
      repositories: [{ name: 'bench_repo', location: 's3a://bench-bucket/wide' }],
      databases: names.map((name) => ({
        name,
        tables: [{ name: 'facts', sizeBytes: 1024 ** 2, rows: 1000 }],
      })),
    },
  });
  try {
    const config = parseConfig({
      clusters: [
        {
          name: 'wide',
          host: emulator.host,
          port: emulator.port,
          repository: 'bench_repo',
          maxConcurrentBackups: options.maxConcurrentBackups,
          connectTimeoutSeconds: 10,
          statementTimeoutSeconds: 60,
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'UTC' }],
        },
      ],
    });
    const cluster = config.clusters[0];
    if (!cluster) throw new Error('no cluster');
    const accounts = {
      nightlyBackup: new Map<string, ExecutionAccount>(),
      backupLane: new Map<string, ExecutionAccount>(),
    };
    const largest = { nightlyBackup: 0, backupLane: 0 };
    const seen = new Map<string, number>();
    client = createDocumentClient(tables.endpoint);
    const catalog = createCatalogStore({ client, tableName: tables.catalogTableName, clock });

    const run = await runNightlyLocally({
      config,
      cluster: 'wide',
      schedule: cluster.schedules[0] as (typeof cluster.schedules)[number],
      scheduledTime: BENCH_SLOT,
      tables,
      clock,
      secretEnv: { STARROCKS_PASSWORD: '' },
      waitOverrideMs: 0,
      retryOverrideMs: 0,
      childStubs: {
        // Each stub records its database FINISHED, as a real child would, so the run's summary reads 10,000 outcomes.
        backupDatabase: async (input) => {
          const child = input as { database: string; label: string; runId: string; scheduledTime: string };
          seen.set(child.database, (seen.get(child.database) ?? 0) + 1);
          await catalog.recordAttempt({
            cluster: 'wide',
            database: child.database,
            label: child.label,
            repository: 'bench_repo',
            schedule: 'nightly',
            scheduledTime: child.scheduledTime,
            runId: child.runId,
            executionId: `${child.runId}:${child.database}`,
            attempt: 1,
            state: 'FINISHED',
            reason: null,
            startedAt: null,
            finishedAt: new Date(clock.now()).toISOString(),
            durationSeconds: 600,
            snapshotTimestamp: '2026-11-24-18-00-00-000',
            verified: true,
            sizeBytes: 1024 ** 2,
            tableCount: 1,
            starRocksJobId: null,
          });
          return { database: child.database, label: child.label, state: 'FINISHED' };
        },
      },
      onEvent: ({ executionArn, stateMachine, event }) => {
        if (stateMachine !== 'nightlyBackup' && stateMachine !== 'backupLane') return;
        let account = accounts[stateMachine].get(executionArn);
        if (!account) {
          account = emptyAccount();
          accounts[stateMachine].set(executionArn, account);
        }
        accountEvent(account, stateMachine, event);
        if (event.type !== 'StateExited' || event.state.output === undefined) return;
        const bytes = Buffer.byteLength(JSON.stringify(event.state.output), 'utf8');
        largest[stateMachine] = Math.max(largest[stateMachine], bytes);
      },
    });

    const figures = (machine: 'nightlyBackup' | 'backupLane'): ExecutionFigures => ({
      executions: accounts[machine].size,
      historyEventsMax: Math.max(
        0,
        ...[...accounts[machine].values()].map((account) => account.historyEvents),
      ),
      largestStateBytes: largest[machine],
    });
    const planBytes = names.reduce((sum, name) => sum + SINGLE_MAP_ENTRY_BYTES(name), 0);
    const singleMapEvents = options.databases * SINGLE_MAP_EVENTS_PER_DATABASE + 30;
    return {
      databases: options.databases,
      maxConcurrentBackups: options.maxConcurrentBackups,
      status: run.status,
      backedUp: seen.size,
      duplicates: [...seen.values()].filter((count) => count > 1).length,
      parent: figures('nightlyBackup'),
      lanes: figures('backupLane'),
      wallSeconds: (performance.now() - started) / 1000,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      singleMapDesign: {
        parentStateBytes: planBytes + 2_000,
        parentHistoryEvents: singleMapEvents,
        overStateLimit: planBytes + 2_000 > 256 * 1024,
        overHistoryLimit: singleMapEvents > 25_000,
      },
    };
  } finally {
    client?.destroy();
    await emulator.close();
    await tables.close();
  }
}
