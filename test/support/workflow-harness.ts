import { type CatalogStore, createCatalogStore } from '#domain/catalog/index.ts';
import { type BackupConfig, parseConfig } from '#domain/config/index.ts';
import { createLockStore, type LockStore } from '#domain/lock/index.ts';
import {
  createManualClock,
  type EmulatorHandle,
  type EmulatorScenario,
  type ManualClock,
  startEmulator,
} from '#local/emulator/index.ts';
import type { TaskCall, WorkflowEvent } from '#local/runner/local-workflow.ts';
import { type LocalRunResult, runNightlyLocally } from '#local/runner/run-nightly.ts';
import type { ObservedAlert } from '#runtime/runtime.ts';
import { startTestDynamo, type TestDynamo } from './dynalite.ts';
import { type SlackSink, startSlackSink } from './slack-sink.ts';

/** Cluster fields a scenario may set; the host, port and repository come from the harness. */
export type ClusterOverrides = Record<string, unknown>;

/** One local run as a test sees it: the result plus everything observable on the way. */
export interface HarnessRun extends LocalRunResult {
  readonly events: readonly WorkflowEvent[];
  readonly alerts: readonly ObservedAlert[];
}

/** A real emulator, a real dynalite, a real Slack sink and the real runner, on one virtual clock. */
export interface WorkflowHarness {
  readonly emulator: EmulatorHandle;
  readonly dynamo: TestDynamo;
  readonly slack: SlackSink;
  readonly clock: ManualClock;
  readonly catalog: CatalogStore;
  readonly locks: LockStore;
  readonly clusterName: string;
  config(cluster?: ClusterOverrides): BackupConfig;
  run(options?: {
    cluster?: ClusterOverrides;
    databases?: string[];
    scheduledTime?: Date;
    password?: string;
    beforeCheck?: (database: string) => void;
    /** How the run's queue is cut (several pages and lane generations with few databases). */
    tuning?: { pageSize?: number; laneIterations?: number };
    /** After each Task returned (a throw fails the invocation after its side effects, as a Lambda timeout would). */
    afterTask?: (task: TaskCall & { output: unknown }) => void | Promise<void>;
    /** Real milliseconds every Retry interval lasts (default 1). */
    retryMs?: number;
  }): Promise<HarnessRun>;
  /**
   * Scenario 16 for every run since the previous call: the databases of each run's results that have not exactly
   * one catalog item for that run, and the locks and slots still held by any of its executions.
   */
  cleanEndOfRuns(): Promise<{ notOneItem: string[]; heldByRuns: string[] }>;
  /** Every SQL statement the FE received that starts with the given verb. */
  statements(verb: 'BACKUP' | 'CANCEL' | 'SHOW BACKUP' | 'SHOW SNAPSHOT'): string[];
  close(): Promise<void>;
}

/** The slot every scenario backs up unless it says otherwise. */
export const SLOT = new Date('2026-11-24T18:00:00.000Z');

/**
 * Starts the parts of one scenario file. The clock is virtual: every Wait lasts 0 ms of real time while the
 * clock moves to the check's due time before each CheckBackup, so emulated jobs of minutes finish in a few polls.
 */
