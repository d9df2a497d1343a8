/**
 * §3 Lock contention on dynalite (real HTTP, the project's lock store): many acquirers racing for one database
 * lock (exactly one may win, every other must get LockHeldError), many racing for a cluster's slots (exactly
 * `capacity` may win), and acquire/release throughput over many distinct keys.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '#domain/clock.ts';
import { LockHeldError, SlotUnavailableError } from '#domain/errors.ts';
import { createLockStore, type LockStore } from '#domain/lock/index.ts';
import type { BenchTables } from '../support/local-tables.ts';

/** How big a run to make. */
export interface LockBenchOptions {
  /** Concurrent acquirers on one key. */
  readonly contenders: number;
  /** Rounds of the race (a fresh key each). */
  readonly rounds: number;
  /** Distinct keys for the throughput run. */
  readonly keys: number;
  /** Requests in flight during the throughput run. */
  readonly concurrency: number;
  /** Slots of the slot race. */
  readonly slotCapacity: number;
}

/** One race. */
export interface RaceResult {
  readonly winners: number;
  /** Losers that got the typed "held" error (LockHeldError / SlotUnavailableError). */
  readonly heldErrors: number;
  /** Any other outcome: must be 0. */
  readonly otherErrors: number;
  readonly wallMs: number;
}

/** Everything the lock benchmark measured. */
export interface LockBenchResult {
  readonly options: LockBenchOptions;
  readonly lockRaces: readonly RaceResult[];
  /** Every lock race had exactly one winner and no unexpected error. */
  readonly exactlyOneWinnerEveryRound: boolean;
  readonly slotRaces: readonly RaceResult[];
  readonly exactlyCapacityWinnersEveryRound: boolean;
  readonly throughput: {
    readonly acquirePerSecond: number;
    readonly releasePerSecond: number;
    readonly acquireWallMs: number;
    readonly releaseWallMs: number;
    /** Sequential (one in flight) round trips, for the latency of one call. */
    readonly sequentialAcquireMeanMs: number;
    readonly released: number;
    /** Baseline: unconditional PutItem / DeleteItem of the same number of items, same concurrency, same table. */
    readonly rawPutPerSecond: number;
    readonly rawDeletePerSecond: number;
  };
}

async function race(
  contenders: number,
  attempt: (index: number) => Promise<unknown>,
  isHeld: (error: unknown) => boolean,
): Promise<RaceResult> {
  const started = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: contenders }, (_, index) => attempt(index)));
  const wallMs = performance.now() - started;
  return {
    winners: outcomes.filter((outcome) => outcome.status === 'fulfilled').length,
    heldErrors: outcomes.filter((outcome) => outcome.status === 'rejected' && isHeld(outcome.reason)).length,
    otherErrors: outcomes.filter((outcome) => outcome.status === 'rejected' && !isHeld(outcome.reason))
      .length,
    wallMs,
  };
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
async function pooled<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Runs the lock benchmark against `tables` (its own cluster names, so it can share a dynalite). */
export async function runLockBench(tables: BenchTables, options: LockBenchOptions): Promise<LockBenchResult> {
  // Every holder counts as alive: a lost race must end in LockHeldError, never in a takeover.
  const locks: LockStore = createLockStore({
    client: tables.client,
    tableName: tables.locksTableName,
    clock: systemClock,
    livenessOf: async () => 'running',
  });

  const lockRaces: RaceResult[] = [];
  for (let round = 0; round < options.rounds; round++) {
    lockRaces.push(
      await race(
        options.contenders,
        (index) =>
          locks.acquireLock({
            cluster: 'bench-race',
            database: `contended_${round}`,
            holder: `execution-${round}-${index}`,
            leaseSeconds: 900,
          }),
        (error) => error instanceof LockHeldError,
      ),
    );
  }

  const slotRaces: RaceResult[] = [];
  for (let round = 0; round < options.rounds; round++) {
    slotRaces.push(
      await race(
        options.contenders,
        (index) =>
          locks.acquireSlot({
            cluster: `bench-slots-${round}`,
            capacity: options.slotCapacity,
            holder: `execution-${round}-${index}`,
            leaseSeconds: 900,
          }),
        (error) => error instanceof SlotUnavailableError,
      ),
    );
  }

  const keys = Array.from({ length: options.keys }, (_, index) => `db_${String(index).padStart(5, '0')}`);
  const sequentialSample = keys.slice(0, Math.min(50, keys.length));
  const sequentialStarted = performance.now();
  for (const database of sequentialSample) {
    await locks.acquireLock({
      cluster: 'bench-sequential',
      database,
      holder: 'sequential',
      leaseSeconds: 900,
    });
  }
  const sequentialAcquireMeanMs = (performance.now() - sequentialStarted) / sequentialSample.length;

  const tokens = new Map<string, number>();
  const acquireStarted = performance.now();
  await pooled(keys, options.concurrency, async (database) => {
    const lease = await locks.acquireLock({
      cluster: 'bench-throughput',
      database,
      holder: `holder-${database}`,
      leaseSeconds: 900,
    });
    tokens.set(database, lease.token);
  });
  const acquireWallMs = performance.now() - acquireStarted;
  let released = 0;
  const releaseStarted = performance.now();
  await pooled(keys, options.concurrency, async (database) => {
    const freed = await locks.releaseLock({
      cluster: 'bench-throughput',
      database,
      holder: `holder-${database}`,
      token: tokens.get(database) ?? -1,
    });
    if (freed) released += 1;
  });
  const releaseWallMs = performance.now() - releaseStarted;

  // The baseline: what the same dynalite does with plain writes (no condition, no read-back, no liveness).
  const rawKey = (database: string) => ({ pk: `raw#${database}`, sk: 'raw' });
  const putStarted = performance.now();
  await pooled(keys, options.concurrency, (database) =>
    tables.client.send(
      new PutCommand({
        TableName: tables.locksTableName,
        Item: { ...rawKey(database), holder: 'raw', token: 1 },
      }),
    ),
  );
  const putWallMs = performance.now() - putStarted;
  const deleteStarted = performance.now();
  await pooled(keys, options.concurrency, (database) =>
    tables.client.send(new DeleteCommand({ TableName: tables.locksTableName, Key: rawKey(database) })),
  );
  const deleteWallMs = performance.now() - deleteStarted;

  return {
    options,
    lockRaces,
    exactlyOneWinnerEveryRound: lockRaces.every((result) => result.winners === 1 && result.otherErrors === 0),
    slotRaces,
    exactlyCapacityWinnersEveryRound: slotRaces.every(
      (result) => result.winners === options.slotCapacity && result.otherErrors === 0,
    ),
    throughput: {
      acquirePerSecond: (keys.length / acquireWallMs) * 1000,
      releasePerSecond: (keys.length / releaseWallMs) * 1000,
      acquireWallMs,
      releaseWallMs,
      sequentialAcquireMeanMs,
      released,
      rawPutPerSecond: (keys.length / putWallMs) * 1000,
      rawDeletePerSecond: (keys.length / deleteWallMs) * 1000,
    },
  };
}
