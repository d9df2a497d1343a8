/**
 * What a local run is doing, per database, built from the interpreter's events of the parent and child
 * executions. Renderers (a live task list on a terminal, plain lines otherwise) subscribe to its changes.
 */
import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';
import type { WorkflowEvent } from '#local/runner/local-workflow.ts';

/** Where one database's backup is. */
export type DatabasePhase =
  | 'queued'
  | 'waiting'
  | 'submitting'
  | 'running'
  | 'verifying'
  | 'cancelling'
  | 'finishing'
  | 'done';

/** One database's progress. */
export interface DatabaseProgress {
  readonly database: string;
  readonly phase: DatabasePhase;
  /** What is happening, in words (`UPLOADING 3/7, next check in 2 s`). */
  readonly detail: string;
  /** Event time (epoch ms) its execution started, or null while queued. */
  readonly startedAtMs: number | null;
  /** Event time it ended. */
  readonly endedAtMs: number | null;
  /** Its terminal state once done. */
  readonly outcome: BackupOutcomeState | null;
  /** Why, for anything but FINISHED. */
  readonly reason: string | null;
  /** The label being backed up, once known. */
  readonly label: string | null;
}

/** What the run planned (ResolveDatabases' answer). */
export interface RunPlanSummary {
  readonly scheduledTime: string;
  /** The first databases of the run's queue (all of them up to the plan's preview limit), longest expected first. */
  readonly databases: readonly string[];
  /** How many databases the run will back up. */
  readonly total: number;
  readonly excluded: number;
}

/** A change worth showing. */
export type ProgressChange =
  | { readonly kind: 'resolving'; readonly atMs: number }
  | { readonly kind: 'planned'; readonly atMs: number; readonly plan: RunPlanSummary }
  | { readonly kind: 'database'; readonly atMs: number; readonly progress: DatabaseProgress };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface JobView {
  readonly label?: unknown;
  readonly origin?: unknown;
  readonly starRocksState?: unknown;
  readonly progress?: { readonly done?: unknown; readonly total?: unknown } | null;
  readonly nextWaitSeconds?: unknown;
  readonly phase?: unknown;
}

interface StateView {
  readonly plan?: {
    readonly scheduledTime?: unknown;
    readonly preview?: readonly unknown[];
    readonly total?: unknown;
    readonly excluded?: unknown;
  };
  readonly job?: JobView;
  readonly record?: { readonly state?: unknown; readonly reason?: unknown };
  readonly database?: unknown;
  readonly label?: unknown;
}

/** What entering a BackupDatabase state means for the person watching. */
const ENTERED_STATES: Readonly<Record<string, readonly [DatabasePhase, string]>> = {
  AcquireSlot: ['waiting', 'waiting for a backup slot'],
  AcquireLock: ['waiting', 'taking the database lock'],
  SubmitBackup: ['submitting', 'submitting BACKUP'],
  VerifySnapshot: ['verifying', 'verifying the snapshot'],
  CancelBackup: ['cancelling', 'past the deadline: cancelling the job'],
  CancelIfOurs: ['cancelling', 'cleaning up after an error'],
  Skip: ['finishing', 'locked by another run: skipping'],
};

const TERMINAL: ReadonlySet<string> = new Set(['FINISHED', 'FAILED', 'TIMED_OUT', 'SKIPPED']);

