/**
 * Restores and drills on the workflow harness's parts (real emulator, dynalite, Slack sink, one virtual clock):
 * verified snapshots come from a real nightly backup or are seeded into the catalog from a snapshot the emulator
 * holds, and drills run the RestoreDrill state machine through the local runner, the clock moving to each
 * CheckRestore's due time so that a restore of minutes takes a few polls and no real waiting.
 */
import type { BackupAttempt } from '#domain/catalog/index.ts';
import { type BackupConfig, toClusterSettings } from '#domain/config/index.ts';
import type { RestoreRequest } from '#domain/restore/drill-state.ts';
import { createStarRocksClient } from '#domain/starrocks/index.ts';
import { localTaskInvoker } from '#local/runner/handlers.ts';
import {
  type ExecutionOutcome,
  LocalWorkflow,
  type LocalWorkflowOptions,
  type WorkflowEvent,
} from '#local/runner/local-workflow.ts';
import { type LocalDrillResult, runDrillLocally } from '#local/runner/run-drill.ts';
import type { LocalRestoreContext } from '#local/runner/run-restore.ts';
import { createLocalRuntime } from '#local/runtime.ts';
import { type ClusterOverrides, SLOT, type WorkflowHarness } from './workflow-harness.ts';

/** The drill slot most tests use; its scratch database for `sales` is `drill_sales_202611250300`. */
export const DRILL_SLOT = new Date('2026-11-25T03:00:00.000Z');

/** Drill settings for `database`, with a short deadline unless told otherwise. */
export function drillSettings(database: string, overrides: Record<string, unknown> = {}) {
  return { drill: { database, cron: '0 3 * * ? *', timezone: 'UTC', timeoutSeconds: 3600, ...overrides } };
}

/** One drill as a test sees it. */
export interface HarnessDrill extends LocalDrillResult {
  readonly events: readonly WorkflowEvent[];
}

/** Runs one drill of the harness's cluster. */
export async function runDrill(
  harness: WorkflowHarness,
  options: {
    cluster?: ClusterOverrides;
    scheduledTime?: Date;
    retryMs?: number;
    /** Runs before each Task, after the clock moved (e.g. to look at the scratch database before DropScratch). */
    beforeTask?: (stateName: string, input: unknown) => void | Promise<void>;
    /** Runs after each Task returned; a throw loses the answer after the Task's effects (a Lambda timeout). */
    afterTask?: LocalWorkflowOptions['afterTask'];
  } = {},
): Promise<HarnessDrill> {
  const events: WorkflowEvent[] = [];
  const result = await runDrillLocally({
    config: harness.config(options.cluster),
    cluster: harness.clusterName,
    scheduledTime: options.scheduledTime ?? DRILL_SLOT,
    tables: tablesOf(harness),
    clock: harness.clock,
    secretEnv: { SLACK_WEBHOOK_URL: harness.slack.url, STARROCKS_PASSWORD: '' },
    waitOverrideMs: 0,
    retryOverrideMs: options.retryMs ?? 1,
    onEvent: (event) => events.push(event),
    ...(options.afterTask ? { afterTask: options.afterTask } : {}),
    beforeTask: async ({ stateName, input }) => {
      if (stateName === 'CheckRestore') {
        const { restore } = input as { restore: { checkedAt: number; nextWaitSeconds: number } };
        harness.clock.set(Math.max(harness.clock.now(), restore.checkedAt + restore.nextWaitSeconds * 1000));
      }
      await options.beforeTask?.(stateName, input);
    },
  });
  return { ...result, events };
}

/** Where the harness keeps its tables, as the local runners take them. */
export function tablesOf(harness: WorkflowHarness) {
  return {
    endpoint: harness.dynamo.endpoint,
    locksTableName: harness.dynamo.locksTableName,
    catalogTableName: harness.dynamo.catalogTableName,
  };
}

/** The context of a local restore on the harness. */
export function restoreContext(harness: WorkflowHarness, config: BackupConfig): LocalRestoreContext {
  return {
    config,
    cluster: harness.clusterName,
    tables: tablesOf(harness),
    clock: harness.clock,
    secretEnv: { STARROCKS_PASSWORD: '' },
  };
}

/** Backs `database` up with the real nightly workflow and returns its verified catalog item. */
export async function backUp(harness: WorkflowHarness, database: string): Promise<BackupAttempt> {
  const run = await harness.run({ databases: [database] });
  const attempt = run.results.find((result) => result.database === database);
  if (attempt?.state !== 'FINISHED')
    throw new Error(`the backup of ${database} did not finish: ${attempt?.error}`);
  const [item] = await harness.catalog.findSnapshot({
    cluster: harness.clusterName,
    database,
    label: attempt.snapshot,
  });
  if (!item) throw new Error(`the catalog has no item for ${attempt.snapshot}`);
  return item;
}

