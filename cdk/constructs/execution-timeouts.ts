/**
 * Execution timeouts of the two state machines, derived from the configuration and from the Retry fields of
 * the ASL itself, so that a change to a retry policy moves the timeout with it.
 */

/** Step Functions' longest Standard execution: one year. */
export const MAX_EXECUTION_SECONDS = 365 * 86_400;

/** What a BackupDatabase execution spends besides the waits computed here: Lambda runs, transient retries, verify, record, notify, release. */
export const BACKUP_EXECUTION_MARGIN_SECONDS = 3_600;

/** The nightly run's cap when no single backup may take longer: a week. */
export const NIGHTLY_EXECUTION_CAP_SECONDS = 7 * 86_400;

/** An ASL Retrier, as far as its timing goes. */
interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
}

interface AslState {
  readonly Type?: string;
  readonly Retry?: readonly Retrier[];
  readonly Iterator?: AslStates;
  readonly ItemProcessor?: AslStates;
  readonly Branches?: readonly AslStates[];
}

interface AslStates {
  readonly States?: Readonly<Record<string, AslState>>;
}

/** The parsed ASL document (only what the timeout computation reads). */
export type AslDocument = AslStates;

function findState(states: AslStates, name: string): AslState | undefined {
  for (const [stateName, state] of Object.entries(states.States ?? {})) {
    if (stateName === name) return state;
    const nested = [state.Iterator, state.ItemProcessor, ...(state.Branches ?? [])];
    for (const inner of nested) {
      const found = inner === undefined ? undefined : findState(inner, name);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * The longest time the Retrier of `stateName` that matches `errorName` can wait in total before giving up:
 * the sum over its attempts of `IntervalSeconds × BackoffRate^n`, each capped at `MaxDelaySeconds`
 * (ASL defaults: 1 s, 3 attempts, rate 2). Full jitter only shortens the waits.
 * Throws when the state or the Retrier is missing, so a renamed state cannot silently zero the bound.
 */
export function retryWaitBoundSeconds(definition: AslDocument, stateName: string, errorName: string): number {
  const state = findState(definition, stateName);
  if (state === undefined) throw new Error(`state ${stateName} is not in the definition`);
  const retrier = state.Retry?.find((candidate) => candidate.ErrorEquals.includes(errorName));
  if (retrier === undefined) throw new Error(`state ${stateName} has no Retry for ${errorName}`);
  const interval = retrier.IntervalSeconds ?? 1;
  const attempts = retrier.MaxAttempts ?? 3;
  const rate = retrier.BackoffRate ?? 2;
  const cap = retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY;
  let total = 0;
  for (let attempt = 0; attempt < attempts; attempt++) total += Math.min(interval * rate ** attempt, cap);
  return total;
}

/** How an execution timeout of a lease-holding state machine (BackupDatabase, RestoreDrill) is made up, in seconds. */
export interface ExecutionBudget {
  /** The longest deadline of our own (`timeoutSeconds`, or `drill.timeoutSeconds`) of any cluster. */
  readonly deadline: number;
  /** Waiting for a free cluster slot (AcquireSlot retrying SlotUnavailableError). */
  readonly slotWait: number;
  /** Waiting for the database lock (AcquireLock retrying LockHeldError). */
  readonly lockWait: number;
  /** Waiting for a job of someone else on the database to end (the submit retrying BackupAlreadyRunningError). */
  readonly submitWait: number;
  /** The check that notices the deadline comes at most one longest poll after it. */
  readonly pollLag: number;
  readonly margin: number;
  /** The sum, rounded up to whole minutes and capped at one year. */
  readonly total: number;
}

/** How a BackupDatabase execution's timeout is made up, in seconds. */
export type BackupExecutionBudget = ExecutionBudget;

/** What an execution budget is computed from, besides the ASL definition. */
export interface ExecutionBudgetSettings {
  /** The longest deadline of our own of any cluster. */
  readonly maxDeadlineSeconds: number;
  /** `poll.maxSeconds`. */
  readonly maxPollSeconds: number;
}

/**
 * An execution timeout: the longest deadline plus every bounded wait the ASL allows before and after it (a free
 * slot, the lock, another job on the database: the Retry of `submitState` on BackupAlreadyRunningError), one
 * longest poll and `marginSeconds`, so Step Functions only stops an execution that our own deadline could not.
 */
export function executionBudget(
  definition: AslDocument,
  submitState: string,
  settings: ExecutionBudgetSettings & { readonly marginSeconds: number },
): ExecutionBudget {
  const slotWait = retryWaitBoundSeconds(definition, 'AcquireSlot', 'SlotUnavailableError');
  const lockWait = retryWaitBoundSeconds(definition, 'AcquireLock', 'LockHeldError');
  const submitWait = retryWaitBoundSeconds(definition, submitState, 'BackupAlreadyRunningError');
  const sum =
    settings.maxDeadlineSeconds +
    slotWait +
    lockWait +
    submitWait +
    settings.maxPollSeconds +
    settings.marginSeconds;
  return {
    deadline: settings.maxDeadlineSeconds,
    slotWait,
    lockWait,
    submitWait,
    pollLag: settings.maxPollSeconds,
    margin: settings.marginSeconds,
    total: Math.min(MAX_EXECUTION_SECONDS, Math.ceil(sum / 60) * 60),
  };
}

/** The BackupDatabase execution timeout (see {@link executionBudget}). */
export function backupExecutionBudget(
  definition: AslDocument,
  settings: ExecutionBudgetSettings,
): BackupExecutionBudget {
  return executionBudget(definition, 'SubmitBackup', {
    ...settings,
    marginSeconds: BACKUP_EXECUTION_MARGIN_SECONDS,
  });
}

/**
 * The NightlyBackup execution timeout: a fixed week, or one day more than a single BackupDatabase execution
 * may last when that is longer (a run must be able to outlive its longest child), capped at one year.
 */
export function nightlyExecutionTimeoutSeconds(backupExecutionSeconds: number): number {
  return Math.min(
    MAX_EXECUTION_SECONDS,
    Math.max(NIGHTLY_EXECUTION_CAP_SECONDS, backupExecutionSeconds + 86_400),
  );
}

interface AslTaskLike {
  readonly Type?: string;
  readonly Resource?: unknown;
  readonly TimeoutSeconds?: number;
  readonly Iterator?: AslTaskStates;
  readonly ItemProcessor?: AslTaskStates;
  readonly Branches?: readonly AslTaskStates[];
}

interface AslTaskStates {
  readonly States?: Readonly<Record<string, AslTaskLike>>;
}

/**
 * The shortest `TimeoutSeconds` of the Task states whose `Resource` is `resource` (e.g. `${CheckBackupFunctionArn}`),
 * across `definitions`: a function serving several Tasks must time out before the quickest of them does. Undefined
 * when no such Task sets one.
 */
export function shortestTaskTimeoutSeconds(
  definitions: readonly object[],
  resource: string,
): number | undefined {
  let shortest: number | undefined;
  const visit = (states: AslTaskStates | undefined): void => {
    for (const state of Object.values(states?.States ?? {})) {
      if (state.Type === 'Task' && state.Resource === resource && state.TimeoutSeconds !== undefined) {
        shortest = Math.min(shortest ?? Number.POSITIVE_INFINITY, state.TimeoutSeconds);
      }
      visit(state.Iterator);
      visit(state.ItemProcessor);
      for (const branch of state.Branches ?? []) visit(branch);
    }
  };
  for (const definition of definitions) visit(definition as AslTaskStates);
  return shortest;
}

/**
 * How much sooner a function's own timeout fires than its Task's `TimeoutSeconds`. The Task's timer also runs
 * through Lambda's Init phase (up to 10 s on a cold start) and the invoke round trip, so with equal timeouts Step
 * Functions could stop the Task first; a function that times out first reports `Sandbox.Timedout` (or
 * `Lambda.Unknown`), which the shared retry policy retries (statemachines/retry-policy.ts).
 */
export const FUNCTION_TIMEOUT_MARGIN_SECONDS = 20;

/** Lambda's longest invocation: 15 minutes. */
export const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

/** A function's timeout for a Task of `taskTimeoutSeconds`: {@link FUNCTION_TIMEOUT_MARGIN_SECONDS} sooner, at most 15 minutes. */
export function functionTimeoutSeconds(taskTimeoutSeconds: number): number {
  const seconds = Math.min(LAMBDA_MAX_TIMEOUT_SECONDS, taskTimeoutSeconds - FUNCTION_TIMEOUT_MARGIN_SECONDS);
  if (seconds < 1) {
    throw new Error(
      `a Task TimeoutSeconds of ${taskTimeoutSeconds} leaves its function no time (${FUNCTION_TIMEOUT_MARGIN_SECONDS} s go to Init and the invoke)`,
    );
  }
  return seconds;
}
