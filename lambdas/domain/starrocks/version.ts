/**
 * StarRocks versions and what each can do.
 *
 * Supported: the released lines 3.0, 3.1, 3.2, 3.3, 3.4, 3.5, 4.0 and 4.1 (shared-nothing clusters for BACKUP;
 * shared-data clusters are watched through their automated Cluster Snapshots). 4.2 is StarRocks' development line:
 * its DROP SNAPSHOT is used when an FE reports it, but it is not a supported release. Other versions are parsed and
 * their capabilities computed the same way, but {@link isSupportedVersion} says no; callers decide whether to refuse.
 * The version comes from `SELECT current_version()` (`3.3.9 a1b2c3d`), never from `version()`, which answers the
 * MySQL-compatibility version.
 *
 * {@link CAPABILITY_TABLE} is the one place where a version difference is decided; each row names the StarRocks
 * pull request or source path it follows (paths in StarRocks/starrocks under `fe/fe-core/src/main/java/com/starrocks/`).
 */

/** A parsed `current_version()` answer. */
export interface StarRocksVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The answer as the FE gave it, e.g. `3.3.9 a1b2c3d` or `3.4.0-rc01 5f2e9d1`. */
  readonly raw: string;
}

/** A version as the capability table reads it (the patch matters for a few rows; 0 when unknown). */
export type VersionKey = Pick<StarRocksVersion, 'major' | 'minor'> & { readonly patch?: number };

/**
 * How BACKUP treats a list-partitioned table (explicit or automatic list partitioning):
 * - `absent`: the version has no list partitioning (3.0);
 * - `patch-dependent`: refused with `List partition table does not support backup/restore job` until the patch that
 *   carries PR #51993's backport (which patch that is, is not confirmed), accepted after it;
 * - `supported`: accepted.
 */
export type ListPartitionBackup = 'absent' | 'patch-dependent' | 'supported';

/** The text BACKUP refuses a table it cannot back up with. */
export type UnsupportedTableText = 'not-olap-table' | 'can-not-support-backup-restore';

/** Automated Cluster Snapshots of shared-data clusters. */
export type ClusterSnapshotSupport = 'none' | 'automated' | 'automated-with-interval';

/** What a version supports, as far as the scheduler cares. */
export interface StarRocksCapabilities {
  /** `SHOW BACKUP` without FROM lists every database's job. */
  readonly showBackupListsAllDbs: boolean;
  /** Asynchronous materialized views can be named in (and are part of) a backup. */
  readonly backsUpMaterializedViews: boolean;
  /** Logical views are part of a backup (a whole-database BACKUP fails on them before). */
  readonly backsUpViews: boolean;
  /** User-defined functions of the database are part of a whole-database backup. */
  readonly backsUpFunctions: boolean;
  /** The grammar `BACKUP DATABASE db SNAPSHOT label TO repo ...` with typed `ON (TABLE t, VIEW v, ...)` objects. */
  readonly newBackupSyntax: boolean;
  readonly listPartitionBackup: ListPartitionBackup;
  readonly unsupportedTableText: UnsupportedTableText;
  /** TLS on the MySQL port (with a keystore configured). */
  readonly mysqlTls: boolean;
  readonly clusterSnapshot: ClusterSnapshotSupport;
  /** `DROP SNAPSHOT` and BACKUP's `ttl` property. */
  readonly dropSnapshot: boolean;
  /** `information_schema.partitions_meta` exists (else partitions are read with SHOW PARTITIONS per table). */
  readonly partitionsMeta: boolean;
}

/** One row of the capability table: what differs, from which version, and the StarRocks source that says so. */
export interface CapabilityRow<K extends keyof StarRocksCapabilities = keyof StarRocksCapabilities> {
  readonly capability: K;
  /** What the row decides, in words (the README's table prints it). */
  readonly what: string;
  /** From which version, in words. */
  readonly since: string;
  /** The StarRocks pull request or source path the row follows. */
  readonly source: string;
  readonly valueFor: (version: Required<VersionKey>) => StarRocksCapabilities[K];
}

/** True when `version` is at least `major.minor[.patch]`. */
export function isAtLeast(version: VersionKey, major: number, minor: number, patch = 0): boolean {
  if (version.major !== major) return version.major > major;
  if (version.minor !== minor) return version.minor > minor;
  return (version.patch ?? 0) >= patch;
}

function row<K extends keyof StarRocksCapabilities>(entry: CapabilityRow<K>): CapabilityRow<K> {
  return entry;
}

/**
 * The capability table. A row per difference; the README's "Versions" table is this table (a test checks they
 * agree), and `test/unit/starrocks/capabilities.test.ts` has a test per row.
 */
