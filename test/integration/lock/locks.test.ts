import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LeaseLostError, LockHeldError } from '#domain/errors.ts';
import { createLockStore, type HolderLiveness, type LockStore } from '#domain/lock/index.ts';
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

/** The error a promise rejects with, or undefined when it resolves. */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error;
  }
}

let dynamo: TestDynamo;
let clock: ReturnType<typeof manualClock>;
let dead: Set<string>;
let unknown: Set<string>;
let livenessQuestions: string[];
let livenessOf: (holder: string) => Promise<HolderLiveness>;
let store: LockStore;
let database: string;
let databaseCounter = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

beforeEach(() => {
  clock = manualClock();
  dead = new Set();
  unknown = new Set();
  livenessQuestions = [];
  livenessOf = async (holder) => {
    livenessQuestions.push(holder);
    if (dead.has(holder)) return 'ended';
    return unknown.has(holder) ? 'unknown' : 'running';
  };
  store = createLockStore({
    client: dynamo.client,
    tableName: dynamo.locksTableName,
    clock,
    livenessOf: (holder) => livenessOf(holder),
  });
  // A fresh database per test keeps tests independent while sharing one server.
  databaseCounter += 1;
  database = `sales_${databaseCounter}`;
});

const lock = (holder: string, extra: { label?: string; leaseSeconds?: number } = {}) =>
  store.acquireLock({
    cluster: 'prod',
    database,
    holder,
    leaseSeconds: extra.leaseSeconds ?? LEASE_SECONDS,
    ...extra,
  });

