/**
 * The fault matrix of docs/locking.md: each fault injected at each state of the BackupDatabase machine, through
 * the real ASL in the local runner, the real handlers, dynalite and the FE emulator, on a virtual clock. A cell is
 * one fault at the first entry of one state by the faulted database's execution; after it (and after the recovery a
 * fault needs) the invariants are checked:
 * - exactly one terminal catalog item per job StarRocks ran, and one per database for every run that completed;
 * - the FE never ran more of the cell's jobs at once than the cluster's slots;
 * - no job left running, no lock or slot held;
 * - a per-database alert (or a line in a posted summary) for every failure recorded, and none for anything else;
 * - each completed run's status agrees with what the catalog says of it (what `--json` and the exit code show).
 */
import { type BackupAttempt, type CatalogStore, runOutcomes } from '#domain/catalog/index.ts';
import { type BackupConfig, parseConfig, type ScheduleConfig } from '#domain/config/index.ts';
import type { LockStore } from '#domain/lock/index.ts';
import { buildSnapshotLabel, withStarRocksClientSession } from '#domain/starrocks/index.ts';
import { SUBMISSION_WINDOW_SECONDS } from '#functions/SettleOrphans/core.ts';
import { hasFailures } from '#local/cli/format/results.ts';
import type { EmulatorHandle, ManualClock } from '#local/emulator/index.ts';
import { registerLocalHolder } from '#local/runner/execution-registry.ts';
import type { LocalWorkflow, TaskCall, WorkflowEvent } from '#local/runner/local-workflow.ts';
import { type LocalRunResult, runNightlyLocally } from '#local/runner/run-nightly.ts';
import type { ObservedAlert } from '#runtime/runtime.ts';
import type { TestDynamo } from './dynalite.ts';
import { database as scenarioDatabase } from './workflow-harness.ts';

/** The faults of the matrix. */
export const FAULTS = [
  'lease-shorter-than-step',
  'lock-held-for-an-hour',
  'slot-contention-at-cap-1',
  'execution-aborted',
  'runner-killed',
  'deadline-racing-completion',
  'fe-answering-slowly',
  'lambda-timeout-after-side-effect',
] as const;

/** One fault. */
export type Fault = (typeof FAULTS)[number];

/** How a cell reaches its state: the path of the machine that passes through it. */
type BasePath =
  | 'success'
  | 'skip'
  | 'starrocks-cancel'
  | 'deadline'
  | 'error'
  | 'orphan'
  | 'orphan-pending'
  | 'notice';

/**
 * Every state of backup-database.asl.json a cell can reach, with the path that reaches it. UnknownPhase (a phase
 * CheckBackup never returns) and NotifyOrphanFailed (NotifyFailure never throws) are unreachable by design.
 */
export const STATE_PATHS: Readonly<Record<string, BasePath>> = {
  Init: 'success',
  PlannedProblem: 'success',
  AcquireSlot: 'success',
  AcquireLock: 'success',
  InheritedWork: 'success',
  SettleOrphans: 'orphan',
  NotifyOrphans: 'orphan',
  NotifyOrphan: 'orphan',
  OrphansPending: 'orphan',
  WaitForOrphans: 'orphan-pending',
  SubmitBackup: 'success',
  RouteJob: 'success',
  WaitForBackup: 'success',
  CheckBackup: 'success',
  VerifySnapshot: 'success',
  RecordSuccess: 'success',
  HasNotices: 'success',
  NotifyNotices: 'notice',
  ReleaseAfterSuccess: 'success',
  Finished: 'success',
  Skip: 'skip',
  RecordSkipped: 'skip',
  ReleaseAfterSkip: 'skip',
  Skipped: 'skip',
  TakeStarRocksOutcome: 'starrocks-cancel',
  CancelBackup: 'deadline',
  CancelIfOurs: 'error',
  RecordFailure: 'starrocks-cancel',
  NotifyFailure: 'starrocks-cancel',
  ReleaseAfterFailure: 'starrocks-cancel',
  FailureKind: 'starrocks-cancel',
  BackupTimedOut: 'deadline',
  BackupFailed: 'starrocks-cancel',
};

