import { describe, expect, it } from 'vitest';
import { LocalWorkflow, type WorkflowEvent } from '../../../local/runner/local-workflow.ts';
import type { TaskFunctionName } from '../../../statemachines/definitions.ts';

type Stub = (event: Record<string, unknown>) => unknown;

/** The nightly machine with every Lambda answered by a stub: what is under test is the runner's AWS fidelity. */
function workflow(stubs: Partial<Record<TaskFunctionName, Stub>>, events: WorkflowEvent[] = []) {
  const defaults: Record<TaskFunctionName, Stub> = {
    ResolveDatabases: () => ({
      scheduledTime: '2026-11-24T18:00:00.000Z',
      databases: [{ database: 'sales', label: 'nightly_sales_x', executionName: 'sales_slot' }],
      skippedEmpty: 0,
      excluded: 0,
    }),
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
    SubmitRestore: () => ({ phase: 'running', nextWaitSeconds: 0 }),
    CheckRestore: () => ({ phase: 'finished', nextWaitSeconds: 0 }),
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
  });
}

const INPUT = {
  cluster: { maxConcurrentBackups: 2 },
  schedule: { name: 'nightly' },
  scheduledTime: '2026-11-24T18:00:00Z',
};

function exitedOutput(events: WorkflowEvent[], stateName: string): unknown {
  const exited = events.find(
    (e) =>
      e.event.type === 'StateExited' && (e.event as { state: { name: string } }).state.name === stateName,
  );
  return (exited?.event as { state: { output: unknown } } | undefined)?.state.output;
}

