import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CatalogStore,
  createCatalogStore,
  type NewBackupAttempt,
  type NewDrillRecord,
} from '#domain/catalog/index.ts';
import { SnapshotNotFoundError } from '#domain/errors.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';

let dynamo: TestDynamo;
let now: number;
let catalog: CatalogStore;
let cluster: string;
let counter = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

beforeEach(() => {
  now = Date.UTC(2026, 10, 25, 6, 0, 0);
  catalog = createCatalogStore({
    client: dynamo.client,
    tableName: dynamo.catalogTableName,
    clock: { now: () => now },
  });
  counter += 1;
  cluster = `prod-${counter}`;
});

function attempt(database: string, day: number, overrides: Partial<NewBackupAttempt> = {}): NewBackupAttempt {
  const scheduledTime = new Date(Date.UTC(2026, 10, day, 18, 0, 0)).toISOString();
  return {
    cluster,
    database,
    label: `nightly_${database}_202611${String(day).padStart(2, '0')}T1800Z_3f9a1c`,
    repository: 's3_repo',
    schedule: 'nightly',
    scheduledTime,
    runId: `run-${day}`,
    executionId: `exec-${day}`,
    attempt: 1,
    state: 'FINISHED',
    reason: null,
    startedAt: scheduledTime,
    finishedAt: scheduledTime,
    durationSeconds: 60,
    snapshotTimestamp: '2026-11-02-02-10-00-123',
    verified: true,
    sizeBytes: 100,
    tableCount: 2,
    starRocksJobId: '1',
    ...overrides,
  };
}

function drill(database: string, startedAt: string, overrides: Partial<NewDrillRecord> = {}): NewDrillRecord {
  return {
    cluster,
    database,
    label: `nightly_${database}_20261124T1800Z_3f9a1c`,
    repository: 's3_repo',
    snapshotTimestamp: '2026-11-25-02-10-00-123',
    scratchDatabase: `drill_${database}_202611250300`,
    runId: `drill-run-${startedAt}`,
    startedAt,
    finishedAt: startedAt,
    durationSeconds: 321,
    state: 'FINISHED',
    reason: null,
    tableCount: 3,
    rowCount: 1000,
    scratchDropped: true,
    ...overrides,
  };
}

describe('catalog pins and prune marks', () => {
  it('pins every attempt item of a snapshot and the latest-good pointer that names it', async () => {
    // Prepare
    await catalog.recordAttempt(attempt('sales', 23));
    await catalog.recordAttempt(attempt('sales', 24, { attempt: 1, state: 'FAILED', verified: false }));
    await catalog.recordAttempt(attempt('sales', 24, { attempt: 2, executionId: 'exec-24-2' }));
    const label = attempt('sales', 24).label;

    // Act
    const pinned = await catalog.setPinned({ cluster, database: 'sales', label, pinned: true });
    const latest = await catalog.latestGoodSnapshots(cluster);
    const other = await catalog.findSnapshot({
      cluster,
      database: 'sales',
      label: attempt('sales', 23).label,
    });

    // Assess
    expect(pinned.map((a) => [a.attempt, a.pinned])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(latest[0]?.pinned).toBe(true);
    expect(other[0]?.pinned).toBeUndefined();
  });

  it('unpins a snapshot', async () => {
    // Prepare
    await catalog.recordAttempt(attempt('sales', 23));
    const label = attempt('sales', 23).label;
    await catalog.setPinned({ cluster, database: 'sales', label, pinned: true });

    // Act
    await catalog.setPinned({ cluster, database: 'sales', label, pinned: false });
    const found = await catalog.findSnapshot({ cluster, database: 'sales', label });

    // Assess
    expect(found[0]?.pinned).toBe(false);
  });

  it('refuses to pin a label the catalog does not know', async () => {
    // Act / Assess
    await expect(
      catalog.setPinned({ cluster, database: 'sales', label: 'nightly_unknown', pinned: true }),
    ).rejects.toThrow(SnapshotNotFoundError);
  });

  it('marks a snapshot pruned once and keeps the first time on a repeat', async () => {
    // Prepare
    await catalog.recordAttempt(attempt('sales', 20));
    const ref = { cluster, database: 'sales', label: attempt('sales', 20).label };

    // Act
    const first = await catalog.markPruned(ref);
    now += 3_600_000;
    const second = await catalog.markPruned(ref);
    const unknown = await catalog.markPruned({ ...ref, label: 'nightly_unknown' });

    // Assess
    expect(first[0]?.prunedAt).toBe('2026-11-25T06:00:00.000Z');
    expect(second[0]?.prunedAt).toBe('2026-11-25T06:00:00.000Z');
    expect(unknown).toEqual([]);
  });

  it('lists every attempt of a database newest first across pages, without drills', async () => {
    // Prepare
    for (let day = 1; day <= 30; day += 1) await catalog.recordAttempt(attempt('sales', day));
    await catalog.recordDrill(drill('sales', '2026-11-25T03:00:00Z'));

    // Act
    const all = await catalog.listAllSnapshots({ cluster, database: 'sales' });

    // Assess
    expect(all).toHaveLength(30);
    expect(all[0]?.label).toBe(attempt('sales', 30).label);
    expect(all[29]?.label).toBe(attempt('sales', 1).label);
  });
});

describe('catalog drills', () => {
  it('records a drill and lists it newest first per database and per cluster', async () => {
    // Prepare
    await catalog.recordDrill(drill('sales', '2026-11-23T03:00:00Z'));
    await catalog.recordDrill(drill('sales', '2026-11-24T03:00:00+00:00', { state: 'FAILED', reason: 'x' }));
    await catalog.recordDrill(drill('orders', '2026-11-25T03:00:00Z'));

    // Act
    const sales = await catalog.listDrills({ cluster, database: 'sales' });
    const everything = await catalog.listDrills({ cluster });
    const newest = await catalog.listDrills({ cluster, limit: 1 });

    // Assess
    expect(sales.map((d) => [d.startedAt, d.state])).toEqual([
      ['2026-11-24T03:00:00.000Z', 'FAILED'],
      ['2026-11-23T03:00:00.000Z', 'FINISHED'],
    ]);
    expect(everything.map((d) => d.database)).toEqual(['orders', 'sales', 'sales']);
    expect(newest.map((d) => d.database)).toEqual(['orders']);
    expect(sales[0]).toMatchObject({ kind: 'drill', durationSeconds: 321, emptyTables: [] });
  });

  it('replaces a drill recorded twice instead of duplicating it', async () => {
    // Prepare
    await catalog.recordDrill(drill('sales', '2026-11-23T03:00:00Z', { state: 'FAILED', reason: 'first' }));

    // Act
    await catalog.recordDrill(drill('sales', '2026-11-23T03:00:00Z'));
    const drills = await catalog.listDrills({ cluster, database: 'sales' });

    // Assess
    expect(drills.map((d) => d.state)).toEqual(['FINISHED']);
  });

  it('keeps drills out of the backup listings and the retention index', async () => {
    // Prepare
    await catalog.recordDrill(drill('sales', '2026-11-23T03:00:00Z'));

    // Act
    const snapshots = await catalog.listSnapshots({ cluster, database: 'sales' });
    const older = await catalog.listOlderThan({ cluster, before: new Date('2027-01-01T00:00:00Z') });

    // Assess
    expect(snapshots.items).toEqual([]);
    expect(older.items).toEqual([]);
  });
});