/** The Lambda Task states (their fault hooks run exactly at the invocation). */
const TASK_STATES = new Set([
  'AcquireSlot',
  'AcquireLock',
  'SettleOrphans',
  'NotifyOrphan',
  'SubmitBackup',
  'CheckBackup',
  'VerifySnapshot',
  'RecordSuccess',
  'NotifyNotices',
  'ReleaseAfterSuccess',
  'RecordSkipped',
  'ReleaseAfterSkip',
  'CancelBackup',
  'CancelIfOurs',
  'RecordFailure',
  'NotifyFailure',
  'ReleaseAfterFailure',
]);

/** The Task states whose function talks to the FE. */
const FRONT_END_STATES = new Set([
  'SettleOrphans',
  'SubmitBackup',
  'CheckBackup',
  'VerifySnapshot',
  'CancelBackup',
  'CancelIfOurs',
]);

/** Whether a fault means anything at a state (a slow FE only where the FE is asked, a Lambda timeout only at a Task). */
export function applies(fault: Fault, state: string): boolean {
  if (fault === 'fe-answering-slowly') return FRONT_END_STATES.has(state);
  if (fault === 'lambda-timeout-after-side-effect') return TASK_STATES.has(state);
  return true;
}

/** The shared parts of one matrix file. */
export interface FaultWorld {
  readonly emulator: EmulatorHandle;
  readonly dynamo: TestDynamo;
  readonly clock: ManualClock;
  readonly catalog: CatalogStore;
  readonly locks: LockStore;
  readonly slackUrl: string;
}

/** What one cell saw, and what broke (empty when every invariant held). */
export interface CellReport {
  readonly fault: Fault;
  readonly state: string;
  /** Whether the fault fired (the faulted execution reached the state). */
  readonly fired: boolean;
  readonly violations: readonly string[];
}

const LEASE_SECONDS = 420;
const STATEMENT_TIMEOUT_SECONDS = 1;
const SLOT = new Date('2026-11-24T02:00:00.000Z');
const NEXT_SLOT = new Date('2026-11-25T02:00:00.000Z');
let cellCounter = 0;

/** Runs one cell and checks the invariants. */
export async function runCell(world: FaultWorld, fault: Fault, state: string): Promise<CellReport> {
  cellCounter += 1;
  const cell = new Cell(world, fault, state, `fm${process.pid % 1000}x${cellCounter}`);
  return cell.run();
}

interface RunRecord {
  readonly result: LocalRunResult;
  readonly killed: boolean;
  /** The databases the run was given. */
  readonly databases: readonly string[];
}

class Cell {
  private readonly path: BasePath;
  private readonly a: string;
  private readonly b: string;
  private readonly cap: number;
  private readonly alerts: ObservedAlert[] = [];
  private readonly runs: RunRecord[] = [];
  private readonly foreign: ReturnType<typeof registerLocalHolder>[] = [];
  private readonly pending: Promise<unknown>[] = [];
  private fired = false;
  private killed = false;
  private workflow: LocalWorkflow | undefined;
  private faultedExecution: string | undefined;

  constructor(
    private readonly world: FaultWorld,
    private readonly fault: Fault,
    private readonly state: string,
    private readonly cluster: string,
  ) {
    const path = STATE_PATHS[state];
    if (!path) throw new Error(`no path reaches state ${state}`);
    this.path = path;
    this.a = `${cluster}_a`;
    this.b = `${cluster}_b`;
    this.cap = fault === 'slot-contention-at-cap-1' || fault === 'lock-held-for-an-hour' ? 1 : 2;
  }

