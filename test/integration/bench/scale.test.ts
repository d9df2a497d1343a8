import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYLOAD_LIMIT_BYTES } from '#bench/report/goals.ts';
import { runLockBench } from '#bench/scale/lock-contention.ts';
import { runNightlyScale } from '#bench/scale/nightly-run.ts';
import { prepareBaseline, simulateSync } from '#bench/scale/schedule-scale.ts';
import { runSynthScale, scaledConfig } from '#bench/scale/synth.ts';
import { type BenchTables, startBenchTables } from '#bench/support/local-tables.ts';

describe('nightly run at scale (smoke size: 2 clusters × 5 databases, 2 at once)', () => {
  it('backs up every database without ever running more jobs on one FE than its cap', async () => {
    // Act
    const result = await runNightlyScale({ clusters: 2, databasesPerCluster: 5, maxConcurrentBackups: 2 });

    // Assess
    expect(result.databases).toBe(10);
    expect(result.finished).toBe(10);
    expect(result.runStatuses).toEqual({ SUCCEEDED: 2 });
    expect(result.capExceeded).toBe(false);
    expect(result.maxRunningJobsOnAnyCluster).toBeGreaterThan(0);
    expect(result.maxRunningJobsOnAnyCluster).toBeLessThanOrEqual(2);
    expect(result.parentHistoryEventsMax).toBeGreaterThan(0);
    expect(result.largestPayload.parent.bytes).toBeGreaterThan(0);
    expect(result.largestPayload.parent.bytes).toBeLessThan(PAYLOAD_LIMIT_BYTES);
    // Two runs, each two lanes (one per slot), ten databases.
    expect(result.executions).toBe(2 + 2 * 2 + 10);
  }, 60_000);
});

describe('lock contention (smoke size)', () => {
  let tables: BenchTables;

  beforeAll(async () => {
    tables = await startBenchTables();
  });

  afterAll(async () => {
    await tables?.close();
  });

  it('lets exactly one of ten racing acquirers take a lock, and exactly capacity take the slots', async () => {
    // Act
    const result = await runLockBench(tables, {
      contenders: 10,
      rounds: 2,
      keys: 20,
      concurrency: 4,
      slotCapacity: 3,
    });

    // Assess
    expect(result.lockRaces.map((race) => [race.winners, race.heldErrors, race.otherErrors])).toEqual([
      [1, 9, 0],
      [1, 9, 0],
    ]);
    expect(result.exactlyOneWinnerEveryRound).toBe(true);
    expect(result.slotRaces.map((race) => race.winners)).toEqual([3, 3]);
    expect(result.throughput.released).toBe(20);
    expect(result.throughput.acquirePerSecond).toBeGreaterThan(0);
  });
});

describe('synthesis at scale (smoke size: one timed synth of each configuration)', () => {
  it('builds the same stack for 20 clusters × 3 schedules as for 1 × 1, with no schedule as a resource', () => {
    // Prepare
    const config = scaledConfig(20, 3);

    // Act
    const result = runSynthScale(1, { warmUp: false });

    // Assess
    expect(config.clusters).toHaveLength(20);
    expect(result.large.resourcesByType).toEqual(result.small.resourcesByType);
    expect(result.large.resourcesByType['AWS::Scheduler::Schedule']).toBeUndefined();
    expect(result.large.resourcesByType['Custom::ScheduleSync']).toBe(1);
    expect(result.growingTypes).toEqual([]);
    expect(result.large.resources).toBeLessThan(500);
    expect(result.timeRatio).toBeGreaterThan(0);
  }, 60_000);
});

describe('the schedule sync at scale (smoke size: 25 clusters × schedules, simulated)', () => {
  it('creates, re-reads, changes one, changes all and deletes, touching only what differs each time', async () => {
    // Act
    const result = await simulateSync(25);

    // Assess
    expect(result.schedules).toBe(50);
    expect(
      result.runs.map((run) => [run.created, run.updated, run.deleted, run.calls.get, run.calls.retries]),
    ).toEqual([
      [50, 0, 0, 0, 0],
      [0, 0, 0, 50, 0],
      [0, 1, 0, 50, 0],
      [0, 50, 0, 50, 0],
      [0, 0, 50, 0, 0],
    ]);
    // 40 calls a second: creating 50 takes at least 50 calls' worth of the pace.
    expect(result.runs[0]?.seconds).toBeGreaterThanOrEqual(50 / result.requestsPerSecond);
  });
});

describe('the previous design, extracted from git for the comparison', () => {
  it('has the stack the benchmark synthesizes', () => {
    // Act
    const dir = prepareBaseline();

    // Assess
    expect(existsSync(join(dir, 'cdk/backup-scheduler-stack.ts'))).toBe(true);
    expect(readFileSync(join(dir, 'cdk/constructs/backup-schedules.ts'), 'utf8')).toContain(
      'new scheduler.Schedule(',
    );
  });
});
