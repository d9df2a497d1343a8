/**
 * No JSONPath of any state machine can raise States.Runtime, which no Catch handles (not even States.ALL:
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). Inside BackupEach, which has
 * no Catch of its own, one such error would end the whole run before its summary, prune and alerts.
 *
 * The proof (test/support/path-proof.ts) has a static half over every path of every state and a dynamic half over
 * real executions: the machines run in the local runner over the real handlers, a StarRocks FE emulator and
 * dynalite, through the good paths, SKIPPED paths and error paths (Catch ResultPath `$.error` with Lambda's JSON
 * Cause), and every path of every state they entered is evaluated against each input that state received.
 *
 * What it cannot cover is listed below with the reason: states no real handler drives the machine into, and paths the
 * static half cannot prove because they rest on what a handler returns (each of those must have been observed).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { toClusterSettings } from '#domain/config/index.ts';
import { createPauseStore } from '#domain/pause/index.ts';
import { buildSnapshotLabel } from '#domain/starrocks/index.ts';
import { runFreshnessCheckLocally } from '#local/cli/commands/freshness-runner.ts';
import { localTaskInvoker } from '#local/runner/handlers.ts';
import { LocalWorkflow, type WorkflowEvent } from '#local/runner/local-workflow.ts';
import { createLocalRuntime } from '#local/runtime.ts';
import {
  readDefinitionText,
  STATE_MACHINE_FILES,
  type StateMachineName,
} from '#statemachines/definitions.ts';
import {
  drillSettings,
  runDrill,
  runRestoreMachine,
  seedVerifiedSnapshot,
  tablesOf,
} from '#test/support/drill-harness.ts';
import {
  type AslScope,
  checkObservation,
  ExecutionObserver,
  statesOf,
  unprovenPaths,
} from '#test/support/path-proof.ts';
import { database, startWorkflowHarness, type WorkflowHarness } from '#test/support/workflow-harness.ts';
import {
  EMULATOR_CLUSTER_ID,
  emulatorScenario,
  NOW,
  RETENTION,
  seedCatalog,
} from '../lifecycle/support/thirty-snapshots.ts';

const MACHINES = Object.keys(STATE_MACHINE_FILES) as StateMachineName[];
const definitions = Object.fromEntries(
  MACHINES.map((machine) => [machine, JSON.parse(readDefinitionText(machine)) as AslScope]),
) as Record<StateMachineName, AslScope>;

/** States no scenario reaches with real handlers, and why; the test fails when one of them is reached after all. */
const UNREACHED: Readonly<Record<string, string>> = {
  'backupDatabase.UnknownPhase':
    'defensive: SubmitBackup, CheckBackup and CancelBackup only return the four phases RouteJob routes',
  'restore.UnknownPhase':
    'defensive: SubmitRestore and CheckRestore only return the four phases RouteRestore routes',
  'restore.RestoreEndedUnchecked':
    'defensive: RestoreOutcome routes every outcome, error and check result; this is its Default',
  'restoreDrill.UnknownPhase':
    'defensive: SubmitRestore and CheckRestore only return the four phases RouteRestore routes',
  'settleExecution.SettleFailed':
    'SettleOrphans retries every transient error and fails only on a bug or an invalid event',
  'freshnessCheck.CheckFailed':
    'CheckFreshness falls back to the catalog when the FE is unreachable; it fails only when DynamoDB does',
  'freshnessCheck.NotifyFailed':
    'NotifyIncidents returns failed posts instead of throwing; it fails only when DynamoDB does',
  'backupDatabase.NotifyOrphanFailed':
    'NotifyFailure never throws on delivery; it fails only on a malformed alert',
  'settleExecution.NotifyOrphanFailed':
    'NotifyFailure never throws on delivery; it fails only on a malformed alert',
  'nightlyBackup.SkipGeneration':
    'a lane name of this run already taken (a retried start after the lane closed): lane names carry the run',
  'nightlyBackup.LaneFailed': 'a lane fails only when ClaimDatabase keeps failing, i.e. when DynamoDB does',
  'backupLane.LaneStopped': 'ClaimDatabase retries every transient error; it fails only when DynamoDB does',
  'backupDatabase.WaitForOrphans':
    'needs a holder that ended mid-run right after noting a submission; the fault matrix (test/integration/faults) seeds one',
  'settleExecution.WaitForOrphans':
    'needs a stopped execution whose noted submission StarRocks does not show while its invocation may still send it; locally an end is reported after the last invocation, so test/integration/settle drives SettleOrphans through that case directly',
};

