import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StarRocksResultTooLargeError } from '#domain/errors.ts';
import { createStarRocksClient, withStarRocksClientSession } from '#domain/starrocks/client.ts';
import { DEFAULT_RESULT_ROW_LIMIT, resultRowLimit } from '#domain/starrocks/result-limits.ts';
import { createManualClock, type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import {
  type CountingProxy,
  PASSWORD,
  scenarioFor,
  settingsFor,
  startCountingProxy,
  statementsSince,
} from './support.ts';

/** Far more rows than any limit: read whole, it would not fit in a Lambda function. */
const RUNAWAY_ROWS = 5_000_000;
/** Reading a hundred thousand rows takes a while on a busy machine; the limit, not the timeout, must stop it. */
const SLOW_READ = { statementTimeoutMs: 60_000 };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('bounded result sets', () => {
  let emulator: EmulatorHandle;
  let proxy: CountingProxy;

  beforeEach(async () => {
    emulator = await startEmulator({ scenario: scenarioFor('3.4'), clock: createManualClock() });
    proxy = await startCountingProxy(emulator);
  });

  afterEach(async () => {
    await proxy.close();
    await emulator.close();
  });

  it('stops reading SHOW DATABASES past its limit and names the statement', async () => {
    const limit = resultRowLimit('SHOW DATABASES');
    const flood = emulator.faults.floodResult('SHOW DATABASES', RUNAWAY_ROWS);

    const error = await rejection(createStarRocksClient(settingsFor(emulator, SLOW_READ)).showDatabases());

    expect(error).toBeInstanceOf(StarRocksResultTooLargeError);
    expect(error.message).toContain('SHOW DATABASES');
    expect(error.message).toContain(`more than ${limit.toLocaleString('en-US')} rows`);
    expect(error.message).not.toContain(PASSWORD);
    await flood.settled;
    // The client hung up after `limit` + 1 rows: the emulator, which writes only as fast as the client reads, got
    // no further than the loopback socket buffers hold past that point (measured: 200,000–300,000 rows in all).
    expect(flood.completed).toBe(false);
    expect(flood.rowsWritten).toBeGreaterThan(limit);
    expect(flood.rowsWritten).toBeLessThan(RUNAWAY_ROWS / 5);
  });

  it('reads an answer of exactly the limit', async () => {
    const limit = resultRowLimit('SHOW DATABASES');
    const flood = emulator.faults.floodResult('SHOW DATABASES', limit);

    const databases = await createStarRocksClient(settingsFor(proxy, SLOW_READ)).showDatabases();

    expect(databases).toHaveLength(limit);
    expect(databases.at(-1)).toBe(`Database_${limit - 1}`);
    await flood.settled;
    expect(flood.completed).toBe(true);
  });

  it('applies the general limit to statements that answer a few rows', async () => {
    expect(resultRowLimit('SHOW BACKUP')).toBe(DEFAULT_RESULT_ROW_LIMIT);
    emulator.faults.floodResult('SHOW BACKUP', DEFAULT_RESULT_ROW_LIMIT + 1);

    const error = await rejection(createStarRocksClient(settingsFor(proxy, SLOW_READ)).showBackup('sales'));

    expect(error).toBeInstanceOf(StarRocksResultTooLargeError);
    expect(error.message).toContain('SHOW BACKUP answered more than 20,000 rows');
  });

  it('drops the connection it stopped reading, so no later statement reads the rest', async () => {
    emulator.faults.floodResult('SHOW DATABASES', RUNAWAY_ROWS);
    const before = emulator.statements.length;

    const error = await rejection(
      withStarRocksClientSession(settingsFor(proxy, SLOW_READ), async (client) => {
        await client.showDatabases();
        return client.currentVersion();
      }),
    );

    expect(error).toBeInstanceOf(StarRocksResultTooLargeError);
    await proxy.drained();
    expect(proxy.openConnections()).toBe(0);
    expect(statementsSince(emulator, before)).toEqual(['SHOW DATABASES']);
  });
});
