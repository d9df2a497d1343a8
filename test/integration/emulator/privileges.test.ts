import type mysql from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  type EmulatorHandle,
  type ProfileId,
  startEmulator,
} from '#local/emulator/index.ts';
import { connect, rows, sqlError, testScenario } from './helpers.ts';

const USERS = [
  { name: 'root', password: '' },
  { name: 'no_repo', password: '', privileges: { export: 'all' as const } },
  { name: 'sales_only', password: '', privileges: { repository: true, export: ['sales'] } },
  { name: 'orders_only', password: '', privileges: { repository: true, export: ['sales.orders'] } },
  { name: 'with_role', password: '', roles: ['backup_operator', 'auditor'], privileges: {} },
  { name: 'all_rights', password: '' },
];

/** The text of a missing privilege on each profile (PrivilegeCheckerV2 and AccessDeniedException). */
function denied(profile: ProfileId, privilege: string, on: string, user: string): string {
  if (profile === '3.3') {
    return on === 'SYSTEM'
      ? `Access denied; you need (at least one of) the ${privilege} privilege(s) for this operation`
      : `${privilege} command denied to user '${user}'@'127.0.0.1' for table '${on.replace(/^TABLE /, '')}'`;
  }
  return (
    `Access denied; you need (at least one of) the ${privilege} privilege(s) on ${on} for this operation. ` +
    'Please ask the admin to grant permission(s) or try activating existing roles using <set [default] role>. ' +
    'Current role(s): NONE. Inactivated role(s): NONE.'
  );
}

describe.each(['3.3', '3.4', '3.5', '4.2'] as const)('privileges on the %s profile', (profile) => {
  let emulator: EmulatorHandle;
  const sessions: mysql.Connection[] = [];
  const as = async (user: string): Promise<mysql.Connection> => {
    const session = await connect(emulator, { user });
    sessions.push(session);
    return session;
  };
  // 3.3 and 3.4 send every statement error as 1064/HY000; the 3.5 and 4.2 profiles send ERR_ACCESS_DENIED's code.
  const wire = (message: string) =>
    profile === '3.3' || profile === '3.4'
      ? { errno: 1064, sqlState: 'HY000', message }
      : { errno: 5203, sqlState: '42000', message };

  beforeEach(async () => {
    emulator = await startEmulator({
      clock: createManualClock(),
      scenario: testScenario({ version: profile, users: USERS }),
    });
  });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.end()));
    await emulator.close();
  });

  it('refuses BACKUP, RESTORE, SHOW/CANCEL BACKUP and RESTORE, SHOW SNAPSHOT without REPOSITORY', async () => {
    // Prepare
    const session = await as('no_repo');
    const message = denied(profile, 'REPOSITORY', 'SYSTEM', 'no_repo');

    // Act
    const errors = await Promise.all([
      sqlError(session, 'BACKUP SNAPSHOT sales.s1 TO repo'),
      sqlError(session, 'SHOW BACKUP FROM sales'),
      sqlError(session, 'CANCEL BACKUP FROM sales'),
      sqlError(session, 'SHOW SNAPSHOT ON repo'),
      sqlError(session, "RESTORE SNAPSHOT sales.s1 FROM repo PROPERTIES ('backup_timestamp' = 't')"),
      sqlError(session, 'SHOW RESTORE'),
      sqlError(session, 'CANCEL RESTORE FROM sales'),
    ]);

    // Assess
    for (const error of errors) expect(error).toEqual(wire(message));
  });

  it('reports analyzer errors before a missing privilege', async () => {
    // Prepare
    const session = await as('no_repo');

    // Act
    const error = await sqlError(session, 'BACKUP SNAPSHOT nowhere.s1 TO repo');

    // Assess
    expect(error.message).toBe("Unknown database 'nowhere'");
  });

  it('refuses BACKUP of a table without EXPORT, naming the first table in name order', async () => {
    // Prepare
    const session = await as('orders_only');

    // Act
    const whole = await sqlError(session, 'BACKUP SNAPSHOT sales.s1 TO repo');
    await session.query('BACKUP SNAPSHOT sales.s2 TO repo ON (orders)');

    // Assess
    expect(whole).toEqual(wire(denied(profile, 'EXPORT', 'TABLE customers', 'orders_only')));
    expect(emulator.state.latestJob('sales')).toMatchObject({ label: 's2' });
  });

  it('empties all of SHOW BACKUP when any listed job has a table the user may not EXPORT', async () => {
    // Prepare
    const root = await as('root');
    await root.query('BACKUP SNAPSHOT sales.s1 TO repo');
    await root.query('BACKUP SNAPSHOT mixed.s2 TO repo ON (facts)');
    const session = await as('sales_only');

    // Act
    const everything = await rows(session, 'SHOW BACKUP');
    const sales = await rows(session, 'SHOW BACKUP FROM sales');
    const all = await rows(root, 'SHOW BACKUP');

    // Assess
    expect(everything).toEqual([]);
    expect(sales.map((row) => row.SnapshotName)).toEqual(['s1']);
    expect(all.map((row) => row.SnapshotName)).toEqual(['s1', 's2']);
  });

  it('needs EXPORT on the running job tables to cancel it', async () => {
    // Prepare
    const root = await as('root');
    await root.query('BACKUP SNAPSHOT mixed.s1 TO repo ON (facts)');
    const session = await as('sales_only');

    // Act
    const error = await sqlError(session, 'CANCEL BACKUP FROM mixed');

    // Assess
    expect(error).toEqual(wire(denied(profile, 'EXPORT', 'TABLE facts', 'sales_only')));
    expect(emulator.state.latestJob('mixed')?.state).toBe('PENDING');
  });

  it('lists repositories for anyone (AuthorizerStmtVisitor has no check for SHOW REPOSITORIES)', async () => {
    // Prepare
    const session = await as('with_role');

    // Act
    const repositories = await rows(session, 'SHOW REPOSITORIES');

    // Assess
    expect(repositories.map((row) => row.RepoName)).toEqual(['repo', 'archive']);
  });

  it('names the active roles in the access-denied text', async () => {
    // Prepare
    const session = await as('with_role');

    // Act
    const error = await sqlError(session, 'SHOW SNAPSHOT ON repo');

    // Assess
    expect(error.message).toBe(
      profile === '3.3'
        ? 'Access denied; you need (at least one of) the REPOSITORY privilege(s) for this operation'
        : denied(profile, 'REPOSITORY', 'SYSTEM', 'with_role').replace(
            'Current role(s): NONE',
            'Current role(s): [backup_operator, auditor]',
          ),
    );
  });

  it('lets root and users without a privilege list do everything', async () => {
    // Prepare
    const session = await as('all_rights');

    // Act
    await session.query('BACKUP SNAPSHOT sales.s1 TO repo');
    const backups = await rows(session, 'SHOW BACKUP FROM sales');

    // Assess
    expect(backups).toHaveLength(1);
  });
});