/**
 * Paths the static half cannot prove because they rest on what a handler returned; each must have been observed.
 * Key: `machine.state path`.
 */
const RESTS_ON_HANDLERS: Readonly<Record<string, string>> = {
  'restoreDrill.DrillPassed $.plan.sourceDatabase':
    'DrillOutcome routes here only when RecordDrill recorded FINISHED, which it does only after PlanDrill and a passed VerifyRestore',
  'restoreDrill.DrillPassed $.plan.snapshot.label': 'as above',
  'restoreDrill.DrillPassed $.plan.targetDatabase': 'as above',
  'restoreDrill.DrillPassed $.check': 'as above',
  'restore.RestoreFinished $.plan.sourceDatabase':
    'RestoreOutcome routes here only when $.check.passed is true, which VerifyRestore sets only after PlanRestore and SubmitRestore',
  'restore.RestoreFinished $.plan.targetDatabase': 'as above',
  'restore.RestoreFinished $.plan.snapshot': 'as above',
  'restore.RestoreFinished $.restore': 'as above',
};

/** What the scenarios below did. */
const observer = new ExecutionObserver();

const SCRATCH = 'drill_sales_202611250300';
const SEEDED = 'nightly_sales_seeded';
const LIVE_HOLDER = 'arn:aws:states:us-east-1:123456789012:execution:backupDatabase:someone-else';
// A deployed execution this local run cannot describe (liveness unknown), whose lease has lapsed: the run's AcquireLock
// takes it over. (An ended *local* holder would be settled before the run starts, by SettleExecution.)
const ENDED_HOLDER = 'arn:aws:states:us-east-1:123456789012:execution:backupDatabase:crashed';

