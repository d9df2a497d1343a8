import { describe, expect, it } from 'vitest';
import { InvalidIdentifierError } from '#domain/errors.ts';
import {
  buildBackupStatement,
  buildCancelBackupStatement,
  buildCancelRestoreStatement,
  buildCountRowsStatement,
  buildCreateDatabaseStatement,
  buildCurrentVersionStatement,
  buildDropDatabaseStatement,
  buildDropSnapshotStatement,
  buildGrantExportStatement,
  buildGrantRepositoryStatement,
  buildListTablesStatement,
  buildRestoreStatement,
  buildRunModeStatement,
  buildShowBackupStatement,
  buildShowDatabasesStatement,
  buildShowDataStatement,
  buildShowProcStatement,
  buildShowRepositoriesStatement,
  buildShowRestoreStatement,
  buildShowSnapshotDetailStatement,
  buildShowSnapshotStatement,
  buildShowSnapshotsStatement,
  buildUseDatabaseStatement,
} from '#domain/starrocks/statements.ts';

const v33 = { major: 3, minor: 3 };
const v34 = { major: 3, minor: 4 };
const base = { database: 'sales', label: 'nightly_sales_x', repository: 's3_repo', timeoutSeconds: 88200 };

describe('buildBackupStatement', () => {
  it('names the database as db.label on 3.3 for a whole-database backup', () => {
    expect(buildBackupStatement({ ...base, version: v33 })).toEqual({
      kind: 'BACKUP',
      sql: 'BACKUP SNAPSHOT `sales`.`nightly_sales_x` TO `s3_repo` PROPERTIES ("timeout" = "88200")',
    });
  });

  it('uses the 3.4 DATABASE clause on 3.4 and later', () => {
    expect(buildBackupStatement({ ...base, version: v34, type: 'FULL' }).sql).toBe(
      'BACKUP DATABASE `sales` SNAPSHOT `nightly_sales_x` TO `s3_repo` PROPERTIES ("type" = "FULL", "timeout" = "88200")',
    );
  });

  it('lists tables and partitions in ON, quoted', () => {
    const sql = buildBackupStatement({
      ...base,
      version: v33,
      tables: ['orders', { name: 'odd`name', partitions: ['p1', 'p 2'] }],
    }).sql;
    expect(sql).toBe(
      'BACKUP SNAPSHOT `sales`.`nightly_sales_x` TO `s3_repo` ON (`orders`, `odd``name` PARTITION (`p1`, `p 2`)) PROPERTIES ("timeout" = "88200")',
    );
  });

  it('marks ON objects with TABLE in the 3.4 grammar', () => {
    const sql = buildBackupStatement({ ...base, version: v34, tables: ['orders'] }).sql;
    expect(sql).toContain('ON (TABLE `orders`)');
  });

  it('refuses an empty table list rather than backing up nothing', () => {
    expect(() => buildBackupStatement({ ...base, version: v33, tables: [] })).toThrow(RangeError);
  });

  it('refuses a timeout below 600 s or with a fraction', () => {
    expect(() => buildBackupStatement({ ...base, version: v33, timeoutSeconds: 599 })).toThrow(RangeError);
    expect(() => buildBackupStatement({ ...base, version: v33, timeoutSeconds: 600.5 })).toThrow(RangeError);
  });

  it('refuses an impossible database, repository or table name before building any SQL', () => {
    expect(() => buildBackupStatement({ ...base, version: v33, database: 'a.b' })).toThrow(
      InvalidIdentifierError,
    );
    expect(() => buildBackupStatement({ ...base, version: v33, repository: 'r-1' })).toThrow(
      InvalidIdentifierError,
    );
    expect(() => buildBackupStatement({ ...base, version: v33, tables: ['x\u0000'] })).toThrow(
      InvalidIdentifierError,
    );
  });
});