  async run(): Promise<CellReport> {
    const { emulator } = this.world;
    emulator.state.addDatabase(scenarioDatabase(this.a, { durationMs: 10 * 60_000 }));
    emulator.state.addDatabase(scenarioDatabase(this.b, { durationMs: 10 * 60_000 }));
    await this.prepare();
    const slot = this.path === 'orphan' || this.path === 'orphan-pending' ? NEXT_SLOT : SLOT;
    await this.nightly({ databases: [this.a], slot, faulted: true });
    await Promise.allSettled(this.pending);
    if (this.killed) {
      // The runner died: the next run of the same slot finds what it left.
      await this.nightly({ databases: [this.a], slot, faulted: false });
    }
    for (const holder of this.foreign) await this.releaseForeign(holder);
    return { fault: this.fault, state: this.state, fired: this.fired, violations: await this.check() };
  }

  /** Sets up the path: what makes the faulted execution pass through the cell's state. */
  private async prepare(): Promise<void> {
    const { emulator, locks, clock } = this.world;
    switch (this.path) {
      case 'skip': {
        const holder = registerLocalHolder('ForeignHolder', `${this.cluster}-skip`);
        this.foreign.push(holder);
        await locks.acquireLock({
          cluster: this.cluster,
          database: this.a,
          holder: holder.arn,
          leaseSeconds: 3600,
        });
        return;
      }
      case 'starrocks-cancel':
        emulator.faults.cancelNextBackup(this.a, '[COMMON_ERROR, msg: disk full on backend 10002]');
        return;
      case 'deadline':
        emulator.faults.hangNextBackup(this.a);
        return;
      case 'error':
        emulator.faults.dropConnectionOn((sql) => sql.includes(this.a) && /^SHOW SNAPSHOT/i.test(sql), {
          times: 5,
        });
        return;
      case 'orphan': {
        // A holder nobody here can ask about (a deployed execution) whose lease lapsed while its job of the previous
        // slot still runs: AcquireLock takes the lock over by expiry and the faulted execution settles the job.
        const holder = `arn:aws:states:us-east-1:123456789012:execution:backupDatabase:${this.cluster}-gone`;
        const label = await this.leaveNotedSubmission(holder);
        await this.submitDirectly(label);
        clock.advance((SUBMISSION_WINDOW_SECONDS + LEASE_SECONDS) * 1000);
        return;
      }
      case 'orphan-pending':
        // Set up once the run started (a local run settles ended local holders before it starts): an execution
        // that ended a moment ago, after noting a submission StarRocks has not seen, as if its last invocation
        // were still on its way.
        this.lateSetup = async () => {
          await this.leaveNotedSubmission(
            `arn:aws:states:local-99999999:000000000000:execution:backupDatabase:${this.cluster}-stopped`,
          );
        };
        return;
      case 'notice': {
        // The catalog says this slot already FINISHED, but the repository no longer holds the snapshot: the
        // execution marks it lost, backs the database up again, and warns.
        const label = buildSnapshotLabel({
          cluster: this.cluster,
          schedule: 'nightly',
          database: this.a,
          scheduledTime: SLOT,
        });
        await this.world.catalog.recordAttempt({
          cluster: this.cluster,
          database: this.a,
          label,
          repository: 's3_repo',
          schedule: 'nightly',
          scheduledTime: SLOT.toISOString(),
          runId: `${this.cluster}-earlier-run`,
          executionId: `${this.cluster}-earlier-execution`,
          attempt: 1,
          state: 'FINISHED',
          reason: null,
          startedAt: SLOT.toISOString(),
          finishedAt: SLOT.toISOString(),
          durationSeconds: 60,
          snapshotTimestamp: '2026-11-24-02-00-05-000',
          verified: true,
          sizeBytes: 1024,
          tableCount: 2,
          starRocksJobId: '1',
        });
        return;
      }
      case 'success':
        return;
    }
  }