async function nightlyScenarios(): Promise<void> {
  const harness = await startWorkflowHarness({
    version: '3.5',
    repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
    databases: [
      database('good1'),
      database('good2'),
      { name: 'empty', tables: [], backup: { durationMs: 60_000 } },
      database('cancelled'),
      database('slow'),
      database('flaky'),
      database('held'),
      database('dead'),
      database('twice'),
      database('noslot'),
      database('orphan'),
      database('unlisted'),
      database('vanished'),
      { name: 'views_only', tables: [{ name: 'v', type: 'EXTERNAL' }] },
    ],
  });
  try {
    const record = async (options: Parameters<WorkflowHarness['run']>[0]) =>
      observer.record((await harness.run(options)).events);

    // FINISHED, and an empty database recorded SKIPPED by its own execution; one lane of one claim per generation,
    // so the lane hands over to its next generations (pages of one entry).
    await record({
      databases: ['good1', 'good2', 'empty'],
      cluster: { maxConcurrentBackups: 1 },
      tuning: { pageSize: 1, laneIterations: 1 },
    });
    // StarRocks cancels the job: FAILED, the child fails, the parent's Map turns it into a result, settlement runs.
    harness.emulator.faults.cancelNextBackup('cancelled', '[COMMON_ERROR, msg: failed to choose replica]');
    await record({ databases: ['cancelled'] });
    // Our deadline: CANCEL BACKUP, TIMED_OUT.
    harness.emulator.faults.hangNextBackup('slow');
    await record({ databases: ['slow'], cluster: { timeoutSeconds: 1800 } });
    // CheckBackup keeps failing: its Catch ($.error with Lambda's JSON Cause) → CancelIfOurs → RecordFailure.
    let crashed = false;
    await record({
      databases: ['flaky'],
      beforeCheck: () => {
        if (crashed) return;
        crashed = true;
        harness.emulator.faults.dropConnectionOn('SHOW BACKUP FROM `flaky`', { times: 5 });
      },
    });
    // A live lock holder: LockHeldError after the bounded wait → Skip → RecordSkipped → Skipped.
    await harness.locks.acquireLock({
      cluster: 'test',
      database: 'held',
      holder: LIVE_HOLDER,
      leaseSeconds: 7200,
    });
    await record({ databases: ['held'] });
    // A lock whose holder ended before it submitted: taken over, InheritedWork → SettleOrphans records its attempt
    // FAILED → NotifyOrphans alerts it.
    await harness.locks.acquireLock({
      cluster: 'test',
      database: 'dead',
      holder: ENDED_HOLDER,
      leaseSeconds: 1,
      purpose: {
        runId: 'run-crashed',
        schedule: 'nightly',
        scheduledTime: '2026-11-23T18:00:00.000Z',
        database: 'dead',
        label: 'nightly_dead_crashed',
      },
    });
    harness.clock.advance(2000);
    await record({ databases: ['dead'] });
    // The same slot twice: the child's name is taken → NextAttempt → TooManyAttempts → StartBackup again.
    await record({ databases: ['twice'] });
    await record({ databases: ['twice'] });
    // No free slot after the bounded wait: SlotUnavailableError → Skip.
    const slot = await harness.locks.acquireSlot({
      cluster: 'test',
      capacity: 1,
      holder: LIVE_HOLDER,
      leaseSeconds: 7200,
    });
    await record({ databases: ['noslot'], cluster: { maxConcurrentBackups: 1 } });
    await harness.locks.releaseSlot({
      cluster: 'test',
      slot: slot.slot,
      holder: LIVE_HOLDER,
      token: slot.token,
    });
    // Problems of one database, planned with it: a listing that fails (FAILED through PlannedProblem →
    // RecordFailure → NotifyFailure) and a database of external tables only (SKIPPED through PlannedProblem →
    // RecordSkipped).
    harness.emulator.faults.failStatements("TABLE_SCHEMA = 'unlisted'", 'Unexpected exception: null', {
      times: 1,
    });
    await record({ databases: ['unlisted', 'views_only'] });
    // A slot the catalog recorded FINISHED whose snapshot vanished: backed up again, HasNotices → NotifyNotices.
    await harness.catalog.recordAttempt({
      cluster: 'test',
      database: 'vanished',
      label: buildSnapshotLabel({
        cluster: 'test',
        schedule: 'nightly',
        database: 'vanished',
        scheduledTime: new Date('2026-11-21T18:00:00.000Z'),
      }),
      repository: 's3_repo',
      schedule: 'nightly',
      scheduledTime: '2026-11-21T18:00:00.000Z',
      runId: 'run-earlier',
      executionId: 'execution-earlier',
      attempt: 1,
      state: 'FINISHED',
      reason: null,
      startedAt: '2026-11-21T18:00:05.000Z',
      finishedAt: '2026-11-21T18:10:05.000Z',
      durationSeconds: 600,
      snapshotTimestamp: '2026-11-21-18-00-05-000',
      verified: true,
      sizeBytes: 10,
      tableCount: 2,
      starRocksJobId: '1',
    });
    await record({ databases: ['vanished'], scheduledTime: new Date('2026-11-21T18:00:00.000Z') });
    // The FE is down at resolve: the run fails as a whole (NotifyRunFailure → RunFailed).
    await record({ databases: ['good1'], cluster: { port: 1 } });
    // A paused cluster: RunPaused.
    const pauses = createPauseStore({
      client: harness.dynamo.client,
      tableName: harness.dynamo.catalogTableName,
      clock: harness.clock,
    });
    await pauses.pause({ cluster: 'test', reason: 'FE upgrade', by: 'ops' });
    await record({});
    await pauses.resume({ cluster: 'test' });

    // SettleExecution, as EventBridge starts it for an execution that was stopped while it held a lock.
    const aborted = 'arn:aws:states:local-2147483600:000000000000:execution:backupDatabase:aborted';
    const purpose = {
      runId: 'run-aborted',
      schedule: 'nightly',
      scheduledTime: '2026-11-22T18:00:00.000Z',
      database: 'orphan',
      label: 'nightly_orphan_aborted',
    };
    await harness.locks.acquireLock({
      cluster: 'test',
      database: 'orphan',
      holder: aborted,
      leaseSeconds: 7200,
      purpose,
    });
    const runtime = createLocalRuntime(tablesOf(harness), {
      clock: harness.clock,
      secretEnv: { SLACK_WEBHOOK_URL: harness.slack.url, STARROCKS_PASSWORD: '' },
    });
    const settleEvents: WorkflowEvent[] = [];
    const settler = new LocalWorkflow({
      invokeFunction: localTaskInvoker(runtime),
      retryOverrideMs: 1,
      onEvent: (event) => settleEvents.push(event),
    });
    const settled = await settler.execute('settleExecution', {
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      detail: {
        executionArn: aborted,
        status: 'ABORTED',
        input: JSON.stringify({ cluster: toClusterSettings(harness.config(), 'test'), ...purpose }),
      },
    });
    runtime.close();
    expect(settled.status).toBe('SUCCEEDED');
    observer.record(settleEvents);

    // The hourly freshness check of the same cluster.
    const events: WorkflowEvent[] = [];
    await runFreshnessCheckLocally({
      config: harness.config(),
      cluster: harness.clusterName,
      tables: tablesOf(harness),
      clock: harness.clock,
      retryOverrideMs: 1,
      secretEnv: { SLACK_WEBHOOK_URL: harness.slack.url, STARROCKS_PASSWORD: '' },
      onEvent: (event) => events.push(event),
    });
    observer.record(events);
  } finally {
    await harness.close();
  }
}

