import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BackupAlreadyRunningError,
  BackupSubmitBusyError,
  EmptyDatabaseError,
  InvalidIdentifierError,
  SnapshotLabelExistsError,
  StarRocksAuthError,
  StarRocksSqlError,
  StarRocksTimeoutError,
  StarRocksUnavailableError,
  UnknownDatabaseError,
  UnknownRepositoryError,
  UnsupportedObjectError,
} from '#domain/errors.ts';
import {
  createStarRocksClient,
  type StarRocksClient,
  withStarRocksClientSession,
} from '#domain/starrocks/client.ts';
import { parseStarRocksVersion } from '#domain/starrocks/version.ts';
import {
  createManualClock,
  type EmulatorHandle,
  type ManualClock,
  type ProfileId,
  startEmulator,
} from '#local/emulator/index.ts';
import {
  type CountingProxy,
  closedPort,
  PASSWORD,
  scenarioFor,
  settingsFor,
  startCountingProxy,
  statementsSince,
} from './support.ts';

const PROFILES: readonly ProfileId[] = ['3.3', '3.4', '3.5'];
const BACKUP_DURATION_MS = 60_000;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe.each(PROFILES)('StarRocks client against the %s emulator', (version) => {
  let clock: ManualClock;
  let emulator: EmulatorHandle;
  let proxy: CountingProxy;
  let client: StarRocksClient;

  beforeEach(async () => {
    clock = createManualClock();
    emulator = await startEmulator({ scenario: scenarioFor(version), clock });
    proxy = await startCountingProxy(emulator);
    client = createStarRocksClient(settingsFor(proxy));
  });

  afterEach(async () => {
    await proxy.close();
    await emulator.close();
  });

  describe('reads', () => {
    it('reads the FE version from current_version()', async () => {
      const found = await client.currentVersion();
      const { major, minor, patch } = parseStarRocksVersion(emulator.state.profile.version);
      expect(found).toMatchObject({ major, minor, patch });
      expect(found.raw).toContain(emulator.state.profile.commit);
    });

    it('lists every database', async () => {
      const databases = await client.showDatabases();
      expect(databases).toEqual(expect.arrayContaining(['sales', 'with_view', 'mixed', 'empty_db']));
    });

    it('tells OLAP tables, views, materialized views and external tables apart', async () => {
      const tables = await client.listTables('mixed');
      const kinds = Object.fromEntries(tables.map((table) => [table.name, table.kind]));
      expect(kinds).toEqual({
        facts: 'OLAP',
        v_facts: 'VIEW',
        mv_facts: 'MATERIALIZED_VIEW',
        ext_facts: 'EXTERNAL',
      });
    });

    it('returns no tables for an empty database', async () => {
      expect(await client.listTables('empty_db')).toEqual([]);
    });

    it('reads SHOW DATA sizes in bytes and counts the tables', async () => {
      const data = await client.showData('sales');
      expect(data.tableCount).toBe(2);
      const orders = data.tables.find((table) => table.tableName === 'orders');
      expect(Math.abs((orders?.sizeBytes ?? 0) - 1_433)).toBeLessThanOrEqual(1);
      expect(Math.abs(data.totalBytes - (1_433 + 5 * 1024 ** 2))).toBeLessThanOrEqual(0.001 * 5 * 1024 ** 2);
    });

    it('lists repositories with their read-only flag', async () => {
      const repositories = await client.showRepositories();
      expect(repositories.map((repository) => [repository.name, repository.readOnly])).toEqual(
        expect.arrayContaining([
          ['repo', false],
          ['archive', true],
        ]),
      );
      expect(repositories.find((repository) => repository.name === 'repo')?.location).toBe(
        's3a://bucket/backups',
      );
    });
  });

  describe('backup lifecycle', () => {
    it('submits a whole-database backup in the grammar of the version', async () => {
      const from = emulator.statements.length;
      const submitted = await client.submitBackup({
        database: 'sales',
        label: 'nightly_sales_1',
        repository: 'repo',
        timeoutSeconds: 3_600,
      });
      expect(submitted.version.raw).toContain(emulator.state.profile.version);
      const backup = statementsSince(emulator, from).find((sql) => sql.startsWith('BACKUP'));
      expect(backup).toBe(
        submitted.version.minor >= 4
          ? 'BACKUP DATABASE `sales` SNAPSHOT `nightly_sales_1` TO `repo` PROPERTIES ("timeout" = "3600")'
          : 'BACKUP SNAPSHOT `sales`.`nightly_sales_1` TO `repo` PROPERTIES ("timeout" = "3600")',
      );
    });

    it('follows a job from running to FINISHED and finds its snapshot, with the database in the detail form', async () => {
      await client.submitBackup({
        database: 'sales',
        label: 'nightly_sales_2',
        repository: 'repo',
        timeoutSeconds: 3_600,
      });
      const running = await client.showBackup('sales');
      expect(running?.snapshotName).toBe('nightly_sales_2');
      expect(running?.dbName).toBe('sales');
      expect([
        'PENDING',
        'SNAPSHOTING',
        'UPLOAD_SNAPSHOT',
        'UPLOADING',
        'SAVE_META',
        'UPLOAD_INFO',
      ]).toContain(running?.state);
      expect(running?.timeoutSeconds).toBe(3_600);

      clock.advance(BACKUP_DURATION_MS + 10_000);
      const finished = await client.showBackup('sales');
      expect(finished?.state).toBe('FINISHED');
      expect(finished?.status.code).toBe('OK');
      expect(finished?.finishedTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

      const snapshot = await client.showSnapshot('repo', 'nightly_sales_2');
      expect(snapshot?.ok).toBe(true);
      expect(snapshot?.timestamps).toHaveLength(1);
      const timestamp = snapshot?.timestamps[0] ?? '';
      expect(timestamp).toMatch(/^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}$/);
      const detail = await client.showSnapshotDetail('repo', 'nightly_sales_2', timestamp);
      expect(detail?.database).toBe('sales');
      expect(detail?.ok).toBe(true);
    });

    it('returns null from showBackup when the database has never run a backup', async () => {
      expect(await client.showBackup('sales')).toBeNull();
    });

    it('reports a label without a snapshot as missing or not OK', async () => {
      const snapshot = await client.showSnapshot('repo', 'never_taken');
      expect(snapshot === null || snapshot.ok === false).toBe(true);
    });

    it('backs up only the named OLAP tables with ON, on every version', async () => {
      const from = emulator.statements.length;
      await client.submitBackup({
        database: 'mixed',
        label: 'only_facts',
        repository: 'repo',
        tables: ['facts'],
        timeoutSeconds: 3_600,
        type: 'FULL',
      });
      expect(statementsSince(emulator, from).some((sql) => sql.includes('ON ('))).toBe(true);
      expect((await client.showBackup('mixed'))?.backupObjs).toContain('facts');
    });

    it('reads the version once per submit when the caller does not give it', async () => {
      const from = emulator.statements.length;
      const version = await client.currentVersion();
      await client.submitBackup({
        database: 'sales',
        label: 'given_version',
        repository: 'repo',
        timeoutSeconds: 600,
        version,
      });
      expect(statementsSince(emulator, from).filter((sql) => sql.includes('current_version')).length).toBe(1);
    });
  });

  describe('cancel', () => {
    it('says there is nothing to cancel when the database never ran a job', async () => {
      expect(await client.cancelBackup('sales')).toMatchObject({ outcome: 'no-running-job' });
    });

    it('cancels a running job, which then shows CANCELLED by the user', async () => {
      await client.submitBackup({
        database: 'sales',
        label: 'to_cancel',
        repository: 'repo',
        timeoutSeconds: 3_600,
      });
      expect(await client.cancelBackup('sales')).toEqual({ outcome: 'cancelled' });
      const job = await client.showBackup('sales');
      expect(job?.state).toBe('CANCELLED');
      expect(job?.status).toMatchObject({ code: 'COMMON_ERROR', msg: 'user cancelled' });
    });

    it('reports a job that already ended, with its state and label, as an answer', async () => {
      await client.submitBackup({
        database: 'sales',
        label: 'done_job',
        repository: 'repo',
        timeoutSeconds: 3_600,
      });
      clock.advance(BACKUP_DURATION_MS + 10_000);
      expect(await client.cancelBackup('sales')).toMatchObject({
        outcome: 'already-ended',
        state: 'FINISHED',
        label: 'done_job',
      });
      await client.submitBackup({
        database: 'sales',
        label: 'cancel_twice',
        repository: 'repo',
        timeoutSeconds: 3_600,
      });
      await client.cancelBackup('sales');
      expect(await client.cancelBackup('sales')).toMatchObject({
        outcome: 'already-ended',
        state: 'CANCELLED',
      });
    });
  });

  describe('typed errors', () => {
    it('refuses a second backup of a running database as BackupAlreadyRunningError', async () => {
      await client.submitBackup({
        database: 'sales',
        label: 'first',
        repository: 'repo',
        timeoutSeconds: 3_600,
      });
      const error = await rejection(
        client.submitBackup({
          database: 'sales',
          label: 'second',
          repository: 'repo',
          timeoutSeconds: 3_600,
        }),
      );
      expect(error).toBeInstanceOf(BackupAlreadyRunningError);
      expect(error.message).toContain('Can only run one backup or restore job of a database at same time');
      expect(error.message).toContain(`${proxy.host}:${proxy.port}`);
      expect(error.message).toContain('BACKUP');
    });

    it('recognises the already-running error wrapped as Unexpected exception', async () => {
      emulator.faults.rejectBackups('sales', 1, { wrapUnexpectedException: true });
      const error = await rejection(
        client.submitBackup({
          database: 'sales',
          label: 'wrapped',
          repository: 'repo',
          timeoutSeconds: 3_600,
        }),
      );
      expect(error).toBeInstanceOf(BackupAlreadyRunningError);
      expect(error.message).toContain('Unexpected exception: ');
    });

    it('raises BackupSubmitBusyError while another job is being submitted', async () => {
      emulator.faults.rejectBackups('sales', 1, { reason: 'being-submitted' });
      const error = await rejection(
        client.submitBackup({ database: 'sales', label: 'busy', repository: 'repo', timeoutSeconds: 3_600 }),
      );
      expect(error).toBeInstanceOf(BackupSubmitBusyError);
    });

    it('raises SnapshotLabelExistsError for a label already in the repository', async () => {
      await client.submitBackup({
        database: 'sales',
        label: 'reused',
        repository: 'repo',
        timeoutSeconds: 3_600,
      });
      clock.advance(BACKUP_DURATION_MS + 10_000);
      const error = await rejection(
        client.submitBackup({
          database: 'with_view',
          label: 'reused',
          repository: 'repo',
          timeoutSeconds: 3_600,
          tables: ['facts'],
        }),
      );
      expect(error).toBeInstanceOf(SnapshotLabelExistsError);
    });

    it('raises UnknownDatabaseError from BACKUP, SHOW BACKUP, CANCEL BACKUP and SHOW DATA', async () => {
      const calls = [
        () =>
          client.submitBackup({ database: 'nope', label: 'x', repository: 'repo', timeoutSeconds: 3_600 }),
        () => client.showBackup('nope'),
        () => client.cancelBackup('nope'),
        () => client.showData('nope'),
      ];
      for (const call of calls) {
        const error = await rejection(call());
        expect(error).toBeInstanceOf(UnknownDatabaseError);
        expect(error.message).toContain("'nope'");
      }
    });

    it('raises EmptyDatabaseError for a database without tables', async () => {
      const error = await rejection(
        client.submitBackup({ database: 'empty_db', label: 'x', repository: 'repo', timeoutSeconds: 3_600 }),
      );
      expect(error).toBeInstanceOf(EmptyDatabaseError);
    });

    it('raises UnknownRepositoryError for a missing or read-only repository', async () => {
      for (const repository of ['missing', 'archive']) {
        const error = await rejection(
          client.submitBackup({
            database: 'sales',
            label: `to_${repository}`,
            repository,
            timeoutSeconds: 3_600,
          }),
        );
        expect(error).toBeInstanceOf(UnknownRepositoryError);
      }
      expect(await rejection(client.showSnapshot('missing', 'x'))).toBeInstanceOf(UnknownRepositoryError);
    });

    it('fails a whole-database backup with a view on 3.3 and accepts it from 3.4', async () => {
      const attempt = client.submitBackup({
        database: 'with_view',
        label: 'views',
        repository: 'repo',
        timeoutSeconds: 3_600,
      });
      if (version === '3.3') {
        const error = await rejection(attempt);
        expect(error).toBeInstanceOf(UnsupportedObjectError);
        expect(error.message).toContain('is not a OLAP table');
      } else {
        await attempt;
        expect((await client.showBackup('with_view'))?.snapshotName).toBe('views');
      }
    });

    it('fails a whole-database backup holding an external table as UnsupportedObjectError', async () => {
      const error = await rejection(
        client.submitBackup({
          database: 'mixed',
          label: 'external',
          repository: 'repo',
          timeoutSeconds: 3_600,
        }),
      );
      expect(error).toBeInstanceOf(UnsupportedObjectError);
    });

    it('keeps any other refusal as StarRocksSqlError with its errno and SQLSTATE', async () => {
      const error = await rejection(
        client.submitBackup({
          database: 'sales',
          label: 'bad_partition',
          repository: 'repo',
          tables: [{ name: 'orders', partitions: ['p_missing'] }],
          timeoutSeconds: 3_600,
        }),
      );
      expect(error).toBeInstanceOf(StarRocksSqlError);
      expect((error as StarRocksSqlError).errno).toBeGreaterThan(0);
      expect((error as StarRocksSqlError).sqlState).toMatch(/^[0-9A-Z]{5}$/);
      expect(error.message).toContain('p_missing');
    });

    it('raises StarRocksAuthError for a wrong password without revealing either password', async () => {
      const wrong = 'Wrong-pa55word';
      const error = await rejection(
        createStarRocksClient(settingsFor(emulator, { password: wrong })).showDatabases(),
      );
      expect(error).toBeInstanceOf(StarRocksAuthError);
      expect(error.message).toContain(`${emulator.host}:${emulator.port}`);
      expect(error.message).not.toContain(wrong);
      expect(error.message).not.toContain(PASSWORD);
    });

    it('raises StarRocksAuthError when the FE refuses the login outright', async () => {
      emulator.faults.refuseLogins({ times: 1 });
      expect(await rejection(client.currentVersion())).toBeInstanceOf(StarRocksAuthError);
    });

    it('raises StarRocksUnavailableError when nothing listens on the port', async () => {
      const port = await closedPort();
      const error = await rejection(
        createStarRocksClient(settingsFor({ host: '127.0.0.1', port })).showDatabases(),
      );
      expect(error).toBeInstanceOf(StarRocksUnavailableError);
      expect(error.message).toContain(`127.0.0.1:${port}`);
      expect(error.message).toContain('ECONNREFUSED');
    });

    it('asks for TLS when configured and reports an FE without TLS as unavailable', async () => {
      const error = await rejection(
        createStarRocksClient(settingsFor(emulator, { tls: true })).showDatabases(),
      );
      expect(error).toBeInstanceOf(StarRocksUnavailableError);
      expect(error.message).toContain('does not offer TLS on its MySQL port');
    });

    it('raises StarRocksUnavailableError when the FE drops the connection mid-statement', async () => {
      emulator.faults.dropConnectionOn('SHOW BACKUP');
      const error = await rejection(client.showBackup('sales'));
      expect(error).toBeInstanceOf(StarRocksUnavailableError);
      expect(error.message).toContain('SHOW BACKUP');
    });

    it('raises StarRocksTimeoutError when a statement outlives its timeout', async () => {
      emulator.faults.delayReplies('SHOW BACKUP', 1_000, { times: 1 });
      const impatient = createStarRocksClient(settingsFor(proxy, { statementTimeoutMs: 100 }));
      const error = await rejection(impatient.showBackup('sales'));
      expect(error).toBeInstanceOf(StarRocksTimeoutError);
      expect(error.message).toContain('SHOW BACKUP');
      await proxy.drained();
      expect(proxy.openConnections()).toBe(0);
    });
  });

  describe('connections', () => {
    it('opens one connection per call and closes it, on success and on error', async () => {
      await client.showDatabases();
      await rejection(client.showBackup('nope'));
      await proxy.drained();
      expect(proxy.acceptedConnections()).toBe(2);
      expect(proxy.openConnections()).toBe(0);
    });

    it('shares one connection across the calls of a session and closes it after', async () => {
      const from = emulator.statements.length;
      await withStarRocksClientSession(settingsFor(proxy), async (session) => {
        await session.currentVersion();
        await session.showDatabases();
        await session.showBackup('sales');
      });
      await proxy.drained();
      const connectionIds = new Set(emulator.statements.slice(from).map((entry) => entry.connectionId));
      expect(connectionIds.size).toBe(1);
      expect(proxy.acceptedConnections()).toBe(1);
      expect(proxy.openConnections()).toBe(0);
    });

    it('closes the shared connection when the work of a session fails', async () => {
      const failure = await rejection(
        withStarRocksClientSession(settingsFor(proxy), async (session) => {
          await session.showDatabases();
          await session.showBackup('nope');
        }),
      );
      expect(failure).toBeInstanceOf(UnknownDatabaseError);
      await proxy.drained();
      expect(proxy.acceptedConnections()).toBe(1);
      expect(proxy.openConnections()).toBe(0);
    });

    it('sends nothing and opens no connection for a name that cannot be valid', async () => {
      const from = emulator.statements.length;
      expect(await rejection(client.showBackup('bad.name'))).toBeInstanceOf(InvalidIdentifierError);
      expect(
        await rejection(
          client.submitBackup({
            database: 'sales',
            label: 'x',
            repository: 'repo',
            tables: ['t\u0000'],
            timeoutSeconds: 600,
          }),
        ),
      ).toBeInstanceOf(InvalidIdentifierError);
      expect(emulator.statements.length).toBe(from);
      expect(proxy.acceptedConnections()).toBe(0);
    });
  });
});

