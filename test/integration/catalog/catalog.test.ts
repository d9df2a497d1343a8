import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type BackupAttempt,
  type CatalogStore,
  createCatalogStore,
  type NewBackupAttempt,
  REASON_MAX_CHARS,
} from '#domain/catalog/index.ts';
import { latestGoodKey } from '#domain/catalog/keys.ts';
import { ConfigError } from '#domain/errors.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';

function manualClock(start = Date.UTC(2026, 10, 25, 6, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advanceSeconds(seconds: number) {
      now += seconds * 1000;
    },
  };
}

let dynamo: TestDynamo;
let clock: ReturnType<typeof manualClock>;
let catalog: CatalogStore;
let cluster: string;
let clusterCounter = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

beforeEach(() => {
  clock = manualClock();
  catalog = createCatalogStore({ client: dynamo.client, tableName: dynamo.catalogTableName, clock });
  clusterCounter += 1;
  cluster = `prod-${clusterCounter}`;
});

/** A FINISHED, verified attempt of `database` for the nightly slot on `day` (November 2026). */
function attempt(database: string, day: number, overrides: Partial<NewBackupAttempt> = {}): NewBackupAttempt {
  const scheduledTime = new Date(Date.UTC(2026, 10, day, 18, 0, 0)).toISOString();
  const stamp = `202611${String(day).padStart(2, '0')}T1800Z`;
  return {
    cluster,
    database,
    label: `nightly_${database}_${stamp}_3f9a1c`,
    repository: 's3_repo',
    schedule: 'nightly',
    scheduledTime,
    runId: `${cluster}-run-${day}`,
    executionId: `exec-${database}-${day}`,
    attempt: 1,
    state: 'FINISHED',
    reason: null,
    startedAt: scheduledTime,
    finishedAt: new Date(Date.parse(scheduledTime) + 600_000).toISOString(),
    durationSeconds: 600,
    snapshotTimestamp: `2026-11-${String(day + 1).padStart(2, '0')}-02-10-00-123`,
    verified: true,
    sizeBytes: 1_073_741_824,
    tableCount: 12,
    starRocksJobId: `${10_000 + day}`,
    ...overrides,
  };
}

const labels = (items: readonly BackupAttempt[]) => items.map((i) => i.label);