async function pruneScenarios(): Promise<void> {
  // Retention on StarRocks 4.2 (DROP SNAPSHOT); a snapshot of another cluster cannot be dropped → NotifyPruneFailure.
  const harness = await startWorkflowHarness(
    emulatorScenario('4.2', [
      {
        repository: 's3_repo',
        name: 'nightly_sales_foreign',
        database: 'sales',
        createdAt: '2026-10-30T18:00:04.143Z',
        clusterId: EMULATOR_CLUSTER_ID + 1,
      },
    ]),
    'prod',
  );
  try {
    await seedCatalog(harness.catalog);
    harness.clock.set(NOW);
    const run = (cluster: Record<string, unknown>) =>
      harness.run({ cluster, scheduledTime: new Date(NOW - 3_600_000) });
    observer.record((await run({ retention: { ...RETENTION } })).events);
    await harness.catalog.recordAttempt({
      cluster: 'prod',
      database: 'sales',
      label: 'nightly_sales_foreign',
      repository: 's3_repo',
      schedule: 'nightly',
      scheduledTime: '2026-10-30T18:00:00.000Z',
      runId: 'run-old',
      executionId: 'exec-old',
      attempt: 1,
      state: 'FINISHED',
      reason: null,
      startedAt: null,
      finishedAt: null,
      durationSeconds: 60,
      snapshotTimestamp: '2026-10-30-18-00-04-143',
      verified: true,
      sizeBytes: null,
      tableCount: null,
      starRocksJobId: null,
    });
    harness.clock.advance(86_400_000);
    observer.record((await run({ retention: { keepLast: 1, maxAgeDays: 1 } })).events);
  } finally {
    await harness.close();
  }
}

async function drillScenarios(): Promise<void> {
  const harness = await startWorkflowHarness({
    version: '3.5',
    feTimeZone: 'Asia/Shanghai',
    repositories: [{ name: 's3_repo', location: 's3a://drills/backups' }],
    databases: [database('sales', { tables: ['orders', 'customers'] }), database('crm')],
    defaultRestoreDurationMs: 20 * 60_000,
    snapshots: [
      { repository: 's3_repo', name: SEEDED, database: 'sales', createdAt: '2026-11-24T18:00:04.143Z' },
      {
        repository: 's3_repo',
        name: 'sales_lost_rows',
        database: 'sales',
        createdAt: '2026-11-24T19:00:04.143Z',
        tables: [
          { name: 'orders', rows: 1000 },
          { name: 'customers', rows: 0 },
        ],
      },
    ],
  });
  try {
    const drill = async (cluster: Record<string, unknown>) =>
      observer.record((await runDrill(harness, { cluster })).events);
    await seedVerifiedSnapshot(harness, { database: 'sales', label: SEEDED, tableCount: 2 });
    // Passes.
    await drill(drillSettings('sales'));
    // StarRocks cancels the restore.
    harness.emulator.faults.cancelNextRestore(
      SCRATCH,
      '[COMMON_ERROR, msg: failed to download snapshot files]',
    );
    await drill(drillSettings('sales'));
    // The drill's deadline.
    harness.emulator.faults.hangNextRestore(SCRATCH);
    await drill(drillSettings('sales', { timeoutSeconds: 1800 }));
    // No verified snapshot: PlanDrill fails, nothing is held.
    await drill(drillSettings('crm'));
    // The scratch database's lock is held: SKIPPED.
    const other = 'arn:aws:states:eu-west-1:123456789012:execution:RestoreDrill:other';
    const scratchLock = await harness.locks.acquireLock({
      cluster: harness.clusterName,
      database: SCRATCH,
      holder: other,
      leaseSeconds: 3600,
    });
    await drill(drillSettings('sales'));
    await harness.locks.releaseLock({
      cluster: harness.clusterName,
      database: SCRATCH,
      holder: other,
      token: scratchLock.token,
    });
    // Paused.
    const pauses = createPauseStore({
      client: harness.dynamo.client,
      tableName: harness.dynamo.catalogTableName,
      clock: harness.clock,
    });
    await pauses.pause({ cluster: harness.clusterName, reason: 'FE upgrade', by: 'ops' });
    await drill(drillSettings('sales'));
    await pauses.resume({ cluster: harness.clusterName });
    // The restored database fails the check (a table restored empty).
    await seedVerifiedSnapshot(harness, {
      database: 'sales',
      label: 'sales_lost_rows',
      tableCount: 2,
      scheduledTime: new Date('2026-11-24T19:00:00.000Z'),
    });
    await drill(drillSettings('sales'));
    await restoreScenarios(harness);
  } finally {
    await harness.close();
  }
}

