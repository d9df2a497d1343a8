import type mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  type EmulatorHandle,
  type EmulatorScenario,
  type ManualClock,
  startEmulator,
} from '#local/emulator/index.ts';
import { connect, rows, sqlError, testScenario } from './helpers.ts';

const CLUSTER_ID = 777;

let opened: { emulator: EmulatorHandle; connection: mysql.Connection; clock: ManualClock } | undefined;

async function start(overrides: Partial<EmulatorScenario> = {}) {
  const clock = createManualClock();
  const emulator = await startEmulator({
    clock,
    scenario: testScenario({
      version: '4.2',
      clusterId: CLUSTER_ID,
      snapshots: [
        { repository: 'repo', name: 'legacy', database: 'sales', createdAt: '2026-11-20T00:00:00Z' },
        {
          repository: 'repo',
          name: 'foreign',
          database: 'sales',
          createdAt: '2026-11-21T00:00:00Z',
          clusterId: 42,
        },
        {
          repository: 'repo',
          name: 'ours',
          database: 'sales',
          createdAt: '2026-11-22T00:00:00Z',
          clusterId: CLUSTER_ID,
        },
        { repository: 'repo', name: 'broken', database: 'sales', status: 'ERROR' },
      ],
      ...overrides,
    }),
  });
  opened = { emulator, connection: await connect(emulator), clock };
  return opened;
}

afterEach(async () => {
  await opened?.connection.end();
  await opened?.emulator.close();
  opened = undefined;
});

/** A 4.2 error text (BackupHandler.dropSnapshot on main); the typed profile sends ERR_COMMON_ERROR as 5064/42000. */
const common = (message: string) => ({ errno: 5064, sqlState: '42000', message });

describe('DROP SNAPSHOT', () => {
  it.each(['3.3', '3.4', '3.5'])('is a syntax error before 4.2 (%s)', async (version) => {
    // Prepare
    const { connection } = await start({ version, snapshots: [] });

    // Act
    const error = await sqlError(connection, 'DROP SNAPSHOT ours ON repo');

    // Assess
    expect(error.message).toMatch(
      /^Getting syntax error at line 1, column 5\. Detail message: Unexpected input 'SNAPSHOT', the most similar input is \{/,
    );
  });

  it('deletes a snapshot this cluster wrote, after which its label can be used again', async () => {
    // Prepare
    const { connection, clock, emulator } = await start();
    await connection.query('BACKUP SNAPSHOT sales.fresh TO repo');
    clock.advance(60_000);

    // Act
    await connection.query('DROP SNAPSHOT fresh ON repo');
    await connection.query('DROP SNAPSHOT `ours` ON `repo`');
    const listed = await rows(connection, 'SHOW SNAPSHOT ON repo');
    await connection.query('BACKUP SNAPSHOT sales.fresh TO repo');

    // Assess
    expect(listed.map((row) => row.Snapshot)).toEqual(['broken', 'foreign', 'legacy']);
    expect(emulator.state.latestJob('sales')).toMatchObject({ label: 'fresh', state: 'PENDING' });
  });

  it('refuses snapshots of other clusters or of unknown origin unless FORCE', async () => {
    // Prepare
    const { connection } = await start();

    // Act
    const legacy = await sqlError(connection, 'DROP SNAPSHOT legacy ON repo');
    const foreign = await sqlError(connection, 'DROP SNAPSHOT foreign ON repo');
    const broken = await sqlError(connection, 'DROP SNAPSHOT broken ON repo');
    await connection.query('DROP SNAPSHOT foreign ON repo FORCE');
    await connection.query('DROP SNAPSHOT broken ON repo FORCE');
    const listed = await rows(connection, 'SHOW SNAPSHOT ON repo');

    // Assess
    const suffix = `, and this cluster is ${CLUSTER_ID}. Use DROP SNAPSHOT ... FORCE to drop it anyway`;
    expect(legacy).toEqual(
      common(`Snapshot legacy in repository repo does not record which cluster created it${suffix}`),
    );
    expect(foreign).toEqual(common(`Snapshot foreign in repository repo was created by cluster 42${suffix}`));
    expect(broken).toEqual(
      common(`Snapshot broken in repository repo does not record which cluster created it${suffix}`),
    );
    expect(listed.map((row) => row.Snapshot)).toEqual(['legacy', 'ours']);
  });

  it('checks the repository, the listing and jobs that use the snapshot', async () => {
    // Prepare
    const { connection, clock } = await start({ defaultRestoreDurationMs: 60_000 });
    await connection.query('BACKUP SNAPSHOT sales.writing TO repo');
    await connection.query(
      "RESTORE SNAPSHOT ours FROM repo DATABASE sales AS drill PROPERTIES ('backup_timestamp' = '2026-11-22-00-00-00-000')",
    );

    // Act
    const repository = await sqlError(connection, 'DROP SNAPSHOT ours ON nope');
    const readOnly = await sqlError(connection, 'DROP SNAPSHOT ours ON archive');
    const beforeUpload = await sqlError(connection, 'DROP SNAPSHOT writing ON repo');
    clock.advance(3_000); // the 10 s backup uploads from 2.4 s on
    const reading = await sqlError(connection, 'DROP SNAPSHOT ours ON repo');
    const uploading = await sqlError(connection, 'DROP SNAPSHOT writing ON repo');

    // Assess
    expect(repository).toEqual(common('Repository does not exist: nope'));
    expect(readOnly).toEqual(common('Repository archive is read only'));
    expect(beforeUpload).toEqual(common('Snapshot does not exist in repository repo: writing'));
    expect(reading).toEqual(common('Can not drop snapshot ours: a restore is reading it'));
    expect(uploading).toEqual(common('Can not drop snapshot writing: a backup is writing it'));
  });

  it('needs the REPOSITORY privilege', async () => {
    // Prepare
    const { emulator } = await start({
      users: [
        { name: 'root', password: '' },
        { name: 'pruner', password: '', privileges: { export: 'all' } },
      ],
    });
    const session = await connect(emulator, { user: 'pruner' });

    // Act
    const error = await sqlError(session, 'DROP SNAPSHOT ours ON repo');
    await session.end();

    // Assess
    expect(error.errno).toBe(5203);
    expect(error.message).toMatch(
      /^Access denied; you need \(at least one of\) the REPOSITORY privilege\(s\) on SYSTEM/,
    );
  });
});
