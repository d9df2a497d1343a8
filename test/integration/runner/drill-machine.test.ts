import { describe, expect, it } from 'vitest';
import { LocalWorkflow, type WorkflowEvent } from '#local/runner/local-workflow.ts';
import type { TaskFunctionName } from '#statemachines/definitions.ts';

type Stub = (event: Record<string, unknown>) => unknown;

function typedError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/**
 * The RestoreDrill machine with every Lambda answered by a stub that echoes the drill's decisions: what is under
 * test is the definition's routing (every path cleans up, records, and ends with the right error name).
 */
function drillWorkflow(stubs: Partial<Record<TaskFunctionName, Stub>>, events: WorkflowEvent[]) {
  const defaults: Partial<Record<TaskFunctionName, Stub>> = {
    PlanDrill: () => ({
      cluster: 'prod',
      sourceDatabase: 'sales',
      targetDatabase: 'drill_sales_202611290300',
      snapshot: { label: 'nightly_sales_x' },
      scheduledTime: '2026-11-29T03:00:00.000Z',
      historySeconds: [],
    }),
    AcquireSlot: () => ({ slot: 0, token: 1, leaseExpiresAt: 0 }),
    AcquireLock: () => ({ token: 1, leaseExpiresAt: 0 }),
    SubmitRestore: () => ({ phase: 'running', nextWaitSeconds: 0 }),
    CheckRestore: () => ({ phase: 'finished', nextWaitSeconds: 0 }),
    VerifyRestore: () => ({ passed: true, problem: null }),
    CancelRestore: () => ({ cancelled: false, why: 'not-running' }),
    DropScratch: () => ({ dropped: true, why: 'dropped' }),
    RecordDrill: (event) => {
      const outcome = event.outcome as { state: string; reason?: string } | undefined;
      if (outcome) return { state: outcome.state, reason: outcome.reason ?? null };
      return event.error ? { state: 'FAILED', reason: 'error' } : { state: 'FINISHED', reason: null };
    },
    NotifyDrill: () => ({ posted: false, skipped: 'passed' }),
    ReleaseLeases: () => ({ lockReleased: true, slotReleased: true }),
  };
  const all = { ...defaults, ...stubs };
  return new LocalWorkflow({
    invokeFunction: async (name, event) => {
      const stub = all[name];
      if (!stub) throw new Error(`the drill machine called ${name}`);
      return stub(event as Record<string, unknown>);
    },
    waitOverrideMs: 0,
    retryOverrideMs: 0,
    onEvent: (event) => events.push(event),
  });
}

const INPUT = { cluster: { name: 'prod' }, scheduledTime: '2026-11-29T03:00:00Z' };

function visitedTasks(events: WorkflowEvent[]): string[] {
  return events
    .filter((e) => e.event.type === 'StateEntered')
    .map((e) => (e.event as { state: { name: string } }).state.name)
    .filter((name) =>
      [
        'PlanDrill',
        'AcquireSlot',
        'AcquireLock',
        'SubmitRestore',
        'CheckRestore',
        'VerifyRestore',
        'CancelRestoreAtDeadline',
        'CancelRestoreIfOurs',
        'DropScratch',
        'RecordDrill',
        'NotifyDrill',
        'ReleaseLeases',
      ].includes(name),
    );
}

describe('the RestoreDrill definition in the local runner', () => {
  it('restores, checks, drops, records, releases and succeeds, locking the scratch database with the snapshot label', async () => {
    // Prepare
    const events: WorkflowEvent[] = [];
    let lockRequest: Record<string, unknown> | undefined;
    const run = drillWorkflow(
      {
        AcquireLock: (event) => {
          lockRequest = event;
          return { token: 1, leaseExpiresAt: 0 };
        },
      },
      events,
    );

    // Act
    const outcome = await run.execute('restoreDrill', INPUT, 'drill-ok');

    // Assess
    expect(outcome).toMatchObject({
      status: 'SUCCEEDED',
      output: { state: 'FINISHED', scratchDatabase: 'drill_sales_202611290300' },
    });
    expect(visitedTasks(events)).toEqual([
      'PlanDrill',
      'AcquireSlot',
      'AcquireLock',
      'SubmitRestore',
      'CheckRestore',
      'VerifyRestore',
      'DropScratch',
      'RecordDrill',
      'NotifyDrill',
      'ReleaseLeases',
    ]);
    expect(lockRequest).toMatchObject({
      database: 'drill_sales_202611290300',
      label: 'nightly_sales_x',
      schedule: 'drill',
      runId: expect.stringMatching(/:execution:restoreDrill:drill-ok$/),
    });
  });

  it('records and alerts a drill whose plan failed, releases nothing and fails with RestoreFailedError', async () => {
    // Prepare
    const events: WorkflowEvent[] = [];
    const run = drillWorkflow(
      { PlanDrill: () => Promise.reject(typedError('SnapshotNotFoundError', 'no verified snapshot')) },
      events,
    );

    // Act
    const outcome = await run.execute('restoreDrill', INPUT);

    // Assess
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'RestoreFailedError' });
    expect(visitedTasks(events)).toEqual([
      'PlanDrill',
      'CancelRestoreIfOurs',
      'DropScratch',
      'RecordDrill',
      'NotifyDrill',
    ]);
  });

  it('cancels at the deadline, still drops and records, and fails with RestoreTimedOutError', async () => {
    // Prepare
    const events: WorkflowEvent[] = [];
    const run = drillWorkflow({ CheckRestore: () => ({ phase: 'deadline', nextWaitSeconds: 0 }) }, events);

    // Act
    const outcome = await run.execute('restoreDrill', INPUT);

    // Assess
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'RestoreTimedOutError' });
    expect(visitedTasks(events).slice(-6)).toEqual([
      'CheckRestore',
      'CancelRestoreAtDeadline',
      'DropScratch',
      'RecordDrill',
      'NotifyDrill',
      'ReleaseLeases',
    ]);
  });

  it('fails with RestoreCheckFailedError when the restored database fails the check', async () => {
    // Prepare
    const events: WorkflowEvent[] = [];
    const run = drillWorkflow(
      { VerifyRestore: () => ({ passed: false, problem: 'the restored database holds no tables' }) },
      events,
    );

    // Act
    const outcome = await run.execute('restoreDrill', INPUT);

    // Assess
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'RestoreCheckFailedError' });
    expect(visitedTasks(events)).toContain('DropScratch');
  });

  it('skips the drill after the bounded wait for a held scratch lock, frees its slot and succeeds', async () => {
    // Prepare
    const events: WorkflowEvent[] = [];
    const run = drillWorkflow(
      { AcquireLock: () => Promise.reject(typedError('LockHeldError', 'lock-held by other')) },
      events,
    );

    // Act
    const outcome = await run.execute('restoreDrill', INPUT);

    // Assess
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { state: 'SKIPPED' } });
    const retried = events.filter(
      (e) =>
        e.event.type === 'StateRetried' &&
        (e.event as { state: { name: string } }).state.name === 'AcquireLock',
    );
    expect(retried).toHaveLength(6);
    expect(visitedTasks(events).slice(-5)).toEqual([
      'AcquireLock',
      'DropScratch',
      'RecordDrill',
      'NotifyDrill',
      'ReleaseLeases',
    ]);
  });
});
