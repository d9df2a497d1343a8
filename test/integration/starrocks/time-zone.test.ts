import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withStarRocksClientSession } from '#domain/starrocks/index.ts';
import { createManualClock, type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';

describe('the client pins its session time_zone, so job times are UTC whatever the FE says by default', () => {
  let emulator: EmulatorHandle;
  const clock = createManualClock(Date.UTC(2026, 10, 24, 18, 0, 0));

  beforeAll(async () => {
    // The JVM runs in Asia/Shanghai and an administrator set the global time_zone to America/New_York.
    emulator = await startEmulator({
      clock,
      scenario: {
        version: '3.3',
        feTimeZone: 'Asia/Shanghai',
        timeZone: 'America/New_York',
        repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
        databases: [{ name: 'sales', tables: [{ name: 'orders', sizeBytes: 10 }] }],
      },
    });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('reads SHOW BACKUP times in UTC and keeps the snapshot timestamp in the JVM zone, verbatim', async () => {
    const settings = {
      host: emulator.host,
      port: emulator.port,
      user: 'root',
      password: '',
      connectTimeoutMs: 2000,
      statementTimeoutMs: 2000,
    };
    const job = await withStarRocksClientSession(settings, async (client) => {
      await client.submitBackup({
        database: 'sales',
        label: 'snap',
        repository: 's3_repo',
        timeoutSeconds: 3600,
      });
      clock.advance(60_000);
      return client.showBackup('sales');
    });
    const snapshot = await withStarRocksClientSession(settings, (client) =>
      client.showSnapshot('s3_repo', 'snap'),
    );

    // SHOW BACKUP follows the session zone the client pinned (TimeUtils.longToTimeString), not New York's.
    expect(job?.createTime).toBe('2026-11-24 18:00:00');
    // SHOW SNAPSHOT's Timestamp follows the JVM (Repository.jobInfoFileNameWithTimestamp): Shanghai, UTC+8.
    expect(snapshot?.timestamps).toEqual(['2026-11-25-02-00-00-000']);
    expect(emulator.statements.filter((entry) => entry.sql === "SET time_zone = '+00:00'")).toHaveLength(2);
  });
});