/**
 * Records a verified catalog item for a snapshot the emulator's repository already holds (a scenario snapshot),
 * with the timestamp SHOW SNAPSHOT reports, as VerifySnapshot would have.
 */
export async function seedVerifiedSnapshot(
  harness: WorkflowHarness,
  snapshot: {
    database: string;
    label: string;
    scheduledTime?: Date;
    tableCount?: number | null;
    /** The catalog's cluster (default: the harness's): another cluster's snapshot read through the same repository. */
    cluster?: string;
  },
): Promise<BackupAttempt> {
  const repository = harness.config().clusters[0]?.repository ?? 's3_repo';
  const client = createStarRocksClient({
    host: harness.emulator.host,
    port: harness.emulator.port,
    user: 'root',
    password: '',
    connectTimeoutMs: 2000,
    statementTimeoutMs: 5000,
  });
  const info = await client.showSnapshot(repository, snapshot.label);
  const timestamp = info?.timestamps.at(-1);
  if (!timestamp) throw new Error(`the emulator's ${repository} has no snapshot ${snapshot.label}`);
  const scheduledTime = (snapshot.scheduledTime ?? SLOT).toISOString();
  const { item } = await harness.catalog.recordAttempt({
    cluster: snapshot.cluster ?? harness.clusterName,
    database: snapshot.database,
    label: snapshot.label,
    repository,
    schedule: 'nightly',
    scheduledTime,
    runId: `seed-${snapshot.label}`,
    executionId: `seed-${snapshot.label}`,
    attempt: 1,
    state: 'FINISHED',
    reason: null,
    startedAt: scheduledTime,
    finishedAt: scheduledTime,
    durationSeconds: 60,
    snapshotTimestamp: timestamp,
    verified: true,
    sizeBytes: 1024,
    tableCount: snapshot.tableCount ?? null,
    starRocksJobId: null,
  });
  return item;
}

/** The statements the FE received whose text starts with `verb` (case-insensitive). */
export function statementsStartingWith(harness: WorkflowHarness, verb: string): string[] {
  return harness.emulator.statements
    .map((entry) => entry.sql)
    .filter((sql) => sql.trim().toUpperCase().startsWith(verb.toUpperCase()));
}

let restoreRuns = 0;

/** How one execution of the on-demand Restore machine ended, with the states it went through. */
export interface HarnessRestoreMachineRun {
  readonly outcome: ExecutionOutcome;
  readonly entered: string[];
  readonly events: WorkflowEvent[];
}

/**
 * Runs statemachines/restore.asl.json (as `sr-backup restore --stack … --execute` starts it deployed) through the
 * local runner on the harness, the clock moving to each CheckRestore's due time.
 */
export async function runRestoreMachine(
  harness: WorkflowHarness,
  request: RestoreRequest,
  options: {
    cluster?: ClusterOverrides;
    /** Stops the execution (as StopExecution would) when it is about to run this CheckRestore (1-based). */
    stopAtCheck?: number;
    afterTask?: LocalWorkflowOptions['afterTask'];
  } = {},
): Promise<HarnessRestoreMachineRun> {
  const runtime = createLocalRuntime(tablesOf(harness), {
    clock: harness.clock,
    secretEnv: { STARROCKS_PASSWORD: '' },
  });
  const entered: string[] = [];
  const events: WorkflowEvent[] = [];
  let checks = 0;
  try {
    const workflow: LocalWorkflow = new LocalWorkflow({
      invokeFunction: localTaskInvoker(runtime),
      waitOverrideMs: 0,
      retryOverrideMs: 1,
      ...(options.afterTask ? { afterTask: options.afterTask } : {}),
      onEvent: (logged) => {
        events.push(logged);
        if (logged.event.type === 'StateEntered') entered.push(logged.event.state.name);
      },
      beforeTask: ({ stateName, input }) => {
        if (stateName !== 'CheckRestore') return;
        checks += 1;
        if (checks === options.stopAtCheck) workflow.stopAll();
        const { restore } = input as { restore: { checkedAt: number; nextWaitSeconds: number } };
        harness.clock.set(Math.max(harness.clock.now(), restore.checkedAt + restore.nextWaitSeconds * 1000));
      },
    });
    const input = {
      cluster: toClusterSettings(harness.config(options.cluster), harness.clusterName),
      request,
    };
    restoreRuns += 1;
    const outcome = await workflow.execute('restore', input, `restore-${request.database}-${restoreRuns}`);
    return { outcome, entered, events };
  } finally {
    runtime.close();
  }
}