  private config(): BackupConfig {
    const { emulator } = this.world;
    return parseConfig({
      clusters: [
        {
          name: this.cluster,
          host: emulator.host,
          port: emulator.port,
          repository: 's3_repo',
          maxConcurrentBackups: this.cap,
          timeoutSeconds: 2 * 3600,
          connectTimeoutSeconds: STATEMENT_TIMEOUT_SECONDS,
          statementTimeoutSeconds: STATEMENT_TIMEOUT_SECONDS,
          schedules: [
            { name: 'nightly', cron: '0 2 * * ? *', timezone: 'UTC' },
            { name: 'second', cron: '0 3 * * ? *', timezone: 'UTC' },
          ],
        },
      ],
      poll: { minSeconds: 30, maxSeconds: 3600 },
      lock: { leaseSeconds: LEASE_SECONDS },
    });
  }

  private schedule(config: BackupConfig, name: string): ScheduleConfig {
    const schedule = config.clusters[0]?.schedules.find((candidate) => candidate.name === name);
    if (!schedule) throw new Error(`no schedule ${name}`);
    return schedule;
  }

  /** The lock of database A held by `holder` for the previous slot, with a submission noted now; its label. */
  private async leaveNotedSubmission(holder: string): Promise<string> {
    const { locks, clock } = this.world;
    const label = buildSnapshotLabel({
      cluster: this.cluster,
      schedule: 'nightly',
      database: this.a,
      scheduledTime: SLOT,
    });
    const held = await locks.acquireLock({
      cluster: this.cluster,
      database: this.a,
      holder,
      leaseSeconds: LEASE_SECONDS,
      label,
      purpose: {
        runId: holder.replace('backupDatabase', 'nightlyBackup'),
        schedule: 'nightly',
        scheduledTime: SLOT.toISOString(),
        database: this.a,
        label,
      },
    });
    await locks.noteSubmission({
      cluster: this.cluster,
      database: this.a,
      holder,
      token: held.token,
      label,
      labelAttempt: 1,
      submittedAt: clock.now(),
      extendSeconds: LEASE_SECONDS,
    });
    return label;
  }

  /** Sends a BACKUP as the gone holder did, straight to the FE. */
  private async submitDirectly(label: string): Promise<void> {
    const { emulator } = this.world;
    await withStarRocksClientSession(
      {
        host: emulator.host,
        port: emulator.port,
        user: 'root',
        password: '',
        connectTimeoutMs: 2000,
        statementTimeoutMs: 2000,
      },
      async (client) => {
        const version = await client.currentVersion();
        await client.submitBackup({
          database: this.a,
          label,
          repository: 's3_repo',
          timeoutSeconds: 86_400,
          type: 'FULL',
          version,
        });
      },
    );
  }

  private common(config: BackupConfig, scheduleName: string, slot: Date, databases: string[]) {
    const { dynamo, clock } = this.world;
    return {
      config,
      cluster: this.cluster,
      schedule: this.schedule(config, scheduleName),
      scheduledTime: slot,
      databases,
      tables: {
        endpoint: dynamo.endpoint,
        locksTableName: dynamo.locksTableName,
        catalogTableName: dynamo.catalogTableName,
      },
      clock,
      secretEnv: { SLACK_WEBHOOK_URL: this.world.slackUrl, STARROCKS_PASSWORD: '' },
      waitOverrideMs: 0,
      retryOverrideMs: 1,
      onAlert: (alert: ObservedAlert) => this.alerts.push(alert),
    };
  }

  /**
   * Time as it passes on AWS, on the virtual clock: a check moves it to its due time, and a retried Task first
   * waits its retry delay (the ASL's MaxDelaySeconds for a held slot, lock or busy database; 30 s otherwise).
   */
  private passTime(call: TaskCall): void {
    const { clock } = this.world;
    const previous = this.lastTask.get(call.executionArn);
    this.lastTask.set(call.executionArn, call.stateName);
    if (previous === call.stateName && call.stateName !== 'CheckBackup') {
      const domainRetry = ['AcquireSlot', 'AcquireLock', 'SubmitBackup'].includes(call.stateName);
      clock.advance((domainRetry ? 300 : 30) * 1000);
    }
    if (call.stateName !== 'CheckBackup') return;
    const job = (call.input as { job?: { checkedAt: number; nextWaitSeconds: number } }).job;
    if (!job) return;
    clock.set(Math.max(clock.now(), job.checkedAt + job.nextWaitSeconds * 1000));
  }