/** The on-demand Restore machine through each of its ends, on the drill scenarios' harness. */
async function restoreScenarios(harness: WorkflowHarness): Promise<void> {
  const restore = async (request: Parameters<typeof runRestoreMachine>[1]) =>
    observer.record((await runRestoreMachine(harness, request)).events);
  // Finishes, into a new database and as one renamed table into the existing one.
  await restore({ database: 'sales', label: SEEDED, targetDatabase: 'sales_r1' });
  await restore({ database: 'sales', label: SEEDED, tables: [{ name: 'orders', alias: 'orders_r' }] });
  // Refused: the database exists; the label is unknown.
  await restore({ database: 'sales', label: SEEDED });
  await restore({ database: 'sales', label: 'nightly_sales_unknown' });
  // StarRocks cancels it; our deadline passes.
  harness.emulator.faults.cancelNextRestore(
    'sales_r2',
    '[COMMON_ERROR, msg: failed to download snapshot files]',
  );
  await restore({ database: 'sales', label: SEEDED, targetDatabase: 'sales_r2' });
  harness.emulator.faults.hangNextRestore('sales_r3');
  await restore({ database: 'sales', label: SEEDED, targetDatabase: 'sales_r3', timeoutSeconds: 1800 });
  // The target's lock is held by a live execution after the bounded wait.
  const other = 'arn:aws:states:eu-west-1:123456789012:execution:BackupDatabase:other';
  const held = await harness.locks.acquireLock({
    cluster: harness.clusterName,
    database: 'sales_r4',
    holder: other,
    leaseSeconds: 86_400,
  });
  await restore({ database: 'sales', label: SEEDED, targetDatabase: 'sales_r4' });
  await harness.locks.releaseLock({
    cluster: harness.clusterName,
    database: 'sales_r4',
    holder: other,
    token: held.token,
  });
  // The restored database fails the check (a table restored empty).
  await restore({ database: 'sales', label: 'sales_lost_rows', targetDatabase: 'sales_r5' });
}

/**
 * A drill of a chain (issue 20): a differential schedule's full and differential, each a nightly run of the real
 * workflow, then a drill and an on-demand restore of the chain (ChainStepsLeft → NextRestoreStep → RouteChainStep).
 */