describe('per-database lock', () => {
  it('grants the lock to exactly one of 50 concurrent acquirers and tells every loser who holds it', async () => {
    // Prepare
    const holders = Array.from({ length: 50 }, (_, i) => `exec-${i}`);

    // Act
    const started = performance.now();
    const results = await Promise.allSettled(holders.map((holder) => lock(holder)));
    const elapsedMs = performance.now() - started;

    // Assess
    const winners = holders.filter((_, i) => results[i]?.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(losers).toHaveLength(49);
    for (const loser of losers) {
      expect(loser.reason).toBeInstanceOf(LockHeldError);
      expect((loser.reason as LockHeldError).holder).toBe(winners[0]);
      expect((loser.reason as LockHeldError).leaseExpiresAt).toBe(clock.now() + LEASE_SECONDS * 1000);
    }
    const held = await store.listHeld('prod');
    expect(held.locks.find((l) => l.database === database)?.holder).toBe(winners[0]);
    expect(elapsedMs).toBeLessThan(5000);
  });

  it('never lets a lease lapse under a running holder: expiry alone gives nobody the lock', async () => {
    // Prepare
    const first = await lock('exec-a');
    clock.advanceSeconds(LEASE_SECONDS + 3600);

    // Act
    const attempt = await failureOf(lock('exec-b'));

    // Assess
    expect(attempt).toMatchObject({ name: 'LockHeldError', holder: 'exec-a' });
    expect(livenessQuestions).toEqual(['exec-a']);
    await expect(
      store.renewLock({ cluster: 'prod', database, holder: 'exec-a', token: first.token, extendSeconds: 60 }),
    ).resolves.toBe(clock.now() + 60_000);
  });

  it('takes over a lapsed lease whose holder has ended, and the token grows', async () => {
    // Prepare
    const first = await lock('exec-a');
    clock.advanceSeconds(LEASE_SECONDS);
    dead.add('exec-a');

    // Act
    const second = await lock('exec-b');

    // Assess
    expect(second.token).toBe(first.token + 1);
    expect(second.takenOver?.holder).toBe('exec-a');
    await expect(
      store.renewLock({ cluster: 'prod', database, holder: 'exec-a', token: first.token, extendSeconds: 60 }),
    ).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('lets the lease expiry decide only for a holder whose liveness cannot be known', async () => {
    // Prepare
    await lock('exec-a', { leaseSeconds: 60 });
    unknown.add('exec-a');

    // Act
    const beforeExpiry = await failureOf(lock('exec-b'));
    clock.advanceSeconds(60);
    const afterExpiry = await lock('exec-b');

    // Assess
    expect(beforeExpiry).toBeInstanceOf(LockHeldError);
    expect(afterExpiry.takenOver?.holder).toBe('exec-a');
  });

  it('refuses a live holder whose lease has not expired after asking whether it lives', async () => {
    // Prepare
    const first = await lock('exec-a');
    clock.advanceSeconds(LEASE_SECONDS - 1);

    // Act
    const attempt = lock('exec-b');

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: 'LockHeldError',
      holder: 'exec-a',
      leaseExpiresAt: first.leaseExpiresAt,
    });
    expect(livenessQuestions).toEqual(['exec-a']);
  });

  it('lets neither renew nor release succeed for a non-holder', async () => {
    // Prepare
    const held = await lock('exec-a');

    // Act
    const renewByOther = await failureOf(
      store.renewLock({ cluster: 'prod', database, holder: 'exec-b', token: held.token, extendSeconds: 60 }),
    );
    const renewWithOldToken = await failureOf(
      store.renewLock({
        cluster: 'prod',
        database,
        holder: 'exec-a',
        token: held.token - 1,
        extendSeconds: 60,
      }),
    );
    const releasedByOther = await store.releaseLock({
      cluster: 'prod',
      database,
      holder: 'exec-b',
      token: held.token,
    });

    // Assess
    expect(renewByOther).toBeInstanceOf(LeaseLostError);
    expect(renewWithOldToken).toBeInstanceOf(LeaseLostError);
    expect(releasedByOther).toBe(false);
    const state = await store.listHeld('prod');
    expect(state.locks.find((l) => l.database === database)).toMatchObject({
      holder: 'exec-a',
      token: held.token,
    });
  });

  it('takes the lock over from a holder whose execution has ended, before its lease expires', async () => {
    // Prepare
    const first = await lock('exec-a', { label: 'nightly_sales_20261124T1800Z_3f9a1c' });
    dead.add('exec-a');

    // Act
    const second = await lock('exec-b', { label: 'nightly_sales_20261124T1800Z_3f9a1c' });

    // Assess
    expect(second.token).toBeGreaterThan(first.token);
    expect(second.takenOver).toMatchObject({ holder: 'exec-a', token: first.token });
    expect(await store.releaseLock({ cluster: 'prod', database, holder: 'exec-a', token: first.token })).toBe(
      false,
    );
    const state = await store.inspectLocks('prod');
    expect(state.locks.find((l) => l.database === database)).toMatchObject({
      holder: 'exec-b',
      label: 'nightly_sales_20261124T1800Z_3f9a1c',
    });
  });

  it('lets exactly one of two concurrent takeovers of the same dead holder win', async () => {
    // Prepare: both contenders read the dead holder before either writes (a barrier in the liveness check).
    await lock('exec-dead');
    dead.add('exec-dead');
    let release: () => void = () => undefined;
    const bothAsked = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked = 0;
    livenessOf = async (holder) => {
      if (holder === 'exec-dead') {
        asked += 1;
        if (asked === 2) release();
        await bothAsked;
        return 'ended';
      }
      return 'running';
    };

    // Act
    const results = await Promise.allSettled([lock('exec-b'), lock('exec-c')]);

    // Assess
    expect(asked).toBe(2);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = results[0]?.status === 'fulfilled' ? 'exec-b' : 'exec-c';
    expect(lost[0]?.reason).toMatchObject({ name: 'LockHeldError', holder: winner });
  });

  it('is re-entrant: the holder acquiring again gets a new token and its old token goes stale', async () => {
    // Prepare
    const first = await lock('exec-a');

    // Act
    const again = await lock('exec-a');

    // Assess
    expect(again.token).toBe(first.token + 1);
    await expect(
      store.renewLock({ cluster: 'prod', database, holder: 'exec-a', token: first.token, extendSeconds: 60 }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await expect(
      store.renewLock({ cluster: 'prod', database, holder: 'exec-a', token: again.token, extendSeconds: 60 }),
    ).resolves.toBeGreaterThan(0);
  });

  it('releases once, treats a second release as a no-op, and keeps the token growing afterwards', async () => {
    // Prepare
    const first = await lock('exec-a');

    // Act
    const released = await store.releaseLock({
      cluster: 'prod',
      database,
      holder: 'exec-a',
      token: first.token,
    });
    const releasedAgain = await store.releaseLock({
      cluster: 'prod',
      database,
      holder: 'exec-a',
      token: first.token,
    });
    const next = await lock('exec-b');

    // Assess
    expect(released).toBe(true);
    expect(releasedAgain).toBe(false);
    expect(next.token).toBe(first.token + 1);
    expect(livenessQuestions).toEqual([]);
  });

  it('fails the fencing check with LeaseLostError once another holder took the lock over', async () => {
    // Prepare
    const first = await lock('exec-a');
    dead.add('exec-a');
    await lock('exec-b');

    // Act
    const check = store.renewLock({
      cluster: 'prod',
      database,
      holder: 'exec-a',
      token: first.token,
      extendSeconds: 60,
    });

    // Assess
    await expect(check).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('fences by the token alone: a running holder whose lease lapsed still passes and renews', async () => {
    // Prepare
    const held = await lock('exec-a', { leaseSeconds: 60 });
    clock.advanceSeconds(61);
    const heldLock = { cluster: 'prod', database, holder: 'exec-a', token: held.token };

    // Act
    const renewedUntil = await store.renewLock({ ...heldLock, extendSeconds: 120 });

    // Assess
    expect(renewedUntil).toBe(clock.now() + 120_000);
    await expect(lock('exec-b')).rejects.toBeInstanceOf(LockHeldError);
  });

  it('notes the submitted job on the lock and hands it to whoever takes the lock from an ended holder', async () => {
    // Prepare
    const purpose = {
      runId: 'run-1',
      schedule: 'nightly',
      scheduledTime: '2026-11-24T18:00:00.000Z',
      database,
      label: 'nightly_sales_20261124T1800Z_3f9a1c',
    };
    const held = await store.acquireLock({
      cluster: 'prod',
      database,
      holder: 'exec-a',
      leaseSeconds: 60,
      label: purpose.label,
      purpose,
    });
    const heldLock = { cluster: 'prod', database, holder: 'exec-a', token: held.token };
    const before = await store.noteSubmission({
      ...heldLock,
      label: `${purpose.label}_a2`,
      labelAttempt: 2,
      submittedAt: 1234,
      extendSeconds: 60,
    });
    dead.add('exec-a');

    // Act
    const own = await store.readSubmission(heldLock);
    const taken = await lock('exec-b', { label: purpose.label });

    // Assess
    expect(before).toBeUndefined();
    expect(own).toEqual({ label: `${purpose.label}_a2`, labelAttempt: 2, submittedAt: 1234 });
    expect(taken.takenOver).toEqual({
      holder: 'exec-a',
      token: held.token,
      ...purpose,
      submittedLabel: `${purpose.label}_a2`,
      labelAttempt: 2,
      submittedAt: 1234,
    });
    expect(await store.readSubmission({ ...heldLock, holder: 'exec-b', token: taken.token })).toBeUndefined();
  });

  it('keeps other acquirers out of a holder of unknown liveness until its renewed lease expires', async () => {
    // Prepare
    unknown.add('exec-a');
    const held = await lock('exec-a', { leaseSeconds: 60 });
    clock.advanceSeconds(50);
    await store.renewLock({
      cluster: 'prod',
      database,
      holder: 'exec-a',
      token: held.token,
      extendSeconds: 300,
    });

    // Act
    clock.advanceSeconds(200);
    const tooEarly = lock('exec-b');
    await expect(tooEarly).rejects.toBeInstanceOf(LockHeldError);
    clock.advanceSeconds(100);
    const afterExpiry = await lock('exec-b');

    // Assess
    expect(afterExpiry.token).toBe(held.token + 1);
  });
});