describe('StarRocks client against wrapped error texts', () => {
  let emulator: EmulatorHandle;
  let client: StarRocksClient;

  beforeEach(async () => {
    emulator = await startEmulator({
      scenario: scenarioFor('3.3', { errors: { analyzerPrefix: true, unexpectedExceptionPrefix: true } }),
      clock: createManualClock(),
    });
    client = createStarRocksClient(settingsFor(emulator));
  });

  afterEach(async () => {
    await emulator.close();
  });

  it('classifies analyzer and execution errors through their wrappers', async () => {
    const unknownRepository = await rejection(
      client.submitBackup({ database: 'sales', label: 'x', repository: 'missing', timeoutSeconds: 600 }),
    );
    expect(unknownRepository).toBeInstanceOf(UnknownRepositoryError);
    const empty = await rejection(
      client.submitBackup({ database: 'empty_db', label: 'x', repository: 'repo', timeoutSeconds: 600 }),
    );
    expect(empty).toBeInstanceOf(EmptyDatabaseError);
    await client.submitBackup({ database: 'sales', label: 'a', repository: 'repo', timeoutSeconds: 600 });
    const running = await rejection(
      client.submitBackup({ database: 'sales', label: 'b', repository: 'repo', timeoutSeconds: 600 }),
    );
    expect(running).toBeInstanceOf(BackupAlreadyRunningError);
    expect([unknownRepository.message, empty.message, running.message].join('\n')).toMatch(
      /Getting analyzing error\. Detail message: |Unexpected exception: /,
    );
  });

  it('still reads "nothing to cancel" through the wrapper as an answer', async () => {
    expect(await client.cancelBackup('sales')).toMatchObject({ outcome: 'no-running-job' });
  });
});