describe('the local runner behaves as Step Functions does', () => {
  it("gives a Catch the Lambda error's name and AWS's JSON Cause (errorType, errorMessage, trace)", async () => {
    // Prepare
    const events: WorkflowEvent[] = [];
    const failing = Object.assign(new Error('fe.internal:9030 refused the connection'), {
      name: 'StarRocksUnavailableError',
    });
    const run = workflow({ SubmitBackup: () => Promise.reject(failing) }, events);

    // Act
    await run.execute('backupDatabase', {
      cluster: {},
      runId: 'r',
      database: 'sales',
      label: 'l',
    });

    // Assess
    const caught = exitedOutput(events, 'CancelIfOurs') as { error: { Error: string; Cause: string } };
    expect(caught.error.Error).toBe('StarRocksUnavailableError');
    const cause = JSON.parse(caught.error.Cause) as {
      errorType: string;
      errorMessage: string;
      trace: string[];
    };
    expect(cause.errorType).toBe('StarRocksUnavailableError');
    expect(cause.errorMessage).toBe('fe.internal:9030 refused the connection');
    expect(Array.isArray(cause.trace)).toBe(true);
  });

  it('returns the .sync:2 shape for a child (Output as JSON, status and dates) and keeps three fields per Map item', async () => {
    // Prepare
    const events: WorkflowEvent[] = [];

    // Act
    const outcome = await workflow({}, events).execute('nightlyBackup', INPUT);

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    const results = (exitedOutput(events, 'BackupEach') as { results: unknown[] }).results;
    expect(results).toEqual([{ database: 'sales', label: 'nightly_sales_x', state: 'FINISHED' }]);
    const child = events.find((e) => e.stateMachine === 'backupDatabase');
    expect(child?.executionName).toBe('sales_slot-1');
  });

  it('raises States.TaskFailed with the child execution as JSON Cause when a child fails, and the Map goes on', async () => {
    // Prepare
    const events: WorkflowEvent[] = [];
    const run = workflow(
      {
        ResolveDatabases: () => ({
          scheduledTime: '2026-11-24T18:00:00.000Z',
          databases: [
            { database: 'a', label: 'la', executionName: 'a_slot' },
            { database: 'b', label: 'lb', executionName: 'b_slot' },
          ],
          skippedEmpty: 0,
          excluded: 0,
        }),
        VerifySnapshot: (event) => {
          if (event.database === 'b')
            throw Object.assign(new Error('snapshot missing'), { name: 'BackupFailedError' });
          return { verified: true };
        },
      },
      events,
    );

    // Act
    await run.execute('nightlyBackup', INPUT);

    // Assess
    const failed = events.find(
      (e) =>
        e.event.type === 'StateCaught' &&
        (e.event as { state: { name: string } }).state.name === 'StartBackup',
    );
    expect(failed).toBeDefined();
    const childFailed = events.filter(
      (e) =>
        e.event.type === 'StateExited' &&
        (e.event as { state: { name: string } }).state.name === 'ChildFailed',
    );
    type CaughtInput = { state: { input: { error: { Error: string; Cause: string } } } };
    const input = (childFailed[0]?.event as unknown as CaughtInput | undefined)?.state.input;
    if (!input) throw new Error('ChildFailed was never reached');
    expect(input.error.Error).toBe('States.TaskFailed');
    const describe = JSON.parse(input.error.Cause) as { Status: string; Error: string; Name: string };
    expect(describe).toMatchObject({ Status: 'FAILED', Error: 'BackupFailedError', Name: 'b_slot-1' });
    const results = (exitedOutput(events, 'BackupEach') as { results: { state: string }[] }).results;
    expect(results.map((r) => r.state)).toEqual(['FINISHED', 'FAILED']);
  });

  it('refuses an execution name over 80 characters as StartExecution would', async () => {
    // Act
    const attempt = workflow({}).execute('backupDatabase', {}, 'x'.repeat(81));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'StepFunctions.InvalidNameException' });
  });

  it('refuses a reused closed name with ExecutionAlreadyExists, which the nightly machine answers with the next attempt', async () => {
    // Prepare
    const events: WorkflowEvent[] = [];
    const run = workflow(
      {
        ResolveDatabases: () => ({
          scheduledTime: '2026-11-24T18:00:00.000Z',
          databases: [{ database: 'sales', label: 'nightly_sales_x', executionName: 'reused_slot' }],
          skippedEmpty: 0,
          excluded: 0,
        }),
      },
      events,
    );
    await run.execute('nightlyBackup', INPUT, 'first-run');

    // Act
    const again = await run.execute('nightlyBackup', INPUT, 'second-run');

    // Assess
    expect(again.status).toBe('SUCCEEDED');
    const names = events
      .filter((e) => e.stateMachine === 'backupDatabase' && e.event.type === 'ExecutionStarted')
      .map((e) => e.executionName);
    expect(names).toEqual(['reused_slot-1', 'reused_slot-2']);
    await expect(run.execute('nightlyBackup', INPUT, 'first-run')).rejects.toMatchObject({
      name: 'StepFunctions.ExecutionAlreadyExistsException',
    });
  });

  it('fails the execution with States.DataLimitExceeded when a state outgrows 256 KB', async () => {
    // Prepare
    const run = workflow({ VerifySnapshot: () => ({ verified: true, padding: 'x'.repeat(300 * 1024) }) });

    // Act
    const outcome = await run.execute('backupDatabase', {
      cluster: {},
      runId: 'r',
      database: 'sales',
      label: 'l',
    });

    // Assess
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  it('gives the context object the execution name and id, as AWS does', async () => {
    // Prepare
    const events: WorkflowEvent[] = [];

    // Act
    await workflow({}, events).execute(
      'backupDatabase',
      { cluster: {}, runId: 'r', database: 'sales', label: 'l' },
      'ctx-check',
    );

    // Assess
    const init = exitedOutput(events, 'Init') as { execution: { id: string; name: string } };
    expect(init.execution.name).toBe('ctx-check');
    expect(init.execution.id).toMatch(
      /^arn:aws:states:local-\d+:000000000000:execution:backupDatabase:ctx-check$/,
    );
  });
});
