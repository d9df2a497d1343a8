import { describe, expect, it } from 'vitest';
import { buildSnapshotLabel, executionNameFor } from '#domain/starrocks/index.ts';
import type { TaskCall, WorkflowEvent } from '#local/runner/local-workflow.ts';
import type { StateMachineName, TaskFunctionName } from '#statemachines/definitions.ts';
import { queueStubs, type Stub, stubbedWorkflow } from '#test/support/stubbed-workflow.ts';

// The limits under test: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (256 KiB per
// state input, output and Task result) and, for the fact that States.ALL never catches States.DataLimitExceeded or
// States.Runtime, https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html

const SLOT = new Date('2026-11-24T18:00:00.000Z');
const OVER_LIMIT = 'x'.repeat(300 * 1024);

/** The Tasks each execution ran, in order, as the runner's hook sees them. */
function recorder() {
  const calls: TaskCall[] = [];
  return {
    calls,
    beforeTask: (call: TaskCall) => {
      calls.push(call);
    },
    ran: (machine: StateMachineName) =>
      calls.filter((call) => call.stateMachine === machine).map((call) => call.stateName),
  };
}

function entered(events: readonly WorkflowEvent[], machine: StateMachineName): string[] {
  return events
    .filter((e) => e.stateMachine === machine && e.event.type === 'StateEntered')
    .map((e) => (e.event as { state: { name: string } }).state.name);
}

/** The queue ResolveDatabases would write for `count` databases with names of a realistic length. */
function queueOf(count: number) {
  return Array.from({ length: count }, (_, index) => {
    const slot = {
      cluster: 'prod',
      schedule: 'nightly',
      database: `analytics_events_region_eu_${String(index).padStart(5, '0')}`,
      scheduledTime: SLOT,
    };
    return {
      database: slot.database,
      label: buildSnapshotLabel(slot),
      executionName: executionNameFor(slot),
    };
  });
}

const LEASE_INPUT = { cluster: {}, runId: 'r', database: 'sales', label: 'l' };

describe('nothing in the nightly state grows with the Map results', () => {
  it('runs 800 databases through 40 lanes to SummarizeRun, the parent state never above 32 KiB', async () => {
    // Prepare: the queue (about 160 KB of names and labels) lives in the catalog, not in the state.
    const events: WorkflowEvent[] = [];
    const queue = queueOf(800);
    const summarized: unknown[] = [];
    const run = stubbedWorkflow(
      {
        ...queueStubs(queue, { lanes: 40 }),
        SummarizeRun: (event) => {
          summarized.push(event);
          return { failures: 0 };
        },
      },
      events,
    );

    // Act
    const outcome = await run.execute('nightlyBackup', {
      cluster: { maxConcurrentBackups: 40 },
      schedule: { name: 'nightly' },
      scheduledTime: SLOT.toISOString(),
    });

    // Assess
    expect(outcome).toMatchObject({ status: 'SUCCEEDED' });
    expect(summarized).toHaveLength(1);
    expect(JSON.stringify(queue).length).toBeGreaterThan(150 * 1024);
    const largest = Math.max(
      ...events
        .filter((e) => e.stateMachine === 'nightlyBackup' && e.event.type === 'StateExited')
        .map((e) => JSON.stringify((e.event as { state: { output: unknown } }).state.output ?? null).length),
    );
    expect(largest).toBeLessThan(32 * 1024);
    expect(
      events.filter((e) => e.stateMachine === 'backupDatabase' && e.event.type === 'ExecutionStarted'),
    ).toHaveLength(800);
  }, 120_000);
});

describe('the local runner fails on the 256 KiB limit as Step Functions does', () => {
  it('never lets States.ALL catch States.DataLimitExceeded: a Task input over the limit fails the run uncaught', async () => {
    // Prepare: NotifyRunFailure's Parameters hold the cluster twice (itself and inside $$.Execution.Input), so its
    // input passes 256 KiB while the state itself does not.
    const tasks = recorder();
    const cluster = { maxConcurrentBackups: 2, include: [`x${'y'.repeat(140 * 1024)}`] };
    const run = stubbedWorkflow(
      {
        ResolveDatabases: () => {
          throw Object.assign(new Error('fe.internal:9030 refused the connection'), {
            name: 'StarRocksUnavailableError',
          });
        },
      },
      [],
      { beforeTask: tasks.beforeTask },
    );

    // Act
    const outcome = await run.execute('nightlyBackup', {
      cluster,
      schedule: { name: 'nightly' },
      scheduledTime: SLOT.toISOString(),
    });

    // Assess: AWS fails the execution with the limit error; the Catch (→ RunFailed with the FE error) never runs.
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(new Set(tasks.ran('nightlyBackup'))).toEqual(new Set(['ResolveDatabases']));
  });

  it('fails the Task whose raw result passes the limit, before any later Task runs', async () => {
    // Prepare
    const tasks = recorder();
    const events: WorkflowEvent[] = [];
    const run = stubbedWorkflow({ AcquireSlot: () => ({ slot: 0, token: 1, padding: OVER_LIMIT }) }, events, {
      beforeTask: tasks.beforeTask,
    });

    // Act
    const outcome = await run.execute('backupDatabase', LEASE_INPUT);

    // Assess: neither AcquireLock (Next) nor CancelIfOurs (its Catch) may act on StarRocks or the locks.
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(tasks.ran('backupDatabase')).toEqual(['AcquireSlot']);
    expect(entered(events, 'backupDatabase')).toEqual(['Init', 'PlannedProblem', 'AcquireSlot']);
  });

  it('lets the limit error pass through the Catch of a Map iteration and of the Map itself', async () => {
    // Prepare: an inherited lock whose orphan alert answers with more than 256 KiB.
    const tasks = recorder();
    const events: WorkflowEvent[] = [];
    const stubs: Partial<Record<TaskFunctionName, Stub>> = {
      AcquireLock: () => ({ token: 2, leaseExpiresAt: 0, takenOver: { holder: 'ended', token: 1 } }),
      SettleOrphans: () => ({ settled: [], alerts: [{ database: 'sales' }] }),
      NotifyFailure: () => ({ posted: true, padding: OVER_LIMIT }),
    };
    const run = stubbedWorkflow(stubs, events, { beforeTask: tasks.beforeTask });

    // Act
    const outcome = await run.execute('backupDatabase', LEASE_INPUT);

    // Assess: NotifyOrphanFailed (the iteration's Catch) and SubmitBackup (the Map's Catch and Next) never run.
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(tasks.ran('backupDatabase')).toEqual([
      'AcquireSlot',
      'AcquireLock',
      'SettleOrphans',
      'NotifyOrphan',
    ]);
    expect(entered(events, 'backupDatabase')).not.toContain('NotifyOrphanFailed');
  });
});
