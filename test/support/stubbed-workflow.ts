import {
  LocalWorkflow,
  type LocalWorkflowOptions,
  type WorkflowEvent,
} from '#local/runner/local-workflow.ts';
import type { TaskFunctionName } from '#statemachines/definitions.ts';

/** A stubbed Lambda handler: the event Step Functions sends, the result it returns. */
export type Stub = (event: Record<string, unknown>) => unknown;

/**
 * The runner with every Lambda answered by a stub (each returns a minimal result of its real shape): what is under
 * test is the runner's AWS fidelity or the definitions' data flow, not the handlers.
 */
export function stubbedWorkflow(
  stubs: Partial<Record<TaskFunctionName, Stub>>,
  events: WorkflowEvent[] = [],
  options: Partial<Omit<LocalWorkflowOptions, 'invokeFunction'>> = {},
): LocalWorkflow {
  const defaults: Record<TaskFunctionName, Stub> = {
    ResolveDatabases: () => ({
      scheduledTime: '2026-11-24T18:00:00.000Z',
      total: 1,
      preview: ['sales'],
      lanes: [0],
      laneIterations: 400,
      runKey: 'runkey',
      excluded: 0,
    }),
    // One database in the queue: the first claim gets it, every later one finds the queue drained.
    ClaimDatabase: (event) =>
      event.iteration === 0
        ? {
            done: false,
            index: 0,
            iteration: 0,
            entry: { database: 'sales', label: 'nightly_sales_x', executionName: 'sales_slot' },
          }
        : { done: true, index: null, iteration: event.iteration },
    AcquireSlot: () => ({ slot: 0, token: 1, leaseExpiresAt: 0 }),
    AcquireLock: () => ({ token: 1, leaseExpiresAt: 0 }),
    SettleOrphans: () => ({ settled: [], alerts: [] }),
    SubmitBackup: (event) => ({ label: event.label, phase: 'finished', nextWaitSeconds: 0 }),
    CheckBackup: () => ({ phase: 'finished' }),
    CancelBackup: (event) => ({
      ...(event.job as object),
      phase: 'cancelled',
      outcome: { state: 'TIMED_OUT', reason: 'deadline' },
    }),
    CancelIfOurs: () => ({ cancelled: false }),
    VerifySnapshot: () => ({ verified: true }),
    RecordResult: (event) => ({
      state: (event.outcome as { state?: string } | undefined)?.state ?? 'FINISHED',
      reason: null,
    }),
    ReleaseLeases: () => ({}),
    NotifyFailure: () => ({ posted: false }),
    SummarizeRun: () => ({ failures: 0 }),
    PlanDrill: () => ({
      sourceDatabase: 'sales',
      targetDatabase: 'drill_sales_202611250200',
      snapshot: { label: 'nightly_sales_x' },
      scheduledTime: '2026-11-25T02:00:00.000Z',
    }),
    PlanRestore: () => ({
      sourceDatabase: 'sales',
      targetDatabase: 'sales_restored',
      snapshot: { label: 'nightly_sales_x' },
      scheduledTime: '2026-11-25T09:00:00.000Z',
    }),
    SubmitRestore: () => ({ phase: 'running', nextWaitSeconds: 0 }),
    CheckRestore: () => ({ phase: 'finished', nextWaitSeconds: 0 }),
    NextRestoreStep: () => ({ step: 0, done: true, dropped: 0 }),
    CancelRestore: () => ({ cancelled: false, why: 'not-running' }),
    VerifyRestore: () => ({ passed: true, problem: null }),
    DropScratch: () => ({ dropped: true, why: 'dropped' }),
    RecordDrill: (event) => ({
      state: (event.outcome as { state?: string } | undefined)?.state ?? 'FINISHED',
      reason: null,
    }),
    NotifyDrill: () => ({ posted: false, skipped: 'passed' }),
    PruneSnapshots: () => ({ method: null, kept: 0, removed: 0, deferred: 0 }),
    NotifyPruneFailure: () => ({ posted: false }),
    CheckFreshness: () => ({ cluster: 'prod' }),
    NotifyIncidents: () => ({ cluster: 'prod', posted: [] }),
  };
  const all = { ...defaults, ...stubs };
  return new LocalWorkflow({
    invokeFunction: async (name, event) => all[name](event as Record<string, unknown>),
    waitOverrideMs: 0,
    retryOverrideMs: 0,
    onEvent: (event) => events.push(event),
    ...options,
  });
}

/**
 * ResolveDatabases and ClaimDatabase stubs for a queue of these entries: the plan in the state, then each claim
 * (of any lane) the next entry, until the queue is drained.
 */
export function queueStubs(
  entries: readonly { database: string; label: string; executionName: string }[],
  options: { lanes?: number } = {},
): Pick<Record<TaskFunctionName, Stub>, 'ResolveDatabases' | 'ClaimDatabase'> {
  let next = 0;
  return {
    ResolveDatabases: () => ({
      scheduledTime: '2026-11-24T18:00:00.000Z',
      total: entries.length,
      preview: entries.map((entry) => entry.database),
      lanes: Array.from({ length: Math.min(options.lanes ?? 1, entries.length) }, (_, lane) => lane),
      laneIterations: 400,
      runKey: 'runkey',
      excluded: 0,
    }),
    ClaimDatabase: (event) => {
      const entry = entries[next];
      next += 1;
      return entry === undefined
        ? { done: true, index: null, iteration: event.iteration }
        : { done: false, index: next - 1, iteration: event.iteration, entry };
    },
  };
}