async function chainDrillScenarios(): Promise<void> {
  const day = (date: string) => ({
    from: date,
    to: new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
  });
  const harness = await startWorkflowHarness({
    version: '3.5',
    feTimeZone: 'UTC',
    repositories: [{ name: 's3_repo', location: 's3a://chains/backups' }],
    databases: [
      {
        name: 'shop',
        tables: [
          {
            name: 'orders',
            partitioning: 'RANGE',
            partitions: ['2026-11-24', '2026-11-25'].map((date) => ({
              name: `p${date.replaceAll('-', '')}`,
              rows: 200,
              sizeBytes: 20_000_000,
              range: day(date),
            })),
          },
        ],
      },
    ],
    defaultRestoreDurationMs: 10 * 60_000,
  });
  try {
    const schedule = {
      schedules: [
        { name: 'nightly', cron: '0 2 * * ? *', timezone: 'UTC', mode: 'differential', fullEvery: 7 },
      ],
    };
    const night = async (slot: string) => {
      harness.clock.set(Math.max(harness.clock.now(), Date.parse(slot) + 5_000));
      observer.record(
        (await harness.run({ cluster: schedule, databases: ['shop'], scheduledTime: new Date(slot) })).events,
      );
    };
    await night('2026-11-28T02:00:00.000Z');
    harness.emulator.state.dropPartition('shop', 'orders', 'p20261124');
    harness.emulator.state.addPartition('shop', 'orders', {
      name: 'p20261126',
      rows: 90,
      sizeBytes: 9_000_000,
      range: day('2026-11-26'),
    });
    await night('2026-11-29T02:00:00.000Z');
    const drilled = await runDrill(harness, {
      cluster: { ...drillSettings('shop'), ...schedule },
      scheduledTime: new Date('2026-11-29T05:00:00.000Z'),
    });
    if (drilled.drill?.pointKind !== 'chain' || drilled.drill.state !== 'FINISHED') {
      throw new Error(`the chain drill did not pass: ${JSON.stringify(drilled.drill)}`);
    }
    observer.record(drilled.events);
    // The on-demand Restore machine runs the same chain into a new database.
    const restored = await runRestoreMachine(harness, { database: 'shop', targetDatabase: 'shop_restored' });
    if (restored.outcome.status !== 'SUCCEEDED') {
      throw new Error(`the chain restore did not finish: ${JSON.stringify(restored.outcome)}`);
    }
    observer.record(restored.events);
  } finally {
    await harness.close();
  }
}

describe('every JSONPath of every state machine resolves (no States.Runtime, which nothing catches)', () => {
  beforeAll(async () => {
    await nightlyScenarios();
    await pruneScenarios();
    await drillScenarios();
    await chainDrillScenarios();
  }, 300_000);

  it('statically: the first field of every path is present on every way into its state, or rests on a handler and was observed', () => {
    const entries = observer.entries();
    const unproven = MACHINES.flatMap((machine) => {
      const inputs = (observer.inputs.get(machine) ?? []) as Array<Record<string, unknown>>;
      const fields = inputs.length === 0 ? new Set<string>() : new Set(Object.keys(inputs[0] ?? {}));
      for (const input of inputs)
        for (const field of [...fields]) if (!(field in input)) fields.delete(field);
      return unprovenPaths(machine, definitions[machine], fields);
    });
    const unexplained = unproven
      .map(({ machine, state, path }) => ({
        key: `${machine}.${state} ${path}`,
        observed: entries.has(`${machine}.${state}`),
      }))
      .filter(({ key, observed }) => RESTS_ON_HANDLERS[key] === undefined || !observed)
      .map(({ key, observed }) => `${key}${observed ? '' : ' (never observed)'}`);
    expect(unexplained).toEqual([]);
    const stale = Object.keys(RESTS_ON_HANDLERS).filter(
      (key) => !unproven.some(({ machine, state, path }) => `${machine}.${state} ${path}` === key),
    );
    expect(stale).toEqual([]);
  });

  it('dynamically: every path of every entered state resolves against every input it received', () => {
    // A `.sync:2` Task's ResultSelector reads its child's output: NightlyBackup's lanes, a lane's databases.
    const childOf: Partial<Record<string, string>> = {
      nightlyBackup: 'backupLane',
      backupLane: 'backupDatabase',
    };
    const outputsOf = (machine: string) =>
      observer.outputs.get((childOf[machine] ?? 'backupDatabase') as StateMachineName) ?? [];
    const childOutputs = outputsOf('backupLane');
    let checked = 0;
    const failures = observer.observations.flatMap((observation) => {
      const state = [...statesOf(definitions[observation.machine])].find(
        ([name]) => name === observation.state,
      )?.[1];
      if (state === undefined) return [`${observation.machine}.${observation.state}: not in the definition`];
      checked++;
      return checkObservation(observation.state, state, observation, outputsOf(observation.machine));
    });
    expect(checked).toBeGreaterThan(500);
    expect(childOutputs.length).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it('enters every state of every machine except the ones listed as unreachable, with their reason', () => {
    const entries = observer.entries();
    const states = MACHINES.flatMap((machine) =>
      [...statesOf(definitions[machine])].map(([name]) => `${machine}.${name}`),
    );
    const unreached = states.filter((key) => !entries.has(key));
    expect(unreached.filter((key) => UNREACHED[key] === undefined)).toEqual([]);
    expect(Object.keys(UNREACHED).filter((key) => states.includes(key) && entries.has(key))).toEqual([]);
  });
});
