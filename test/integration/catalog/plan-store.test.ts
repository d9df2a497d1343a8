import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanStore, type PlanStore } from '#domain/run-plan/plan-store.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';

// The run's queue in the catalog table (dynalite). About 1 s.

let dynamo: TestDynamo;
let store: PlanStore;
let runCounter = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  store = createPlanStore({
    client: dynamo.client,
    tableName: dynamo.catalogTableName,
    clock: { now: () => Date.UTC(2026, 10, 24, 18) },
  });
});

afterAll(async () => {
  await dynamo.close();
});

function entries(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    database: `db_${index}`,
    label: `label_${index}`,
    executionName: `exec_${index}`,
  }));
}

async function planned(count: number, pageSize?: number): Promise<string> {
  runCounter += 1;
  const runId = `arn:aws:states:us-east-1:123456789012:execution:nightlyBackup:run-${runCounter}`;
  await store.writePlan({
    runId,
    scheduledTime: '2026-11-24T18:00:00.000Z',
    entries: entries(count),
    ...(pageSize === undefined ? {} : { pageSize }),
  });
  return runId;
}

describe('the run queue', () => {
  it('hands every entry to exactly one of many racing lanes, in queue order, across pages', async () => {
    // Prepare: 57 entries in pages of 5, eight lanes claiming at once until drained.
    const runId = await planned(57, 5);
    const claimed: string[] = [];

    // Act
    await Promise.all(
      Array.from({ length: 8 }, async (_, lane) => {
        for (let iteration = 0; ; iteration++) {
          const claim = await store.claimNext({ runId, lane, iteration });
          if (claim.done) return;
          claimed.push(claim.entry.database);
        }
      }),
    );

    // Assess
    expect(claimed.sort()).toEqual(
      entries(57)
        .map((entry) => entry.database)
        .sort(),
    );
    expect(await store.readEntries(runId)).toEqual(entries(57));
  });

  it('gives a retried claim (its first answer lost) the same entry, and the next claim the next one', async () => {
    // Prepare
    const runId = await planned(3);

    // Act
    const first = await store.claimNext({ runId, lane: 0, iteration: 0 });
    const retried = await store.claimNext({ runId, lane: 0, iteration: 0 });
    const next = await store.claimNext({ runId, lane: 0, iteration: 1 });

    // Assess
    expect(retried).toEqual(first);
    expect([first, next].map((claim) => (claim.done ? null : claim.entry.database))).toEqual([
      'db_0',
      'db_1',
    ]);
  });

  it('lets a lane that restarts behind its last claim number claim after it, and says which number it used', async () => {
    // Prepare: generation 0 of lane 0 made claims 0..2; a restarted generation starts again at 1.
    const runId = await planned(6);
    for (let iteration = 0; iteration < 3; iteration++) await store.claimNext({ runId, lane: 0, iteration });

    // Act
    const behind = await store.claimNext({ runId, lane: 0, iteration: 1 });

    // Assess
    expect(behind).toMatchObject({ done: false, iteration: 3, entry: { database: 'db_3' } });
  });

  it('says the queue is drained once every entry is taken, and again on every later claim', async () => {
    const runId = await planned(1);
    await store.claimNext({ runId, lane: 0, iteration: 0 });
    await expect(store.claimNext({ runId, lane: 0, iteration: 1 })).resolves.toMatchObject({ done: true });
    await expect(store.claimNext({ runId, lane: 1, iteration: 0 })).resolves.toMatchObject({ done: true });
  });
});
