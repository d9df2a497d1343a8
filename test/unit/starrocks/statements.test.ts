import { describe, expect, it } from 'vitest';
import { InvalidIdentifierError } from '../../../lambdas/shared/errors.ts';
import { backupTimeoutSeconds } from '../../../lambdas/starrocks/backup-timeout.ts';
import {
  buildBackupStatement,
  buildCancelBackupStatement,
  buildCurrentVersionStatement,
  buildListTablesStatement,
  buildShowBackupStatement,
  buildShowDatabasesStatement,
  buildShowDataStatement,
  buildShowRepositoriesStatement,
  buildShowSnapshotDetailStatement,
  buildShowSnapshotStatement,
  buildUseDatabaseStatement,
} from '../../../lambdas/starrocks/statements.ts';

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

describe('backupTimeoutSeconds', () => {
  it('adds the margin to our deadline', () => {
    expect(backupTimeoutSeconds({ deadlineSeconds: 86400, marginSeconds: 1800 })).toBe(88200);
  });

  it('never goes below StarRocks’ 600 s minimum', () => {
    expect(backupTimeoutSeconds({ deadlineSeconds: 60, marginSeconds: 0 })).toBe(600);
  });

  it('rounds up to whole seconds', () => {
    expect(backupTimeoutSeconds({ deadlineSeconds: 3600.2, marginSeconds: 0 })).toBe(3601);
  });

  it('uses a default margin when none is given', () => {
    expect(backupTimeoutSeconds({ deadlineSeconds: 3600 })).toBeGreaterThan(3600);
  });

  it('refuses a deadline that is not positive', () => {
    expect(() => backupTimeoutSeconds({ deadlineSeconds: 0 })).toThrow(RangeError);
  });
});