function asObject(value: unknown): StateView {
  return typeof value === 'object' && value !== null ? (value as StateView) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** `UPLOADING 3/7, next check in 2 s` from a tracked job. */
export function describeJob(job: JobView): string {
  if (job.origin === 'adopted-snapshot') return 'this slot already has its snapshot: adopting it';
  const state = text(job.starRocksState) ?? 'PENDING';
  const done = job.progress?.done;
  const total = job.progress?.total;
  const progress =
    typeof done === 'number' && typeof total === 'number' && total > 0 ? ` ${done}/${total} tasks` : '';
  const origin = job.origin === 'adopted-job' ? ' (adopted the running job of this slot)' : '';
  const wait =
    job.phase === 'running' && typeof job.nextWaitSeconds === 'number' && job.nextWaitSeconds > 0
      ? `, next check in ${job.nextWaitSeconds} s`
      : '';
  return `${state}${progress}${origin}${wait}`;
}

/** Tracks a run's progress from its workflow events. */
export class RunProgress {
  private readonly byDatabase = new Map<string, Mutable<DatabaseProgress>>();
  private readonly databaseOfExecution = new Map<string, string>();
  private readonly listeners = new Set<(change: ProgressChange) => void>();
  private planSummary: RunPlanSummary | null = null;

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (change: ProgressChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The plan, once ResolveDatabases answered. */
  get plan(): RunPlanSummary | null {
    return this.planSummary;
  }

  /** Every database known so far, in plan order. */
  databases(): DatabaseProgress[] {
    return [...this.byDatabase.values()].map((entry) => ({ ...entry }));
  }

  /** One database's progress. */
  database(name: string): DatabaseProgress | undefined {
    const entry = this.byDatabase.get(name);
    return entry ? { ...entry } : undefined;
  }

  /** Feeds one interpreter event in. */
  apply(workflowEvent: WorkflowEvent): void {
    const { event } = workflowEvent;
    if (workflowEvent.stateMachine === 'nightlyBackup') {
      this.applyParent(event);
      return;
    }
    if (event.type === 'ExecutionStarted') {
      const database = text(asObject(event.input).database);
      if (database === null) return;
      this.databaseOfExecution.set(workflowEvent.executionArn, database);
      const entry = this.entry(database);
      entry.startedAtMs = event.timestamp;
      entry.label = text(asObject(event.input).label) ?? entry.label;
      // Not announced: AcquireSlot is entered right after, and says more.
      entry.phase = 'waiting';
      entry.detail = 'starting';
      return;
    }
    const database = this.databaseOfExecution.get(workflowEvent.executionArn);
    if (database === undefined) return;
    const entry = this.entry(database);
    switch (event.type) {
      case 'StateEntered':
        this.onStateEntered(entry, event.state.name, event.timestamp);
        break;
      case 'StateRetried':
        this.onStateRetried(entry, event.state.name, event.timestamp);
        break;
      case 'StateExited':
        this.onStateExited(entry, event.state.name, asObject(event.state.output), event.timestamp);
        break;
      case 'ExecutionSucceeded': {
        const record = asObject(event.output).record;
        const state = text(record?.state);
        this.finish(
          entry,
          event.timestamp,
          state !== null && TERMINAL.has(state) ? (state as BackupOutcomeState) : 'FINISHED',
          text(record?.reason) ?? entry.reason,
        );
        break;
      }
      case 'ExecutionFailed':
      case 'ExecutionAborted':
      case 'ExecutionTimeout': {
        const timedOut = event.type === 'ExecutionFailed' && event.Error === 'BackupTimedOutError';
        const outcome =
          entry.outcome === 'TIMED_OUT' || entry.outcome === 'FAILED'
            ? entry.outcome
            : timedOut
              ? 'TIMED_OUT'
              : 'FAILED';
        this.finish(entry, event.timestamp, outcome, entry.reason ?? 'the backup execution failed');
        break;
      }
      default:
        break;
    }
  }

  private applyParent(event: WorkflowEvent['event']): void {
    if (event.type === 'ExecutionStarted') {
      this.emit({ kind: 'resolving', atMs: event.timestamp });
      return;
    }
    if (event.type !== 'StateExited' || event.state.name !== 'ResolveDatabases') return;
    const plan = asObject(event.state.output).plan;
    if (!plan) return;
    const databases = (plan.preview ?? []).map(text).filter((name): name is string => name !== null);
    this.planSummary = {
      scheduledTime: text(plan.scheduledTime) ?? '',
      databases,
      total: Math.max(count(plan.total), databases.length),
      excluded: count(plan.excluded),
    };
    for (const database of databases) this.entry(database);
    this.emit({ kind: 'planned', atMs: event.timestamp, plan: this.planSummary });
  }

  private onStateEntered(entry: Mutable<DatabaseProgress>, state: string, atMs: number): void {
    if (state === 'NotifyFailure') {
      this.update(entry, atMs, 'finishing', `${entry.outcome ?? 'FAILED'}: sending the alert`);
      return;
    }
    const shown = ENTERED_STATES[state];
    if (shown) this.update(entry, atMs, shown[0], shown[1]);
  }

  private onStateRetried(entry: Mutable<DatabaseProgress>, state: string, atMs: number): void {
    if (state === 'AcquireSlot') this.update(entry, atMs, 'waiting', 'every backup slot is busy: waiting');
    else if (state === 'AcquireLock') this.update(entry, atMs, 'waiting', 'locked by another run: waiting');
    else if (state === 'SubmitBackup')
      this.update(entry, atMs, 'submitting', 'the database runs another job: retrying');
    else this.update(entry, atMs, entry.phase, `${entry.detail} (retrying ${state})`);
  }

  private onStateExited(
    entry: Mutable<DatabaseProgress>,
    state: string,
    output: StateView,
    atMs: number,
  ): void {
    if ((state === 'SubmitBackup' || state === 'CheckBackup') && output.job) {
      entry.label = text(output.job.label) ?? entry.label;
      this.update(entry, atMs, 'running', describeJob(output.job));
      return;
    }
    if (state.startsWith('Record') && output.record) {
      const recorded = text(output.record.state);
      if (recorded !== null && TERMINAL.has(recorded)) entry.outcome = recorded as BackupOutcomeState;
      entry.reason = text(output.record.reason);
    }
  }

  private finish(
    entry: Mutable<DatabaseProgress>,
    atMs: number,
    outcome: BackupOutcomeState,
    reason: string | null,
  ): void {
    entry.outcome = outcome;
    entry.reason = outcome === 'FINISHED' ? null : reason;
    entry.endedAtMs = atMs;
    const detail = reason && outcome !== 'FINISHED' ? `${outcome}: ${reason}` : outcome;
    this.update(entry, atMs, 'done', detail);
  }

  private entry(database: string): Mutable<DatabaseProgress> {
    let entry = this.byDatabase.get(database);
    if (!entry) {
      entry = {
        database,
        phase: 'queued',
        detail: 'queued',
        startedAtMs: null,
        endedAtMs: null,
        outcome: null,
        reason: null,
        label: null,
      };
      this.byDatabase.set(database, entry);
    }
    return entry;
  }

  private update(entry: Mutable<DatabaseProgress>, atMs: number, phase: DatabasePhase, detail: string): void {
    if (entry.phase === 'done' && phase !== 'done') return;
    entry.phase = phase;
    entry.detail = detail;
    this.emit({ kind: 'database', atMs, progress: { ...entry } });
  }

  private emit(change: ProgressChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
