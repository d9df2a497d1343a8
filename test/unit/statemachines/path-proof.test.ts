import { describe, expect, it } from 'vitest';
import { readDefinitionText } from '#statemachines/definitions.ts';
import {
  type AslScope,
  type AslState,
  checkObservation,
  evaluateRule,
  intrinsicPaths,
  lookup,
  type Observation,
  unprovenPaths,
} from '#test/support/path-proof.ts';

const CONTEXT: Observation['context'] = {
  Execution: { Id: 'arn:x', Name: 'x', StartTime: '2026-11-24T18:00:00.000Z', Input: {} },
  StateMachine: { Id: 'arn:m', Name: 'backupDatabase' },
};

const observe = (state: string, input: unknown): Observation => ({
  machine: 'backupDatabase',
  state,
  input,
  context: CONTEXT,
});

describe('the path proof (test/support/path-proof.ts) finds what would raise States.Runtime', () => {
  it('reads the JSONPath subset of the ASL files and refuses any other form', () => {
    expect(lookup('$.job.phase', { job: { phase: 'running' } }, {})).toEqual({
      found: true,
      value: 'running',
    });
    expect(lookup('$.job.phase', { job: null }, {})).toEqual({ found: false });
    expect(lookup('$$.Execution.Id', {}, CONTEXT)).toEqual({ found: true, value: 'arn:x' });
    expect(lookup('$.items[1]', { items: [1, 2] }, {})).toEqual({ found: true, value: 2 });
    expect(() => lookup('$..job', {}, {})).toThrow(/does not read/);
  });

  it('finds the path arguments of an intrinsic function, never inside its quoted strings', () => {
    expect(intrinsicPaths("States.Format('{}-$.not', $.item.executionName, $.attempt)")).toEqual({
      name: 'States.Format',
      paths: ['$.item.executionName', '$.attempt'],
    });
  });

  it('evaluates Choice rules as Step Functions does: a missing Variable fails, an IsPresent guard before it does not', () => {
    const guarded = {
      And: [
        { Variable: '$.record.state', IsPresent: true },
        { Variable: '$.record.state', StringEquals: 'TIMED_OUT' },
      ],
    };
    expect(evaluateRule(guarded, {}, {})).toBe(false);
    expect(() => evaluateRule({ Variable: '$.record.state', StringEquals: 'TIMED_OUT' }, {}, {})).toThrow(
      /does not point to a value/,
    );
    expect(evaluateRule({ Not: { Variable: '$.x', IsNull: true } }, { x: 1 }, {})).toBe(true);
    expect(evaluateRule({ Variable: '$.n', NumericLessThanEquals: 20 }, { n: 'twenty' }, {})).toBe(false);
  });

  it('reports a Parameters path, a SecondsPath and an ErrorPath that do not resolve to what their field needs', () => {
    const pass: AslState = { Type: 'Pass', Parameters: { 'label.$': '$.job.label' }, Next: 'x' };
    const wait: AslState = { Type: 'Wait', SecondsPath: '$.job.nextWaitSeconds', Next: 'x' };
    const fail: AslState = { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' };

    expect(checkObservation('Finished', pass, observe('Finished', { job: {} }), [])).toEqual([
      "backupDatabase.Finished Parameters: Parameters label.$: '$.job.label' does not point to a value",
    ]);
    expect(checkObservation('Wait', wait, observe('Wait', { job: { nextWaitSeconds: 1.5 } }), [])).toEqual([
      'backupDatabase.Wait SecondsPath: $.job.nextWaitSeconds is 1.5, not whole seconds ≥ 0',
    ]);
    expect(
      checkObservation(
        'Failed',
        fail,
        observe('Failed', { error: { Error: 'E', Cause: { nested: true } } }),
        [],
      ),
    ).toEqual(['backupDatabase.Failed CausePath: $.error.Cause is {"nested":true}, not a string']);
  });

  it('reports a ResultSelector that a child output of the real shape cannot satisfy', () => {
    const start: AslState = {
      Type: 'Task',
      ResultSelector: { 'database.$': '$.Output.database', 'state.$': '$.Output.state' },
      End: true,
    };
    expect(
      checkObservation('StartBackup', start, observe('StartBackup', {}), [{ state: 'SKIPPED' }]),
    ).toEqual([
      "backupDatabase.StartBackup ResultSelector: ResultSelector database.$: '$.Output.database' does not point to a value",
    ]);
  });

  it('statically finds a path whose first field one way into the state does not carry', () => {
    // Prepare: BackupDatabase, with Skipped reading $.verification, which only the way through VerifySnapshot sets.
    const definition = JSON.parse(readDefinitionText('backupDatabase')) as {
      States: Record<string, Record<string, unknown>>;
    };
    definition.States.Skipped = {
      ...definition.States.Skipped,
      Parameters: { 'database.$': '$.database', 'snapshot.$': '$.verification.timestamp', state: 'SKIPPED' },
    };
    const inputFields = new Set(['runId', 'cluster', 'schedule', 'scheduledTime', 'database', 'label']);

    // Act
    const unproven = unprovenPaths('backupDatabase', definition as unknown as AslScope, inputFields);

    // Assess
    expect(unproven).toEqual([
      {
        machine: 'backupDatabase',
        state: 'Skipped',
        field: 'Parameters snapshot.$',
        path: '$.verification.timestamp',
      },
    ]);
  });

  it('proves the real BackupDatabase definition statically from its execution input', () => {
    const definition = JSON.parse(readDefinitionText('backupDatabase')) as AslScope;
    const inputFields = new Set(['runId', 'cluster', 'schedule', 'scheduledTime', 'database', 'label']);
    expect(unprovenPaths('backupDatabase', definition, inputFields)).toEqual([]);
    expect(
      unprovenPaths('backupDatabase', definition, new Set(['cluster'])).map((path) => path.path),
    ).toContain('$.database');
  });
});