  private async nightly(options: { databases: string[]; slot: Date; faulted: boolean }): Promise<void> {
    const config = this.config();
    const databaseOf = new Map<string, string>();
    const result = await runNightlyLocally({
      ...this.common(config, 'nightly', options.slot, options.databases),
      onWorkflow: (workflow) => {
        if (options.faulted) this.workflow = workflow;
      },
      onEvent: (event) => {
        this.trackExecution(event, databaseOf);
        if (options.faulted) this.onStateEntered(event, databaseOf);
      },
      beforeTask: async (call) => {
        this.passTime(call);
        if (options.faulted && call.stateName === 'AcquireSlot' && this.lateSetup) {
          const setup = this.lateSetup;
          this.lateSetup = undefined;
          await setup();
        }
        if (options.faulted && this.isFaultPoint(call.stateName, call.executionArn, databaseOf)) {
          await this.inject('before', call);
        }
      },
      afterTask: async (call) => {
        if (
          options.faulted &&
          this.fault === 'lambda-timeout-after-side-effect' &&
          call.stateName === this.state &&
          call.executionArn === this.faultedExecution &&
          !this.afterFired
        ) {
          this.afterFired = true;
          // Lambda's own timer fires after the function did its work (function timeout below the Task's).
          const timedOut = new Error('Task timed out after 110.00 seconds');
          timedOut.name = 'States.Timeout';
          throw timedOut;
        }
      },
    });
    this.runs.push({ result, killed: options.faulted && this.killed, databases: options.databases });
  }

  private afterFired = false;
  private readonly lastTask = new Map<string, string>();
  private lateSetup: (() => Promise<void>) | undefined;

  private trackExecution(event: WorkflowEvent, databaseOf: Map<string, string>): void {
    if (event.event.type !== 'ExecutionStarted' || event.stateMachine !== 'backupDatabase') return;
    const input = event.event.input as { database?: string };
    if (input.database) databaseOf.set(event.executionArn, input.database);
  }

  private isFaultPoint(stateName: string, executionArn: string, databaseOf: Map<string, string>): boolean {
    if (this.fired || stateName !== this.state) return false;
    if (databaseOf.get(executionArn) !== this.a) return false;
    return true;
  }

  private onStateEntered(event: WorkflowEvent, databaseOf: Map<string, string>): void {
    if (event.event.type !== 'StateEntered' || TASK_STATES.has(this.state)) return;
    const entered = event.event as { state?: { name?: string; input?: unknown } };
    const name = entered.state?.name;
    if (name === undefined || !this.isFaultPoint(name, event.executionArn, databaseOf)) return;
    void this.inject('before', {
      stateName: name,
      functionName: 'RecordResult',
      input: entered.state?.input,
      executionArn: event.executionArn,
      stateMachine: event.stateMachine,
    });
  }

