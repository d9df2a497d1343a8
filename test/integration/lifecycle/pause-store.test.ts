import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '#domain/errors.ts';
import { createPauseStore, type PauseStore, pauseKey } from '#domain/pause/index.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';

const START = Date.UTC(2026, 10, 25, 6, 0, 0);

let dynamo: TestDynamo;
let now: number;
let store: PauseStore;
let cluster: string;
let counter = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

beforeEach(() => {
  now = START;
  store = createPauseStore({
    client: dynamo.client,
    tableName: dynamo.catalogTableName,
    clock: { now: () => now },
  });
  counter += 1;
  cluster = `prod-${counter}`;
});

describe('pause store', () => {
  it('stops every schedule of a cluster with a cluster-wide pause, reason and author included', async () => {
    // Act
    const pause = await store.pause({ cluster, reason: 'FE upgrade to 3.4', by: 'alice' });
    const nightly = await store.activePause({ cluster, schedule: 'nightly' });
    const hourly = await store.activePause({ cluster, schedule: 'hourly' });

    // Assess
    expect(pause).toEqual({
      cluster,
      schedule: null,
      reason: 'FE upgrade to 3.4',
      since: new Date(START).toISOString(),
      until: null,
      by: 'alice',
    });
    expect(nightly).toEqual(pause);
    expect(hourly).toEqual(pause);
  });

  it('stops only its own schedule with a schedule pause', async () => {
    // Prepare
    await store.pause({ cluster, schedule: 'nightly', reason: 'bucket migration' });

    // Act
    const nightly = await store.activePause({ cluster, schedule: 'nightly' });
    const hourly = await store.activePause({ cluster, schedule: 'hourly' });

    // Assess
    expect(nightly?.schedule).toBe('nightly');
    expect(nightly?.reason).toBe('bucket migration');
    expect(hourly).toBeNull();
  });

  it('prefers the cluster-wide pause when both exist', async () => {
    // Prepare
    await store.pause({ cluster, schedule: 'nightly', reason: 'schedule reason' });
    await store.pause({ cluster, reason: 'cluster reason' });

    // Act
    const active = await store.activePause({ cluster, schedule: 'nightly' });

    // Assess
    expect(active?.reason).toBe('cluster reason');
    expect(active?.schedule).toBeNull();
  });

  it('ends a pause by itself once its until has passed', async () => {
    // Prepare
    await store.pause({ cluster, reason: 'maintenance window', until: '2026-11-25T08:00:00+01:00' });

    // Act
    now = Date.parse('2026-11-25T06:59:59Z');
    const before = await store.activePause({ cluster, schedule: 'nightly' });
    now = Date.parse('2026-11-25T07:00:00Z');
    const after = await store.activePause({ cluster, schedule: 'nightly' });
    const listed = await store.listPauses(cluster);
    const history = await store.listPauses(cluster, { includeExpired: true });

    // Assess
    expect(before?.until).toBe('2026-11-25T07:00:00.000Z');
    expect(after).toBeNull();
    expect(listed).toEqual([]);
    expect(history.map((p) => p.reason)).toEqual(['maintenance window']);
  });

  it('sets a TTL after the until so ended pauses do not pile up, and none on an open-ended pause', async () => {
    // Act
    await store.pause({ cluster, schedule: 'nightly', reason: 'window', until: '2026-11-26T00:00:00Z' });
    await store.pause({ cluster, reason: 'open ended' });
    const timed = await dynamo.client.send(
      new GetCommand({ TableName: dynamo.catalogTableName, Key: pauseKey(cluster, 'nightly') }),
    );
    const open = await dynamo.client.send(
      new GetCommand({ TableName: dynamo.catalogTableName, Key: pauseKey(cluster) }),
    );

    // Assess
    expect(timed.Item?.expiresAtEpochSeconds).toBe(Date.parse('2026-11-26T00:00:00Z') / 1000 + 30 * 86_400);
    expect(open.Item).toBeDefined();
    expect(open.Item?.expiresAtEpochSeconds).toBeUndefined();
  });

  it('lifts a pause on resume and says whether there was one', async () => {
    // Prepare
    await store.pause({ cluster, schedule: 'nightly', reason: 'x' });

    // Act
    const first = await store.resume({ cluster, schedule: 'nightly' });
    const second = await store.resume({ cluster, schedule: 'nightly' });
    const active = await store.activePause({ cluster, schedule: 'nightly' });

    // Assess
    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(active).toBeNull();
  });

  it('lists the cluster-wide pause first, then schedules by name, and no other cluster', async () => {
    // Prepare
    await store.pause({ cluster, schedule: 'weekly', reason: 'w' });
    await store.pause({ cluster, schedule: 'daily', reason: 'd' });
    await store.pause({ cluster, reason: 'c' });
    await store.pause({ cluster: `${cluster}-other`, reason: 'elsewhere' });

    // Act
    const pauses = await store.listPauses(cluster);

    // Assess
    expect(pauses.map((p) => [p.schedule, p.reason])).toEqual([
      [null, 'c'],
      ['daily', 'd'],
      ['weekly', 'w'],
    ]);
  });

  it('keeps a schedule name with a # in its own key', async () => {
    // Prepare
    await store.pause({ cluster, schedule: 'a#b', reason: 'odd name' });

    // Act
    const exact = await store.activePause({ cluster, schedule: 'a#b' });
    const other = await store.activePause({ cluster, schedule: 'a' });

    // Assess
    expect(exact?.reason).toBe('odd name');
    expect(other).toBeNull();
  });

  it('refuses an empty reason and an until in the past or without a zone', async () => {
    // Act / Assess
    await expect(store.pause({ cluster, reason: '   ' })).rejects.toThrow(ConfigError);
    await expect(store.pause({ cluster, reason: 'r', until: '2026-11-25T05:00:00Z' })).rejects.toThrow(
      /not in the future/,
    );
    await expect(store.pause({ cluster, reason: 'r', until: '2026-11-26T05:00:00' })).rejects.toThrow(
      /ISO 8601/,
    );
    expect(await store.listPauses(cluster, { includeExpired: true })).toEqual([]);
  });
});
