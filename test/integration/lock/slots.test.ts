import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LeaseLostError, SlotUnavailableError } from '#domain/errors.ts';
import { createLockStore, type LockStore } from '#domain/lock/index.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';

const LEASE_SECONDS = 900;

function manualClock(start = Date.UTC(2026, 10, 24, 18, 0, 0)) {
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
let dead: Set<string>;
let store: LockStore;
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
  dead = new Set();
  store = createLockStore({
    client: dynamo.client,
    tableName: dynamo.locksTableName,
    clock,
    livenessOf: async (holder) => (dead.has(holder) ? 'ended' : 'running'),
  });
  clusterCounter += 1;
  cluster = `prod-${clusterCounter}`;
});

const slot = (holder: string, capacity = 3, leaseSeconds = LEASE_SECONDS) =>
  store.acquireSlot({ cluster, capacity, holder, leaseSeconds });

describe('per-cluster backup slots', () => {
  it('hands out exactly 3 slots to 20 concurrent acquirers, each slot once', async () => {
    // Prepare
    const holders = Array.from({ length: 20 }, (_, i) => `exec-${i}`);

    // Act
    const started = performance.now();
    const results = await Promise.allSettled(holders.map((holder) => slot(holder)));
    const elapsedMs = performance.now() - started;

    // Assess
    const granted = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.slot] : []));
    expect(granted.sort()).toEqual([0, 1, 2]);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(17);
    for (const r of refused) expect(r.reason).toBeInstanceOf(SlotUnavailableError);
    expect((await store.listHeld(cluster)).slots).toHaveLength(3);
    expect(elapsedMs).toBeLessThan(5000);
  });

  it('gives a holder that already has a slot the same slot again, with a new token', async () => {
    // Prepare
    const first = await slot('exec-a');
    await slot('exec-b');

    // Act
    const again = await slot('exec-a');

    // Assess
    expect(again.slot).toBe(first.slot);
    expect(again.token).toBe(first.token + 1);
    expect((await store.listHeld(cluster)).slots).toHaveLength(2);
  });

  it('hands a released slot to the next acquirer, with a larger token', async () => {
    // Prepare
    const holders = ['exec-a', 'exec-b'];
    const held = await Promise.all(holders.map((holder) => slot(holder, 2)));
    await expect(slot('exec-c', 2)).rejects.toBeInstanceOf(SlotUnavailableError);
    const [releasedSlot] = held;
    if (releasedSlot === undefined) throw new Error('no slot');

    // Act
    const released = await store.releaseSlot({
      cluster,
      slot: releasedSlot.slot,
      holder: 'exec-a',
      token: releasedSlot.token,
    });
    const next = await slot('exec-c', 2);

    // Assess
    expect(released).toBe(true);
    expect(next.slot).toBe(releasedSlot.slot);
    expect(next.token).toBe(releasedSlot.token + 1);
  });

  it("takes over the slot of a holder whose execution ended, but never a running holder's lapsed slot", async () => {
    // Prepare
    const a = await slot('exec-a', 2);
    const b = await slot('exec-b', 2);
    dead.add('exec-a');

    // Act
    const fromDead = await slot('exec-c', 2);
    clock.advanceSeconds(LEASE_SECONDS * 4);
    const whileLapsed = slot('exec-d', 2);

    // Assess
    expect(fromDead).toMatchObject({ slot: a.slot, takenOver: { holder: 'exec-a' } });
    expect(fromDead.token).toBe(a.token + 1);
    await expect(whileLapsed).rejects.toBeInstanceOf(SlotUnavailableError);
    await expect(
      store.renewSlot({ cluster, slot: a.slot, holder: 'exec-a', token: a.token, extendSeconds: 60 }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await expect(
      store.renewSlot({ cluster, slot: b.slot, holder: 'exec-b', token: b.token, extendSeconds: 60 }),
    ).resolves.toBe(clock.now() + 60_000);
  });

  it('never hands out a slot at or above the capacity it is asked with', async () => {
    // Prepare: four slots taken under capacity 4, then the holders of slots 2 and 3 leave.
    const held = await Promise.all(['exec-0', 'exec-1', 'exec-2', 'exec-3'].map((h) => slot(h, 4)));
    for (const h of held.filter((s) => s.slot >= 2)) {
      const holder = (await store.listHeld(cluster)).slots.find((s) => s.slot === h.slot)?.holder ?? '';
      await store.releaseSlot({ cluster, slot: h.slot, holder, token: h.token });
    }

    // Act
    const underSmallerCapacity = slot('exec-new', 2);
    await expect(underSmallerCapacity).rejects.toBeInstanceOf(SlotUnavailableError);
    const underOldCapacity = await slot('exec-new', 4);

    // Assess
    expect(underOldCapacity.slot).toBeGreaterThanOrEqual(2);
  });

  it('lets neither renew nor release succeed for a holder that does not hold the slot', async () => {
    // Prepare
    const held = await slot('exec-a');

    // Act
    const renew = store.renewSlot({
      cluster,
      slot: held.slot,
      holder: 'exec-b',
      token: held.token,
      extendSeconds: 60,
    });
    await expect(renew).rejects.toBeInstanceOf(LeaseLostError);
    const released = await store.releaseSlot({
      cluster,
      slot: held.slot,
      holder: 'exec-b',
      token: held.token,
    });

    // Assess
    expect(released).toBe(false);
    const renewedUntil = await store.renewSlot({
      cluster,
      slot: held.slot,
      holder: 'exec-a',
      token: held.token,
      extendSeconds: 60,
    });
    expect(renewedUntil).toBe(clock.now() + 60_000);
  });

  it('lists held locks and slots of a cluster together (lapsed ones too), and not those of other clusters', async () => {
    // Prepare
    await slot('exec-a');
    await store.acquireLock({ cluster, database: 'sales', holder: 'exec-a', leaseSeconds: 60 });
    await store.acquireLock({
      cluster: `${cluster}-other`,
      database: 'sales',
      holder: 'exec-z',
      leaseSeconds: 60,
    });
    const expiring = await store.acquireLock({ cluster, database: 'crm', holder: 'exec-b', leaseSeconds: 1 });
    clock.advanceSeconds(2);

    // Act
    const held = await store.listHeld(cluster);
    const all = await store.inspectLocks(cluster);

    // Assess: a lapsed lease keeps its holder until someone takes it over, so it is still listed.
    expect(held.locks.map((l) => [l.database, l.holder, l.expired]).sort()).toEqual([
      ['crm', 'exec-b', true],
      ['sales', 'exec-a', false],
    ]);
    expect(held.slots.map((s) => s.holder)).toEqual(['exec-a']);
    expect(all.locks.find((l) => l.database === 'crm')).toMatchObject({
      holder: 'exec-b',
      expired: true,
      token: expiring.token,
    });
  });

  it('refuses a capacity outside 1..40', async () => {
    await expect(slot('exec-a', 0)).rejects.toBeInstanceOf(RangeError);
    await expect(slot('exec-a', 41)).rejects.toBeInstanceOf(RangeError);
  });
});