  /** The fault, at the first entry of the cell's state by the faulted execution. */
  private async inject(_when: 'before', call: TaskCall): Promise<void> {
    this.fired = true;
    this.faultedExecution = call.executionArn;
    const { clock, emulator, locks } = this.world;
    switch (this.fault) {
      case 'lease-shorter-than-step': {
        // The step outlasts the lease, and right then a live competitor wants the lock and a slot: a running holder
        // keeps both, lapsed or not.
        clock.advance((LEASE_SECONDS + 120) * 1000);
        const competitor = registerLocalHolder('Competitor', `${this.cluster}-lease`);
        this.foreign.push(competitor);
        await locks
          .acquireLock({ cluster: this.cluster, database: this.a, holder: competitor.arn, leaseSeconds: 60 })
          .catch(() => undefined);
        await locks
          .acquireSlot({
            cluster: this.cluster,
            capacity: this.cap,
            holder: competitor.arn,
            leaseSeconds: 60,
          })
          .catch(() => undefined);
        return;
      }
      case 'lock-held-for-an-hour': {
        // A live execution takes the database's lock for an hour (when it is still free), and a run of another
        // database competes for the cluster's one slot meanwhile: waiting for the lock must not lose the slot.
        const holder = registerLocalHolder('ForeignHolder', `${this.cluster}-hour`);
        this.foreign.push(holder);
        await locks
          .acquireLock({ cluster: this.cluster, database: this.a, holder: holder.arn, leaseSeconds: 3600 })
          .catch(() => undefined);
        this.startCompetingRun();
        return;
      }
      case 'slot-contention-at-cap-1':
        this.startCompetingRun();
        return;
      case 'execution-aborted':
        this.workflow?.stopExecution(call.executionArn);
        return;
      case 'runner-killed':
        this.killed = true;
        this.workflow?.kill();
        if (TASK_STATES.has(call.stateName)) throw new Error('the runner died before the invocation');
        return;
      case 'deadline-racing-completion': {
        const job = (call.input as { job?: { deadlineAt?: number } } | undefined)?.job;
        clock.set(Math.max(clock.now(), job?.deadlineAt ?? clock.now() + 2 * 3600 * 1000));
        emulator.faults.finishBackupNow(this.a);
        return;
      }
      case 'fe-answering-slowly':
        emulator.faults.delayReplies(() => true, STATEMENT_TIMEOUT_SECONDS * 1000 + 300, { times: 1 });
        return;
      case 'lambda-timeout-after-side-effect':
        return;
    }
  }

  /** A run of another schedule for database B, on the same cluster and clock. */
  private startCompetingRun(): void {
    const config = this.config();
    this.pending.push(
      runNightlyLocally({
        ...this.common(config, 'second', SLOT, [this.b]),
        beforeTask: (inner) => this.passTime(inner),
      }).then((result) => this.runs.push({ result, killed: false, databases: [this.b] })),
    );
  }

  private async releaseForeign(holder: ReturnType<typeof registerLocalHolder>): Promise<void> {
    const { locks } = this.world;
    const held = await locks.listHeld(this.cluster);
    for (const lock of held.locks.filter((record) => record.holder === holder.arn)) {
      await locks.releaseLock({
        cluster: this.cluster,
        database: lock.database,
        holder: holder.arn,
        token: lock.token,
      });
    }
    for (const slot of held.slots.filter((record) => record.holder === holder.arn)) {
      await locks.releaseSlot({
        cluster: this.cluster,
        slot: slot.slot,
        holder: holder.arn,
        token: slot.token,
      });
    }
    holder.end();
  }

  /** What every run that touched the cell's databases recorded, per run (its own entries). */
  private async runEntries(items: ReadonlyMap<string, readonly BackupAttempt[]>): Promise<BackupAttempt[]> {
    const { catalog } = this.world;
    const runIds = new Set([...items.values()].flat().map((item) => item.runId));
    for (const { result } of this.runs) runIds.add(result.executionArn);
    const entries: BackupAttempt[] = [];
    for (const runId of runIds) {
      const page = await catalog.listRun({ runId, limit: 500 });
      entries.push(...page.items.filter((item) => items.has(item.database)));
    }
    return entries;
  }

