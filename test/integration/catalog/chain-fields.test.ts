// Runs in about 1 s: backup mode and base recorded on attempt items in dynalite (real HTTP), and durations by mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainSnapshotsOf } from '#domain/catalog/chain-snapshots.ts';
import { type CatalogStore, createCatalogStore, type NewBackupAttempt } from '#domain/catalog/index.ts';
import { isRestorablePoint } from '#domain/differential/index.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';

let dynamo: TestDynamo;
let catalog: CatalogStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  catalog = createCatalogStore({
    client: dynamo.client,
    tableName: dynamo.catalogTableName,
    clock: { now: () => Date.UTC(2026, 10, 25, 6) },
  });
});

afterAll(async () => {
  await dynamo.close();
});

function attempt(database: string, label: string, day: number, over: Partial<NewBackupAttempt> = {}) {
  const scheduledTime = new Date(Date.UTC(2026, 10, day, 18)).toISOString();
  return {
    cluster: 'prod',
    database,
    label,
    repository: 's3_repo',
    schedule: 'nightly',
    scheduledTime,
    runId: `run-${day}`,
    executionId: `exec-${label}`,
    attempt: 1,
    state: 'FINISHED',
    reason: null,
    startedAt: scheduledTime,
    finishedAt: scheduledTime,
    durationSeconds: 60,
    snapshotTimestamp: '2026-11-25-02-10-00-123',
    verified: true,
    sizeBytes: 1,
    tableCount: 1,
    starRocksJobId: '1',
    ...over,
  } satisfies NewBackupAttempt;
}

describe('backup mode and base on attempt items', () => {
  it('stores a differential with its base, and an item without mode reads as before (a full)', async () => {
    // Prepare
    await catalog.recordAttempt(attempt('sales', 'f1', 1));
    await catalog.recordAttempt(attempt('sales', 'd2', 2, { mode: 'differential', baseLabel: 'f1' }));

    // Act
    const items = await catalog.listAllSnapshots({ cluster: 'prod', database: 'sales' });
    const chain = chainSnapshotsOf(items);

    // Assert
    expect(items.map((i) => [i.label, i.mode, i.baseLabel])).toEqual([
      ['d2', 'differential', 'f1'],
      ['f1', undefined, undefined],
    ]);
    expect(chain.every((snapshot) => isRestorablePoint(snapshot, chain))).toBe(true);
    expect((await catalog.latestGoodSnapshots('prod'))[0]).toMatchObject({ label: 'd2', baseLabel: 'f1' });
  });

  it('refuses a differential without a base, one based on itself, and a base on a full', async () => {
    await expect(catalog.recordAttempt(attempt('crm', 'd1', 3, { mode: 'differential' }))).rejects.toThrow(
      /needs baseLabel/,
    );
    await expect(
      catalog.recordAttempt(attempt('crm', 'd1', 3, { mode: 'differential', baseLabel: 'd1' })),
    ).rejects.toThrow(/own base/);
    await expect(catalog.recordAttempt(attempt('crm', 'f1', 3, { baseLabel: 'f0' }))).rejects.toThrow(
      /only for a differential/,
    );
    expect(await catalog.listAllSnapshots({ cluster: 'prod', database: 'crm' })).toEqual([]);
  });

  it('gives the poll policy durations of one kind: differentials alone, or fulls (items without mode included)', async () => {
    // Prepare: a legacy full (no mode), a full, and two differentials, newest last.
    await catalog.recordAttempt(attempt('orders', 'o1', 1, { durationSeconds: 4000 }));
    await catalog.recordAttempt(attempt('orders', 'o2', 2, { mode: 'full', durationSeconds: 5000 }));
    await catalog.recordAttempt(
      attempt('orders', 'o3', 3, { mode: 'differential', baseLabel: 'o2', durationSeconds: 200 }),
    );
    await catalog.recordAttempt(
      attempt('orders', 'o4', 4, { mode: 'differential', baseLabel: 'o2', durationSeconds: 300 }),
    );
    const durations = (mode?: 'full' | 'differential') =>
      catalog.recentDurations({ cluster: 'prod', database: 'orders', limit: 7, ...(mode ? { mode } : {}) });

    // Act + Assert (newest first)
    expect(await durations('differential')).toEqual([300, 200]);
    expect(await durations('full')).toEqual([5000, 4000]);
    expect(await durations()).toEqual([300, 200, 5000, 4000]);
  });
});
