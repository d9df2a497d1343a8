import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPollingBench } from '#bench/polling/polling-bench.ts';
import { checkGoals } from '#bench/report/goals.ts';
import { renderBenchmarksDoc, renderConsole } from '#bench/report/render.ts';
import { type BenchResults, RESULTS_SCHEMA_VERSION } from '#bench/report/results.ts';
import { HISTORY_EVENTS } from '#bench/support/aws-history.ts';
import { type BenchTables, startBenchTables } from '#bench/support/local-tables.ts';
import { describeMachine } from '#bench/support/machine.ts';

describe('polling benchmark (smoke size: a 1 h job, two policies, one wrong history, one stall)', () => {
  let tables: BenchTables;
  let result: Awaited<ReturnType<typeof runPollingBench>>;

  beforeAll(async () => {
    tables = await startBenchTables();
    result = await runPollingBench(tables, {
      sizes: {
        durationsSeconds: [3600],
        policies: ['adaptive-history', 'fixed-60'],
        sweepErrors: [0.1],
        sweepPolicies: ['adaptive-history'],
        stallDurationsSeconds: [3600],
        stallPolicies: ['adaptive-progress'],
      },
    });
  }, 60_000);

  afterAll(async () => {
    await tables?.close();
  });

  it('backs every job up through the real workflow to FINISHED', () => {
    // Prepare
    const all = [...result.grid, ...result.sweep.measurements, ...result.stall.measurements];

    // Assess
    expect(all).toHaveLength(4);
    for (const m of all) {
      expect(m.status).toBe('SUCCEEDED');
      expect(m.outcome).toBe('FINISHED');
    }
  });

  it('needs fewer state transitions with catalog history than fixed 60 s for a 1 h job', () => {
    // Prepare
    const adaptive = result.grid.find((m) => m.policy === 'adaptive-history');
    const fixed = result.grid.find((m) => m.policy === 'fixed-60');

    // Assess
    expect(adaptive && fixed).toBeTruthy();
    expect(adaptive?.stateTransitions).toBeLessThan(fixed?.stateTransitions ?? 0);
    expect(adaptive?.polls).toBeLessThan(fixed?.polls ?? 0);
  });

  it('never sees the end before it happens, and the worst-case lag bounds the measured one', () => {
    for (const m of [...result.grid, ...result.sweep.measurements, ...result.stall.measurements]) {
      expect(m.detectionLagSeconds).toBeGreaterThanOrEqual(0);
      expect(m.worstCaseLagSeconds).toBeGreaterThanOrEqual(m.detectionLagSeconds);
      expect(m.worstCaseLagSeconds).toBeLessThanOrEqual(m.longestWaitSeconds);
    }
    const fixed = result.grid.find((m) => m.policy === 'fixed-60');
    expect(fixed?.worstCaseLagSeconds).toBe(60);
  });

  it('counts history events per state as AWS records them, from the states the execution entered', () => {
    for (const m of result.grid) {
      // Prepare
      const entered = (name: string) => m.entered[name] ?? 0;
      const lambdaTasks =
        entered('AcquireSlot') +
        entered('AcquireLock') +
        entered('SubmitBackup') +
        entered('CheckBackup') +
        entered('VerifySnapshot') +
        entered('RecordSuccess') +
        entered('ReleaseAfterSuccess');
      const expected =
        HISTORY_EVENTS.execution +
        HISTORY_EVENTS.lambdaTask * lambdaTasks +
        HISTORY_EVENTS.wait * entered('WaitForBackup') +
        HISTORY_EVENTS.choice *
          (entered('PlannedProblem') +
            entered('RouteJob') +
            entered('InheritedWork') +
            entered('HasNotices')) +
        HISTORY_EVENTS.pass * (entered('Init') + entered('Finished'));

      // Assess
      expect(m.historyEvents).toBe(expected);
      expect(m.lambdaInvocations).toBe(lambdaTasks);
      expect(entered('CheckBackup')).toBe(m.polls);
      expect(m.costPer1000BackupsUsd).toBeCloseTo(m.stateTransitions * 0.025, 10);
    }
  });

  it('polls a fixed interval exactly as the pure model predicts, and records the model beside every cell', () => {
    // Prepare
    const fixed = result.grid.find((m) => m.policy === 'fixed-60');

    // Assess
    expect(fixed?.model).toEqual({ polls: fixed?.polls, worstCaseLagSeconds: 60 });
    for (const m of result.grid) expect(m.model.polls).toBeGreaterThan(0);
  });

  it('lets a stalled job run late without losing track of it', () => {
    // Prepare
    const [stalled] = result.stall.measurements;

    // Assess
    expect(stalled?.stall).toEqual({ atFraction: result.stall.atFraction, seconds: 1800 });
    expect(stalled?.polls).toBeGreaterThan(0);
    expect(stalled?.detectionLagSeconds).toBeGreaterThanOrEqual(0);
  });

  it('renders the tables and the goals from the measured numbers, baselines included', () => {
    // Prepare
    const machine = describeMachine();
    const results: BenchResults = {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      command: 'smoke',
      polling: { measuredAt: machine.date, machine, quick: true, data: result },
    };

    // Act
    const goals = checkGoals(results);
    const doc = renderBenchmarksDoc(results, goals);
    const text = renderConsole(results, goals);

    // Assess
    expect(goals.length).toBeGreaterThan(0);
    expect(doc).toContain('## §1 Polling cost and detection lag');
    expect(doc).toContain('fixed 60 s');
    expect(doc).toContain(String(result.grid[0]?.stateTransitions));
    expect(text).toContain('fewer than fixed 60 s');
  });
});