export const CAPABILITY_TABLE = [
  row({
    capability: 'showBackupListsAllDbs',
    what: 'SHOW BACKUP without FROM lists every database',
    since: '3.0',
    source: 'PR #17528',
    valueFor: (v) => isAtLeast(v, 3, 0),
  }),
  row({
    capability: 'listPartitionBackup',
    what:
      'list-partitioned tables in BACKUP: refused (`List partition table does not support backup/restore job`, ' +
      'BackupRestoreAnalyzer.analyzeTableRef) on older patches, accepted on newer ones',
    since: 'no list partitioning on 3.0; 3.1–3.3 depend on the patch; 3.4+ accept',
    source: 'PR #27551 (refusal, backported to 3.0 and 3.1), PR #51993 (lifted, backported to 3.1, 3.2, 3.3)',
    valueFor: (v) => (isAtLeast(v, 3, 4) ? 'supported' : isAtLeast(v, 3, 1) ? 'patch-dependent' : 'absent'),
  }),
  row({
    capability: 'backsUpMaterializedViews',
    what: 'asynchronous materialized views are backed up (and may be named in ON (…))',
    since: '3.2',
    source: 'PR #29164 (not backported to 3.1 or 3.0)',
    valueFor: (v) => isAtLeast(v, 3, 2),
  }),
  row({
    capability: 'backsUpViews',
    what: 'logical views are backed up; before, a whole-database BACKUP holding one fails',
    since: '3.4',
    source: 'PR #52729 (backup/BackupHandler.java: Table.isSupportBackupRestore, isOlapView)',
    valueFor: (v) => isAtLeast(v, 3, 4),
  }),
  row({
    capability: 'backsUpFunctions',
    what: 'user-defined functions (and, with their own clause, external-catalog metadata) are backed up',
    since: '3.4',
    source: 'PR #52729 (sql/ast/AbstractBackupStmt.java BackupObjectType FUNCTION, EXTERNAL_CATALOG)',
    valueFor: (v) => isAtLeast(v, 3, 4),
  }),
  row({
    capability: 'newBackupSyntax',
    what: 'BACKUP DATABASE db SNAPSHOT label … with typed ON (TABLE …, MATERIALIZED VIEW …, VIEW …)',
    since: '3.4',
    source: 'PR #52729 (sql/parser/StarRocks.g4)',
    valueFor: (v) => isAtLeast(v, 3, 4),
  }),
  row({
    capability: 'unsupportedTableText',
    what:
      "how BACKUP refuses a table it cannot back up: `Table '<t>' is not a OLAP table` (ERR_NOT_OLAP_TABLE), " +
      'then `Table: <t> can not support backup restore, type: <TYPE>`',
    since: '3.4 (the second text)',
    source:
      'backup/BackupHandler.java backup() (isOlapTable check up to 3.3, isSupportBackupRestore from 3.4)',
    valueFor: (v) => (isAtLeast(v, 3, 4) ? 'can-not-support-backup-restore' : 'not-olap-table'),
  }),
  row({
    capability: 'mysqlTls',
    what: 'TLS on the MySQL port (with ssl_keystore_location set)',
    since: '3.4.1',
    source: 'PR #54877 (mysql/ssl/SSLChannelImp.java)',
    valueFor: (v) => isAtLeast(v, 3, 4, 1),
  }),
  row({
    capability: 'clusterSnapshot',
    what:
      'shared-data clusters: automated Cluster Snapshot (ADMIN SET AUTOMATED CLUSTER SNAPSHOT ON, ' +
      'information_schema.cluster_snapshots / cluster_snapshot_jobs), then its interval set by statement',
    since: '3.4.2 (automated), 4.1 (ADMIN ALTER AUTOMATED CLUSTER SNAPSHOT SET INTERVAL)',
    source:
      'catalog/system/information/ClusterSnapshotsTable.java, ClusterSnapshotJobsTable.java; PR #67525 (interval)',
    valueFor: (v) =>
      isAtLeast(v, 4, 1) ? 'automated-with-interval' : isAtLeast(v, 3, 4, 2) ? 'automated' : 'none',
  }),
  row({
    capability: 'dropSnapshot',
    what: 'DROP SNAPSHOT <name> ON <repo> [FORCE] and BACKUP\'s "ttl" property',
    since: '4.2 (development line; no release yet)',
    source: 'PR #78092 (backup/BackupHandler.dropSnapshot)',
    valueFor: (v) => isAtLeast(v, 4, 2),
  }),
  row({
    capability: 'partitionsMeta',
    what:
      'information_schema.partitions_meta (one query for every partition of a database, with its id and visible ' +
      'version); before, SHOW PARTITIONS per table',
    since: '3.1.9, 3.2.4, 3.3.0',
    source:
      'PR #39265, backports #41098 and #41101 (catalog/system/information/PartitionsMetaSystemTable.java; ' +
      'docs/research/differential-backups.md §4.1)',
    valueFor: (v) =>
      isAtLeast(v, 3, 3) ||
      (v.major === 3 && v.minor === 2 && v.patch >= 4) ||
      (v.major === 3 && v.minor === 1 && v.patch >= 9),
  }),
] as const satisfies readonly CapabilityRow[];

/** The released lines this project supports and tests, oldest first. */
export const SUPPORTED_LINES = ['3.0', '3.1', '3.2', '3.3', '3.4', '3.5', '4.0', '4.1'] as const;

/** The oldest and newest minor versions we test against and support. */
export const SUPPORTED_VERSION_RANGE = {
  oldest: { major: 3, minor: 0 },
  newest: { major: 4, minor: 1 },
} as const;

const VERSION_PATTERN = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/i;

/** Parses `current_version()` output such as `3.3.9 a1b2c3d`; throws a RangeError on anything else. */
export function parseStarRocksVersion(text: string): StarRocksVersion {
  const match = VERSION_PATTERN.exec(text);
  if (!match) {
    throw new RangeError(`Cannot read a StarRocks version from ${JSON.stringify(text)}`);
  }
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3] ?? 0),
    raw: text.trim(),
  };
}

/** What this version supports (a missing patch reads as `.0`). */
export function capabilitiesOf(version: VersionKey): StarRocksCapabilities {
  const key = { major: version.major, minor: version.minor, patch: version.patch ?? 0 };
  const entries = CAPABILITY_TABLE.map((entry) => [entry.capability, entry.valueFor(key)] as const);
  return Object.fromEntries(entries) as unknown as StarRocksCapabilities;
}

/** True for the released lines of {@link SUPPORTED_LINES}. */
export function isSupportedVersion(version: Pick<StarRocksVersion, 'major' | 'minor'>): boolean {
  return (SUPPORTED_LINES as readonly string[]).includes(`${version.major}.${version.minor}`);
}

/** `3.3.9`: major.minor.patch without the commit. */
export function formatVersion(version: StarRocksVersion): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}