  /** Every invariant, as text naming what broke. */
  private async check(): Promise<string[]> {
    const { catalog, emulator, locks, clock } = this.world;
    const violations: string[] = [];
    const items = new Map<string, readonly BackupAttempt[]>();
    for (const db of [this.a, this.b]) {
      items.set(db, (await catalog.listSnapshots({ cluster: this.cluster, database: db, limit: 500 })).items);
    }

    // One terminal item per job StarRocks ran; no job left running.
    for (const db of [this.a, this.b]) {
      for (const job of emulator.state.jobs(db).filter((candidate) => !candidate.foreign)) {
        const recorded = (items.get(db) ?? []).filter((item) => item.label === job.label);
        if (recorded.length !== 1)
          violations.push(`${db}: job ${job.label} has ${recorded.length} catalog items`);
        // The truth decides: a job StarRocks finished is recorded FINISHED (unless the repository could not be read).
        if (
          job.state === 'FINISHED' &&
          this.path !== 'error' &&
          !recorded.some((item) => item.state === 'FINISHED')
        ) {
          violations.push(
            `${db}: job ${job.label} FINISHED but recorded ${recorded.map((item) => item.state).join(', ') || 'nothing'}`,
          );
        }
        if (job.state !== 'FINISHED' && job.state !== 'CANCELLED') {
          violations.push(`${db}: job ${job.label} still ${job.state} with nobody left to own it`);
        }
      }
    }

    // Every completed run recorded every database it was given; status, `--json` and exit code agree.
    for (const { result, killed, databases } of this.runs) {
      if (killed) continue;
      const outcomes = await runOutcomes(catalog, result.executionArn);
      for (const db of databases) {
        if (!outcomes.some((item) => item.database === db)) violations.push(`${db}: run has no catalog item`);
        if (!result.results.some((entry) => entry.database === db))
          violations.push(`${db}: run reports no result`);
      }
      const failed = hasFailures(result.results);
      if (failed !== (result.status !== 'SUCCEEDED')) {
        violations.push(`run status ${result.status} disagrees with its catalog (failures: ${failed})`);
      }
    }

    // The FE never ran more of the cell's jobs at once than the cluster's slots.
    const now = clock.now();
    const intervals = [this.a, this.b].flatMap((db) =>
      emulator.state
        .jobs(db)
        .filter((job) => !job.foreign)
        .map((job) => ({ from: job.createdAt, to: job.finishedAt ?? now })),
    );
    const most = Math.max(
      0,
      ...intervals.map(({ from }) => intervals.filter((o) => o.from <= from && from < o.to).length),
    );
    if (most > this.cap) violations.push(`the FE ran ${most} jobs at once with ${this.cap} slot(s)`);

    // Nothing held.
    const held = await locks.listHeld(this.cluster);
    for (const lock of held.locks) violations.push(`lock ${lock.database} still held by ${lock.holder}`);
    for (const slot of held.slots) violations.push(`slot ${slot.slot} still held by ${slot.holder}`);

    // An alert for every failure a run recorded, and none for an attempt no run recorded as a failure. (A slot's
    // item may move from FAILED to FINISHED when a later run proves a snapshot; each run's own entry keeps what
    // that run made of it.)
    const entries = await this.runEntries(items);
    const failureAlerts = this.alerts.filter((alert) => alert.kind === 'backup-failure');
    const summaries = this.alerts.filter((alert) => alert.kind === 'run-summary');
    for (const entry of entries) {
      const failure = entry.state === 'FAILED' || entry.state === 'TIMED_OUT';
      if (!failure) continue;
      const alerted = failureAlerts.some((alert) => alert.text.includes(entry.label));
      const summarized = summaries.some((alert) => alert.text.includes(entry.database));
      if (!alerted && !summarized) {
        violations.push(
          `${entry.database}: ${entry.state} ${entry.label} (run ${entry.runId}) never alerted`,
        );
      }
    }
    for (const alert of failureAlerts) {
      const named = entries.filter((entry) => alert.text.includes(entry.label));
      if (
        named.length > 0 &&
        !named.some((entry) => entry.state === 'FAILED' || entry.state === 'TIMED_OUT')
      ) {
        violations.push(`an alert names ${named[0]?.label}, which no run recorded as a failure`);
      }
    }
    return violations;
  }
}
