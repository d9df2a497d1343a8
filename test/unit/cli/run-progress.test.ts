import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createColors } from '#local/cli/format/color.ts';
import { attachLineProgress } from '#local/cli/progress/line-progress.ts';
import { describeJob, type ProgressChange, RunProgress } from '#local/cli/progress/run-progress.ts';
import type { WorkflowEvent } from '#local/runner/local-workflow.ts';

const PARENT = 'arn:aws:states:local-1:000000000000:execution:nightlyBackup:run';
const childArn = (database: string): string =>
  `arn:aws:states:local-1:000000000000:execution:backupDatabase:${database}_a1`;

function parent(event: Record<string, unknown>): WorkflowEvent {
  return {
    executionArn: PARENT,
    executionName: 'run',
    stateMachine: 'nightlyBackup',
    event,
  } as unknown as WorkflowEvent;
}

function child(database: string, event: Record<string, unknown>): WorkflowEvent {
  return {
    executionArn: childArn(database),
    executionName: `${database}_a1`,
    stateMachine: 'backupDatabase',
    event,
  } as unknown as WorkflowEvent;
}

const state = (name: string, output?: unknown) => ({ name, type: 'Task', input: {}, output });

/** The events of a run that planned sales and crm; sales finishes, crm is cancelled by StarRocks. */
function runEvents(): WorkflowEvent[] {
  return [
    parent({ type: 'ExecutionStarted', timestamp: 1000, input: {} }),
    parent({
      type: 'StateExited',
      timestamp: 1500,
      state: state('ResolveDatabases', {
        plan: {
          scheduledTime: '2026-11-24T18:00:00.000Z',
          total: 2,
          preview: ['sales', 'crm'],
          excluded: 2,
        },
      }),
    }),
    child('sales', {
      type: 'ExecutionStarted',
      timestamp: 2000,
      input: { database: 'sales', label: 'l_sales' },
    }),
    child('sales', { type: 'StateEntered', timestamp: 2001, state: state('AcquireSlot') }),
    child('sales', {
      type: 'StateExited',
      timestamp: 2100,
      state: state('SubmitBackup', {
        job: {
          label: 'l_sales',
          origin: 'submitted',
          phase: 'running',
          starRocksState: null,
          progress: null,
          nextWaitSeconds: 1,
        },
      }),
    }),
    child('sales', {
      type: 'StateExited',
      timestamp: 3100,
      state: state('CheckBackup', {
        job: {
          label: 'l_sales',
          origin: 'submitted',
          phase: 'running',
          starRocksState: 'UPLOADING',
          progress: { done: 3, total: 7 },
          nextWaitSeconds: 2,
        },
      }),
    }),
    child('crm', { type: 'ExecutionStarted', timestamp: 2000, input: { database: 'crm' } }),
    child('crm', {
      type: 'StateExited',
      timestamp: 3000,
      state: state('RecordFailure', { record: { state: 'FAILED', reason: '[COMMON_ERROR, msg: boom]' } }),
    }),
    child('crm', { type: 'ExecutionFailed', timestamp: 3200, Error: 'BackupFailedError', Cause: 'x' }),
    child('sales', {
      type: 'ExecutionSucceeded',
      timestamp: 5000,
      output: { record: { state: 'FINISHED', reason: null } },
    }),
  ];
}

describe('RunProgress', () => {
  it('follows each database from the plan to its outcome', () => {
    // Prepare
    const progress = new RunProgress();
    const changes: ProgressChange[] = [];
    progress.onChange((change) => changes.push(change));

    // Act
    for (const event of runEvents()) progress.apply(event);

    // Assess
    expect(progress.plan).toEqual({
      scheduledTime: '2026-11-24T18:00:00.000Z',
      databases: ['sales', 'crm'],
      total: 2,
      excluded: 2,
    });
    expect(progress.database('sales')).toEqual(
      expect.objectContaining({
        phase: 'done',
        outcome: 'FINISHED',
        startedAtMs: 2000,
        endedAtMs: 5000,
        reason: null,
      }),
    );
    expect(progress.database('crm')).toEqual(
      expect.objectContaining({ phase: 'done', outcome: 'FAILED', reason: '[COMMON_ERROR, msg: boom]' }),
    );
    const salesDetails = changes.flatMap((change) =>
      change.kind === 'database' && change.progress.database === 'sales' ? [change.progress.detail] : [],
    );
    expect(salesDetails).toEqual([
      'waiting for a backup slot',
      'PENDING, next check in 1 s',
      'UPLOADING 3/7 tasks, next check in 2 s',
      'FINISHED',
    ]);
  });

  it('reads a timed-out child as TIMED_OUT even without its record', () => {
    // Prepare
    const progress = new RunProgress();

    // Act
    progress.apply(child('big', { type: 'ExecutionStarted', timestamp: 1, input: { database: 'big' } }));
    progress.apply(
      child('big', { type: 'ExecutionFailed', timestamp: 2, Error: 'BackupTimedOutError', Cause: '' }),
    );

    // Assess
    expect(progress.database('big')?.outcome).toBe('TIMED_OUT');
  });

  it('ignores events of executions it never saw start', () => {
    // Prepare
    const progress = new RunProgress();

    // Act
    progress.apply(child('ghost', { type: 'StateEntered', timestamp: 1, state: state('SubmitBackup') }));

    // Assess
    expect(progress.databases()).toEqual([]);
  });

  it('writes plain timestamped lines, without repeating an unchanged state', () => {
    // Prepare
    const progress = new RunProgress();
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    attachLineProgress(progress, out, createColors(false));

    // Act
    for (const event of runEvents()) progress.apply(event);
    progress.apply(child('sales', { type: 'StateEntered', timestamp: 6000, state: state('AcquireSlot') }));

    // Assess
    expect(text.split('\n').filter(Boolean)).toEqual([
      '1970-01-01T00:00:01Z  resolving databases',
      '1970-01-01T00:00:01Z  2 databases to back up (2 excluded): sales, crm',
      '1970-01-01T00:00:02Z  sales  waiting for a backup slot',
      '1970-01-01T00:00:02Z  sales  PENDING, next check in 1 s',
      '1970-01-01T00:00:03Z  sales  UPLOADING 3/7 tasks, next check in 2 s',
      '1970-01-01T00:00:03Z  crm    FAILED: [COMMON_ERROR, msg: boom] after 1 s',
      '1970-01-01T00:00:05Z  sales  FINISHED after 3 s',
    ]);
  });
});

describe('describeJob', () => {
  it('names an adopted job or snapshot', () => {
    // Assess
    expect(describeJob({ origin: 'adopted-snapshot', phase: 'finished' })).toBe(
      'this slot already has its snapshot: adopting it',
    );
    expect(
      describeJob({
        origin: 'adopted-job',
        starRocksState: 'UPLOADING',
        phase: 'running',
        nextWaitSeconds: 30,
      }),
    ).toBe('UPLOADING (adopted the running job of this slot), next check in 30 s');
  });
});