export async function startWorkflowHarness(
  scenario: EmulatorScenario,
  clusterName = 'test',
): Promise<WorkflowHarness> {
  const clock = createManualClock(Date.UTC(2026, 10, 24, 18, 0, 5));
  const emulator = await startEmulator({ scenario, clock });
  const dynamo = await startTestDynamo();
  const slack = await startSlackSink();
  // The harness only inspects locks; it never acquires one, so liveness is never asked.
  const livenessOf = async () => 'running' as const;
  const catalog = createCatalogStore({ client: dynamo.client, tableName: dynamo.catalogTableName, clock });
  const locks = createLockStore({
    client: dynamo.client,
    tableName: dynamo.locksTableName,
    clock,
    livenessOf,
  });

  const config = (cluster: ClusterOverrides = {}): BackupConfig =>
    parseConfig({
      clusters: [
        {
          name: clusterName,
          host: emulator.host,
          port: emulator.port,
          repository: scenario.repositories[0]?.name ?? 's3_repo',
          maxConcurrentBackups: 4,
          timeoutSeconds: 6 * 3600,
          connectTimeoutSeconds: 2,
          statementTimeoutSeconds: 5,
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
          ...cluster,
        },
      ],
      poll: { minSeconds: 30, maxSeconds: 3600 },
    });

  const unchecked: HarnessRun[] = [];

  return {
    emulator,
    dynamo,
    slack,
    clock,
    catalog,
    locks,
    clusterName,
    config,
    async run(options = {}) {
      const events: WorkflowEvent[] = [];
      const alerts: ObservedAlert[] = [];
      const databaseOf = new Map<string, string>();
      const backupConfig = config(options.cluster);
      const cluster = backupConfig.clusters[0];
      if (!cluster?.schedules[0]) throw new Error('harness config has no schedule');
      const result = await runNightlyLocally({
        config: backupConfig,
        cluster: clusterName,
        schedule: cluster.schedules[0],
        scheduledTime: options.scheduledTime ?? SLOT,
        ...(options.databases ? { databases: options.databases } : {}),
        ...(options.tuning ? { tuning: options.tuning } : {}),
        tables: {
          endpoint: dynamo.endpoint,
          locksTableName: dynamo.locksTableName,
          catalogTableName: dynamo.catalogTableName,
        },
        clock,
        secretEnv: { SLACK_WEBHOOK_URL: slack.url, STARROCKS_PASSWORD: options.password ?? '' },
        waitOverrideMs: 0,
        retryOverrideMs: options.retryMs ?? 1,
        onEvent: (event) => {
          events.push(event);
          if (event.event.type === 'ExecutionStarted' && event.stateMachine === 'backupDatabase') {
            const input = event.event.input as { database?: string };
            if (input.database) databaseOf.set(event.executionArn, input.database);
          }
        },
        onAlert: (alert) => alerts.push(alert),
        ...(options.afterTask ? { afterTask: options.afterTask } : {}),
        beforeTask: ({ stateName, input }) => {
          if (stateName !== 'CheckBackup') return;
          // Concurrent executions wait side by side: the clock moves to this check's due time, never backwards.
          const state = input as { database: string; job: { checkedAt: number; nextWaitSeconds: number } };
          clock.set(Math.max(clock.now(), state.job.checkedAt + state.job.nextWaitSeconds * 1000));
          options.beforeCheck?.(state.database);
        },
      });
      const run = { ...result, events, alerts };
      unchecked.push(run);
      return run;
    },
    async cleanEndOfRuns() {
      const runs = unchecked.splice(0);
      const notOneItem: string[] = [];
      const executions = new Set<string>();
      for (const run of runs) {
        for (const event of run.events) executions.add(event.executionArn);
        const { items } = await catalog.listRun({ runId: run.executionArn, limit: 500 });
        for (const { database } of run.results) {
          const count = items.filter((item) => item.database === database).length;
          if (count !== 1) notOneItem.push(`${database}: ${count} items`);
        }
      }
      const held = await locks.listHeld(clusterName);
      const heldByRuns = [
        ...held.locks.map((lock) => ({ name: `lock ${lock.database}`, holder: lock.holder })),
        ...held.slots.map((slot) => ({ name: `slot ${slot.slot}`, holder: slot.holder })),
      ]
        .filter((lease) => lease.holder !== null && executions.has(lease.holder))
        .map((lease) => lease.name);
      return { notOneItem, heldByRuns };
    },
    statements(verb) {
      return emulator.statements.map((s) => s.sql).filter((sql) => sql.toUpperCase().startsWith(verb));
    },
    async close() {
      await emulator.close();
      await slack.close();
      await dynamo.close();
    },
  };
}

/** A database of OLAP tables for scenarios. */
export function database(name: string, options: { tables?: string[]; durationMs?: number } = {}) {
  return {
    name,
    tables: (options.tables ?? ['t1', 't2']).map((table) => ({
      name: table,
      sizeBytes: 1024 * 1024,
      rows: 1000,
    })),
    backup: { durationMs: options.durationMs ?? 10 * 60_000 },
  };
}

/**
 * Scenario 16 of the workflow issue, checked after every scenario: each attempted database has exactly one
 * terminal catalog item for the run, and no lock or slot is held.
 */
export async function expectCleanEnd(
  harness: WorkflowHarness,
  run: HarnessRun,
  attempted: readonly string[],
) {
  const recorded = await harness.catalog.listRun({ runId: run.executionArn, limit: 500 });
  const perDatabase = new Map<string, number>();
  for (const item of recorded.items)
    perDatabase.set(item.database, (perDatabase.get(item.database) ?? 0) + 1);
  const held = await harness.locks.listHeld(harness.clusterName);
  return {
    terminalItemsPerDatabase: Object.fromEntries(attempted.map((name) => [name, perDatabase.get(name) ?? 0])),
    heldLocks: held.locks.filter((lock) => attempted.includes(lock.database)).length,
    heldSlots: held.slots.length,
  };
}
