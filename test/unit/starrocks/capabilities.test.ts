import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CAPABILITY_TABLE,
  capabilitiesOf,
  type StarRocksCapabilities,
  SUPPORTED_LINES,
} from '#domain/starrocks/version.ts';

const v = (text: string) => {
  const [major = 0, minor = 0, patch = 0] = text.split('.').map(Number);
  return { major, minor, patch };
};

/** The capability at each supported line's first patch (and the lines around it). */
function across<K extends keyof StarRocksCapabilities>(capability: K, versions: readonly string[]) {
  return Object.fromEntries(versions.map((version) => [version, capabilitiesOf(v(version))[capability]]));
}

describe('the capability table (lambdas/domain/starrocks/version.ts), one test per row', () => {
  it('SHOW BACKUP lists every database from 3.0 (PR #17528)', () => {
    expect(across('showBackupListsAllDbs', ['2.5', '3.0', '4.1'])).toEqual({
      '2.5': false,
      '3.0': true,
      '4.1': true,
    });
  });

  it('list-partitioned tables: none on 3.0, patch-dependent on 3.1–3.3 (PR #27551, PR #51993), accepted from 3.4', () => {
    expect(across('listPartitionBackup', ['3.0', '3.1', '3.2', '3.3', '3.4', '4.1'])).toEqual({
      '3.0': 'absent',
      '3.1': 'patch-dependent',
      '3.2': 'patch-dependent',
      '3.3': 'patch-dependent',
      '3.4': 'supported',
      '4.1': 'supported',
    });
  });

  it('materialized views are backed up from 3.2 (PR #29164, not backported to 3.1)', () => {
    expect(across('backsUpMaterializedViews', ['3.0', '3.1', '3.2', '3.3'])).toEqual({
      '3.0': false,
      '3.1': false,
      '3.2': true,
      '3.3': true,
    });
  });

  it('views are backed up from 3.4 (PR #52729)', () => {
    expect(across('backsUpViews', ['3.3', '3.4', '4.0'])).toEqual({ '3.3': false, '3.4': true, '4.0': true });
  });

  it('UDFs (and external-catalog metadata) are backed up from 3.4 (PR #52729)', () => {
    expect(across('backsUpFunctions', ['3.3', '3.4'])).toEqual({ '3.3': false, '3.4': true });
  });

  it('the BACKUP DATABASE grammar with typed ON objects from 3.4 (PR #52729)', () => {
    expect(across('newBackupSyntax', ['3.3', '3.4', '4.1'])).toEqual({
      '3.3': false,
      '3.4': true,
      '4.1': true,
    });
  });

  it('BackupHandler refuses with "is not a OLAP table" up to 3.3 and "can not support backup restore" from 3.4', () => {
    expect(across('unsupportedTableText', ['3.3', '3.4'])).toEqual({
      '3.3': 'not-olap-table',
      '3.4': 'can-not-support-backup-restore',
    });
  });

  it('TLS on the MySQL port from 3.4.1 (PR #54877)', () => {
    expect(across('mysqlTls', ['3.3.9', '3.4.0', '3.4.1'])).toEqual({
      '3.3.9': false,
      '3.4.0': false,
      '3.4.1': true,
    });
  });

  it('automated Cluster Snapshots from 3.4.2, their interval by statement from 4.1 (PR #67525)', () => {
    expect(across('clusterSnapshot', ['3.4.1', '3.4.2', '4.0', '4.1'])).toEqual({
      '3.4.1': 'none',
      '3.4.2': 'automated',
      '4.0': 'automated',
      '4.1': 'automated-with-interval',
    });
  });

  it('DROP SNAPSHOT and the ttl property only on the 4.2 development line (PR #78092)', () => {
    expect(across('dropSnapshot', ['4.1', '4.2'])).toEqual({ '4.1': false, '4.2': true });
  });

  it('information_schema.partitions_meta from 3.1.9, 3.2.4 and 3.3.0, never on 3.0 (PR #39265)', () => {
    expect(
      across('partitionsMeta', ['3.0.9', '3.1.8', '3.1.9', '3.2.3', '3.2.4', '3.3.0', '3.4', '4.1']),
    ).toEqual({
      '3.0.9': false,
      '3.1.8': false,
      '3.1.9': true,
      '3.2.3': false,
      '3.2.4': true,
      '3.3.0': true,
      '3.4': true,
      '4.1': true,
    });
  });

  it('has a test above for every row, and every row cites its StarRocks source', () => {
    const tested = [
      'showBackupListsAllDbs',
      'listPartitionBackup',
      'backsUpMaterializedViews',
      'backsUpViews',
      'backsUpFunctions',
      'newBackupSyntax',
      'unsupportedTableText',
      'mysqlTls',
      'clusterSnapshot',
      'dropSnapshot',
      'partitionsMeta',
    ];
    expect(CAPABILITY_TABLE.map((row) => row.capability).sort()).toEqual([...tested].sort());
    for (const row of CAPABILITY_TABLE) expect(row.source).toMatch(/PR #\d+|\.java/);
  });

  it("is the README's version table: every row and every supported line appear there", () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const row of CAPABILITY_TABLE) {
      expect(readme, row.capability).toContain(`\`${row.capability}\``);
      for (const pr of row.source.match(/PR #\d+/g) ?? [])
        expect(readme, `${row.capability} ${pr}`).toContain(pr);
    }
    for (const line of SUPPORTED_LINES) expect(readme).toContain(line);
  });
});