describe('snapshot catalog', () => {
  it('stores an attempt with every field and reads it back by its identity', async () => {
    // Prepare
    const input = attempt('sales', 24, { scheduledTime: '2026-11-24T18:00:00Z' });

    // Act
    const outcome = await catalog.recordAttempt(input);
    const read = await catalog.getAttempt({
      cluster,
      database: 'sales',
      scheduledTime: '2026-11-24T18:00:00.000Z',
      label: input.label,
      attempt: 1,
    });

    // Assess
    expect(outcome.written).toBe(true);
    expect(read).toEqual({
      ...input,
      scheduledTime: '2026-11-24T18:00:00.000Z',
      schemaVersion: 1,
      kind: 'backup',
      recordedAt: new Date(clock.now()).toISOString(),
    });
  });

  it('keeps one item when the same attempt is recorded twice, and the first write wins', async () => {
    // Prepare
    const input = attempt('sales', 24, { state: 'FAILED', verified: false, reason: 'FE unreachable' });
    const first = await catalog.recordAttempt(input);
    clock.advanceSeconds(30);

    // Act
    const second = await catalog.recordAttempt({ ...input, state: 'TIMED_OUT', reason: 'deadline' });

    // Assess
    expect(second.written).toBe(false);
    expect(second.item).toEqual(first.item);
    const page = await catalog.listSnapshots({ cluster, database: 'sales' });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ state: 'FAILED', reason: 'FE unreachable' });
  });

  it('lets FINISHED replace an earlier failure verdict but never the other way round', async () => {
    // Prepare
    const failed = attempt('sales', 24, { state: 'FAILED', verified: false, reason: 'connection lost' });
    await catalog.recordAttempt(failed);

    // Act
    const upgraded = await catalog.recordAttempt(attempt('sales', 24));
    const downgrade = await catalog.recordAttempt(failed);

    // Assess
    expect(upgraded).toMatchObject({ written: true, item: { state: 'FINISHED', reason: null } });
    expect(downgrade).toMatchObject({ written: false, item: { state: 'FINISHED' } });
    expect(labels(await catalog.latestGoodSnapshots(cluster))).toEqual([failed.label]);
  });

  it('lists the snapshots of one database newest first, page by page', async () => {
    // Prepare: recorded out of order, with another database in between.
    for (const day of [22, 25, 21, 24, 23]) await catalog.recordAttempt(attempt('sales', day));
    await catalog.recordAttempt(attempt('crm', 26));

    // Act
    const pages: BackupAttempt[][] = [];
    let cursor: string | null = null;
    do {
      const page = await catalog.listSnapshots({ cluster, database: 'sales', limit: 2, cursor });
      pages.push([...page.items]);
      cursor = page.nextCursor;
    } while (cursor !== null);

    // Assess
    expect(pages.map((p) => p.length).slice(0, 3)).toEqual([2, 2, 1]);
    expect(pages.flat().map((i) => i.scheduledTime.slice(0, 10))).toEqual([
      '2026-11-25',
      '2026-11-24',
      '2026-11-23',
      '2026-11-22',
      '2026-11-21',
    ]);
  });

  it('refuses a cursor it did not make', async () => {
    await expect(
      catalog.listSnapshots({ cluster, database: 'sales', cursor: 'not-a-cursor' }),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it('reports the latest good snapshot of every database without regressing when an older one arrives late', async () => {
    // Prepare
    await catalog.recordAttempt(attempt('sales', 24));
    await catalog.recordAttempt(attempt('sales', 25, { state: 'FAILED', verified: false, reason: 'x' }));
    await catalog.recordAttempt(attempt('crm', 25));
    await catalog.recordAttempt(attempt('hr', 25, { verified: false }));

    // Act
    await catalog.recordAttempt(attempt('crm', 23));
    const latest = await catalog.latestGoodSnapshots(cluster);

    // Assess
    expect(latest.map((s) => [s.database, s.scheduledTime.slice(0, 10)])).toEqual([
      ['crm', '2026-11-25'],
      ['sales', '2026-11-24'],
    ]);
  });

  it('restores a missing latest-good pointer when a finished attempt is recorded again', async () => {
    // Prepare: the first RecordResult wrote the attempt but failed before the pointer.
    const input = attempt('sales', 24);
    await catalog.recordAttempt(input);
    await dynamo.client.send(
      new DeleteCommand({ TableName: dynamo.catalogTableName, Key: latestGoodKey(cluster, 'sales') }),
    );
    expect(await catalog.latestGoodSnapshots(cluster)).toEqual([]);

    // Act
    const retry = await catalog.recordAttempt(input);

    // Assess
    expect(retry.written).toBe(false);
    expect(labels(await catalog.latestGoodSnapshots(cluster))).toEqual([input.label]);
  });

  it('lists every attempt of one run and nothing of other runs, page by page', async () => {
    // Prepare
    const databases = ['a_db', 'b_db', 'c_db'];
    for (const database of databases) await catalog.recordAttempt(attempt(database, 24));
    await catalog.recordAttempt(
      attempt('a_db', 24, { attempt: 2, label: 'nightly_a_db_20261124T1800Z_3f9a1c_2' }),
    );
    await catalog.recordAttempt(attempt('a_db', 25));

    // Act
    const first = await catalog.listRun({ runId: `${cluster}-run-24`, limit: 3 });
    const second = await catalog.listRun({ runId: `${cluster}-run-24`, limit: 3, cursor: first.nextCursor });

    // Assess
    const all = [...first.items, ...second.items];
    expect(all.map((i) => [i.database, i.attempt])).toEqual([
      ['a_db', 1],
      ['a_db', 2],
      ['b_db', 1],
      ['c_db', 1],
    ]);
    expect(all.every((i) => i.runId === `${cluster}-run-24`)).toBe(true);
  });

  it('lists an attempt adopted by a second run of the same slot in both runs, each with its own reason', async () => {
    // Prepare
    await catalog.recordAttempt(attempt('sales', 24));

    // Act
    const adopted = await catalog.recordAttempt(
      attempt('sales', 24, { runId: `${cluster}-rerun`, executionId: 'exec-rerun', reason: 'adopted' }),
    );
    const firstRun = await catalog.listRun({ runId: `${cluster}-run-24` });
    const secondRun = await catalog.listRun({ runId: `${cluster}-rerun` });

    // Assess
    expect(adopted.written).toBe(false);
    expect(firstRun.items.map((i) => [i.database, i.state, i.reason])).toEqual([['sales', 'FINISHED', null]]);
    expect(secondRun.items.map((i) => [i.database, i.state, i.reason, i.executionId])).toEqual([
      ['sales', 'FINISHED', 'adopted', 'exec-rerun'],
    ]);
  });

  it('records in the run what the catalog already holds when an earlier write of the attempt ranks higher', async () => {
    // Prepare
    await catalog.recordAttempt(attempt('sales', 24));

    // Act
    await catalog.recordAttempt(
      attempt('sales', 24, {
        runId: `${cluster}-late`,
        state: 'FAILED',
        reason: 'connection lost',
        verified: false,
      }),
    );
    const lateRun = await catalog.listRun({ runId: `${cluster}-late` });

    // Assess
    expect(lateRun.items.map((i) => [i.state, i.reason])).toEqual([['FINISHED', null]]);
  });

  it('lists the attempts scheduled strictly before an instant, oldest first, for retention', async () => {
    // Prepare
    for (const day of [20, 23, 21, 22]) await catalog.recordAttempt(attempt('sales', day));
    await catalog.recordAttempt(attempt('crm', 19));

    const before = new Date(Date.UTC(2026, 10, 22, 18, 0, 0));

    // Act
    const first = await catalog.listOlderThan({ cluster, before, limit: 2 });
    const second = await catalog.listOlderThan({ cluster, before, limit: 2, cursor: first.nextCursor });

    // Assess
    expect(first.items).toHaveLength(2);
    expect([...first.items, ...second.items].map((i) => [i.database, i.scheduledTime.slice(0, 10)])).toEqual([
      ['crm', '2026-11-19'],
      ['sales', '2026-11-20'],
      ['sales', '2026-11-21'],
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('returns the durations of the last finished backups, newest first, skipping failures', async () => {
    // Prepare
    const durations: Record<number, number> = { 20: 100, 21: 200, 22: 300, 24: 500 };
    for (const [day, seconds] of Object.entries(durations)) {
      await catalog.recordAttempt(attempt('sales', Number(day), { durationSeconds: seconds }));
    }
    await catalog.recordAttempt(
      attempt('sales', 23, { state: 'TIMED_OUT', verified: false, durationSeconds: 9999 }),
    );
    await catalog.recordAttempt(
      attempt('sales', 25, { state: 'FAILED', verified: false, durationSeconds: 5 }),
    );

    // Act
    const recent = await catalog.recentDurations({ cluster, database: 'sales', limit: 3 });

    // Assess
    expect(recent).toEqual([500, 300, 200]);
  });

  it('cuts a long reason so the item stays small', async () => {
    // Prepare
    const reason = `[TIMEOUT, ${'x'.repeat(10_000)}]`;

    // Act
    const { item } = await catalog.recordAttempt(
      attempt('sales', 24, { state: 'TIMED_OUT', verified: false, reason }),
    );

    // Assess
    expect(item.reason).toHaveLength(REASON_MAX_CHARS);
    expect(item.reason?.startsWith('[TIMEOUT, xxx')).toBe(true);
    const raw = await dynamo.client.send(
      new GetCommand({
        TableName: dynamo.catalogTableName,
        Key: { pk: `DB#${cluster}#sales`, sk: `BACKUP#${item.scheduledTime}#${item.label}#0001` },
      }),
    );
    expect(JSON.stringify(raw.Item).length).toBeLessThan(4096);
  });

  it('keeps databases whose names contain the key separator apart', async () => {
    // Prepare
    await catalog.recordAttempt(attempt('a#b', 24));

    // Act
    const other = await catalog.listSnapshots({ cluster: `${cluster}#a`, database: 'b' });
    const own = await catalog.listSnapshots({ cluster, database: 'a#b' });

    // Assess
    expect(other.items).toEqual([]);
    expect(own.items.map((i) => i.database)).toEqual(['a#b']);
  });

  it('lists every attempt of one scheduled slot of a database', async () => {
    // Prepare
    const failed = attempt('sales', 24, { state: 'FAILED', verified: false, reason: 'ERROR snapshot' });
    await catalog.recordAttempt(failed);
    await catalog.recordAttempt(attempt('sales', 24, { attempt: 2, label: `${failed.label}_2` }));
    await catalog.recordAttempt(attempt('sales', 25));

    // Act
    const slot = await catalog.listAttemptsAt({
      cluster,
      database: 'sales',
      scheduledTime: '2026-11-24T18:00:00Z',
    });

    // Assess
    expect(slot.map((i) => [i.attempt, i.state])).toEqual([
      [1, 'FAILED'],
      [2, 'FINISHED'],
    ]);
  });
});
