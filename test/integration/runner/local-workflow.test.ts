import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '#local/runner/local-workflow.ts';
import type { TaskFunctionName } from '#statemachines/definitions.ts';
import { queueStubs, type Stub, stubbedWorkflow } from '#test/support/stubbed-workflow.ts';

const workflow = (stubs: Partial<Record<TaskFunctionName, Stub>>, events: WorkflowEvent[] = []) =>
  stubbedWorkflow(stubs, events);

const INPUT = {
  cluster: { maxConcurrentBackups: 2 },
  schedule: { name: 'nightly' },
  scheduledTime: '2026-11-24T18:00:00Z',
};

/** What each Map iteration returned, in item order (the Map itself keeps none of it: ResultPath null). */
function iterationOutputs(events: WorkflowEvent[], mapState: string): unknown[] {
  return events
    .filter(
      (e) =>
        e.event.type === 'MapIterationSucceeded' &&
        (e.event as { parentState: { name: string } }).parentState.name === mapState,
    )
    .sort((a, b) => (a.event as { index: number }).index - (b.event as { index: number }).index)
    .map((e) => (e.event as { output: unknown }).output);
}

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

  it('returns the .sync:2 shape for a child (Output as JSON) through a lane, and the Map keeps nothing', async () => {
    // Prepare
    const events: WorkflowEvent[] = [];

    // Act
    const outcome = await workflow({}, events).execute('nightlyBackup', INPUT);

    // Assess: the lane's own output reached the parent through `.Output`, and the database's child ran.
    expect(outcome.status).toBe('SUCCEEDED');
    expect(iterationOutputs(events, 'BackupEach')).toEqual([
      expect.objectContaining({ lane: 0, generation: 0, result: { more: false, iteration: 1 } }),
    ]);
    expect(exitedOutput(events, 'BackupEach')).not.toHaveProperty('results');
    const names = (machine: string) =>
      events
        .filter((e) => e.stateMachine === machine && e.event.type === 'ExecutionStarted')
        .map((e) => e.executionName);
    expect(names('backupLane')).toEqual(['runkey-l0-g0']);
    expect(names('backupDatabase')).toEqual(['sales_slot-1']);
  });

  it('raises States.TaskFailed with the child execution as JSON Cause when a child fails, and the lane goes on', async () => {
    // Prepare
    const events: WorkflowEvent[] = [];
    const run = workflow(
      {
        ...queueStubs([
          { database: 'a', label: 'la', executionName: 'a_slot' },
          { database: 'b', label: 'lb', executionName: 'b_slot' },
        ]),
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
    type CaughtInput = { state: { input: { error?: { Error: string; Cause: string } } } };
    const caught = events
      .filter(
        (e) =>
          e.event.type === 'StateEntered' &&
          (e.event as { state: { name: string } }).state.name === 'NextClaim',
      )
      .map((e) => (e.event as unknown as CaughtInput).state.input.error)
      .filter((error) => error !== undefined);
    expect(caught.map((error) => error?.Error)).toEqual(['States.TaskFailed']);
    const describe = JSON.parse(caught[0]?.Cause ?? '{}') as { Status: string; Error: string; Name: string };
    expect(describe).toMatchObject({ Status: 'FAILED', Error: 'BackupFailedError', Name: 'b_slot-1' });
    const children = events.filter(
      (e) =>
        e.stateMachine === 'backupDatabase' &&
        e.event.type.startsWith('Execution') &&
        e.event.type !== 'ExecutionStarted',
    );
    expect(children.map((e) => [e.executionName, e.event.type])).toEqual([
      ['a_slot-1', 'ExecutionSucceeded'],
      ['b_slot-1', 'ExecutionFailed'],
    ]);
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
    const entry = { database: 'sales', label: 'nightly_sales_x', executionName: 'reused_slot' };
    let queue = queueStubs([entry]);
    const run = workflow(
      {
        ResolveDatabases: (event) => {
          queue = queueStubs([entry]);
          return queue.ResolveDatabases(event);
        },
        ClaimDatabase: (event) => queue.ClaimDatabase(event),
      },
      events,
    );
    await run.execute('nightlyBackup', INPUT, 'first-run');

    // Act
    const again = await run.execute('nightlyBackup', INPUT, 'second-run');

    // Assess
    expect(again.status).toBe('SUCCEEDED');
    const names = (machine: string) =>
      events
        .filter((e) => e.stateMachine === machine && e.event.type === 'ExecutionStarted')
        .map((e) => e.executionName);
    expect(names('backupDatabase')).toEqual(['reused_slot-1', 'reused_slot-2']);
    // The second run's lane name (the same run key here) was taken too: it went on as the next generation.
    const lanes = names('backupLane');
    expect(new Set(lanes).size).toBe(lanes.length);
    const generation = (name: string | undefined) => Number(name?.split('-g')[1]);
    expect(generation(lanes[1])).toBe(generation(lanes[0]) + 1);
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