describe('other statements', () => {
  it('builds SHOW BACKUP and CANCEL BACKUP FROM the quoted database', () => {
    expect(buildShowBackupStatement('a-b')).toEqual({ kind: 'SHOW BACKUP', sql: 'SHOW BACKUP FROM `a-b`' });
    expect(buildCancelBackupStatement('sales')).toEqual({
      kind: 'CANCEL BACKUP',
      sql: 'CANCEL BACKUP FROM `sales`',
    });
  });

  it('builds both SHOW SNAPSHOT forms with escaped literals', () => {
    expect(buildShowSnapshotStatement('repo', "it's").sql).toBe(
      "SHOW SNAPSHOT ON `repo` WHERE SNAPSHOT = 'it\\'s'",
    );
    expect(buildShowSnapshotDetailStatement('repo', 'lbl', '2023-02-07-14-45-53-143')).toEqual({
      kind: 'SHOW SNAPSHOT',
      sql: "SHOW SNAPSHOT ON `repo` WHERE SNAPSHOT = 'lbl' AND TIMESTAMP = '2023-02-07-14-45-53-143'",
    });
  });

  it('sends the exact information_schema listing the emulator implements', () => {
    expect(buildListTablesStatement('sales')).toEqual({
      kind: 'LIST TABLES',
      sql: "SELECT TABLE_NAME AS table_name, TABLE_TYPE AS table_type, ENGINE AS engine FROM information_schema.tables WHERE TABLE_SCHEMA = 'sales'",
    });
  });

  it('builds the fixed statements', () => {
    expect(buildShowDatabasesStatement().sql).toBe('SHOW DATABASES');
    expect(buildUseDatabaseStatement('sales').sql).toBe('USE `sales`');
    expect(buildShowDataStatement().sql).toBe('SHOW DATA');
    expect(buildShowRepositoriesStatement().sql).toBe('SHOW REPOSITORIES');
    expect(buildCurrentVersionStatement()).toEqual({
      kind: 'CURRENT VERSION',
      sql: 'SELECT current_version()',
    });
  });
});

describe('buildRestoreStatement', () => {
  const restore = {
    database: 'sales',
    label: 'nightly_sales_x',
    repository: 's3_repo',
    snapshotTimestamp: '2026-11-24-18-00-04-143',
    timeoutSeconds: 3600,
  };

  it('names the target database as db.label on 3.3, with the timestamp as a quoted literal', () => {
    expect(buildRestoreStatement({ ...restore, asDatabase: 'drill_sales', version: v33 })).toEqual({
      kind: 'RESTORE',
      sql:
        'RESTORE SNAPSHOT `drill_sales`.`nightly_sales_x` FROM `s3_repo` ' +
        'PROPERTIES ("backup_timestamp" = \'2026-11-24-18-00-04-143\', "timeout" = "3600")',
    });
  });

  it('uses DATABASE source AS target from 3.4, with typed ON objects, aliases and replicas', () => {
    const sql = buildRestoreStatement({
      ...restore,
      asDatabase: 'drill_sales',
      tables: ['orders', { name: 'odd`name', partitions: ['p1'], alias: 'copy' }],
      replicationNum: 1,
      version: v34,
    }).sql;
    expect(sql).toBe(
      'RESTORE SNAPSHOT `nightly_sales_x` FROM `s3_repo` DATABASE `sales` AS `drill_sales` ' +
        'ON (TABLE `orders`, TABLE `odd``name` PARTITION (`p1`) AS `copy`) ' +
        'PROPERTIES ("backup_timestamp" = \'2026-11-24-18-00-04-143\', "timeout" = "3600", "replication_num" = "1")',
    );
  });

  it('restores into the snapshot database when no target is given', () => {
    expect(buildRestoreStatement({ ...restore, version: v33 }).sql).toMatch(
      /^RESTORE SNAPSHOT `sales`\.`nightly_sales_x` FROM `s3_repo` PROPERTIES/,
    );
    expect(buildRestoreStatement({ ...restore, version: v34 }).sql).toMatch(
      /^RESTORE SNAPSHOT `nightly_sales_x` FROM `s3_repo` DATABASE `sales` PROPERTIES/,
    );
  });

  it.each([
    [{ snapshotTimestamp: "2026-11-24' OR '1" }, RangeError],
    [{ snapshotTimestamp: '' }, RangeError],
    [{ timeoutSeconds: 599 }, RangeError],
    [{ replicationNum: 0 }, RangeError],
    [{ tables: [] }, RangeError],
    [{ asDatabase: 'drill sales' }, InvalidIdentifierError],
    [{ repository: 'repo-1' }, InvalidIdentifierError],
  ])('refuses %j before building any SQL', (change, ErrorClass) => {
    expect(() => buildRestoreStatement({ ...restore, ...change, version: v34 })).toThrow(ErrorClass);
  });

  it('accepts the seconds-only timestamps older FEs wrote', () => {
    expect(
      buildRestoreStatement({ ...restore, snapshotTimestamp: '2018-05-04-16-45-08', version: v33 }).sql,
    ).toContain("'2018-05-04-16-45-08'");
  });
});

describe('restore, pruning and drill statements', () => {
  it('builds SHOW RESTORE and CANCEL RESTORE FROM the quoted database', () => {
    expect(buildShowRestoreStatement('sa#les')).toEqual({
      kind: 'SHOW RESTORE',
      sql: 'SHOW RESTORE FROM `sa#les`',
    });
    expect(buildCancelRestoreStatement('sales')).toEqual({
      kind: 'CANCEL RESTORE',
      sql: 'CANCEL RESTORE FROM `sales`',
    });
  });

  it('builds DROP SNAPSHOT with and without FORCE', () => {
    expect(buildDropSnapshotStatement('s3_repo', 'snap;1').sql).toBe('DROP SNAPSHOT `snap;1` ON `s3_repo`');
    expect(buildDropSnapshotStatement('s3_repo', 'snap', { force: true }).sql).toBe(
      'DROP SNAPSHOT `snap` ON `s3_repo` FORCE',
    );
  });

  it('builds CREATE DATABASE, and DROP DATABASE always with IF EXISTS', () => {
    expect(buildCreateDatabaseStatement('drill_1').sql).toBe('CREATE DATABASE `drill_1`');
    expect(buildCreateDatabaseStatement('drill_1', { ifNotExists: true }).sql).toBe(
      'CREATE DATABASE IF NOT EXISTS `drill_1`',
    );
    expect(buildDropDatabaseStatement('drill_1').sql).toBe('DROP DATABASE IF EXISTS `drill_1`');
    expect(buildDropDatabaseStatement('drill_1', { force: true }).sql).toBe(
      'DROP DATABASE IF EXISTS `drill_1` FORCE',
    );
    expect(() => buildDropDatabaseStatement('drill 1')).toThrow(InvalidIdentifierError);
  });

  it('counts the rows of a quoted table and asks for run_mode', () => {
    expect(buildCountRowsStatement('sales', 'order`s')).toEqual({
      kind: 'COUNT ROWS',
      sql: 'SELECT COUNT(*) AS row_count FROM `sales`.`order``s`',
    });
    expect(buildRunModeStatement()).toEqual({
      kind: 'SHOW FRONTEND CONFIG',
      sql: "ADMIN SHOW FRONTEND CONFIG LIKE 'run_mode'",
    });
  });
});

describe('statements written into hints for a person to run', () => {
  it('grants REPOSITORY and EXPORT to a quoted user identity', () => {
    expect(buildGrantRepositoryStatement('backup')).toEqual({
      kind: 'GRANT',
      sql: "GRANT REPOSITORY ON SYSTEM TO USER 'backup'@'%'",
    });
    expect(buildGrantExportStatement('sales-eu', "o'brien").sql).toBe(
      "GRANT EXPORT ON ALL TABLES IN DATABASE `sales-eu` TO USER 'o\\'brien'@'%'",
    );
    expect(() => buildGrantExportStatement('sales eu', 'backup')).toThrow(InvalidIdentifierError);
  });

  it('lists every snapshot of a repository and reads a PROC path', () => {
    expect(buildShowSnapshotsStatement('s3_repo').sql).toBe('SHOW SNAPSHOT ON `s3_repo`');
    expect(buildShowProcStatement('/statistic')).toEqual({
      kind: 'SHOW PROC',
      sql: "SHOW PROC '/statistic'",
    });
    expect(() => buildShowProcStatement('statistic')).toThrow(RangeError);
  });
});
