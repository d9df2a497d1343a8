import type { GrammarFeatures } from './sql/grammar.ts';

/** The StarRocks release lines the emulator can imitate (4.2 is the development line). */
export type ProfileId = '3.0' | '3.1' | '3.2' | '3.3' | '3.4' | '3.5' | '4.0' | '4.1' | '4.2';

/**
 * Everything that differs between StarRocks versions, in one place, so a new line is one entry. Each field names
 * the StarRocks source it follows; values the source does not settle are marked UNVERIFIED.
 */
export interface VersionProfile {
  readonly id: ProfileId;
  /** Full version as `current_version()` shows it, e.g. `3.3.9`. */
  readonly version: string;
  /** Short commit hash shown after the version. */
  readonly commit: string;
  /** What the handshake and `SELECT version()` report (MySQL compatibility version). UNVERIFIED for 3.4+. */
  readonly mysqlServerVersion: string;
  readonly grammar: GrammarFeatures;
  /** The `sys` database exists (UNVERIFIED: the emulator gives it to 3.1 and later). */
  readonly hasSysDatabase: boolean;
  /**
   * Asynchronous MVs go into a backup: BackupHandler accepts them from 3.2 (PR #29164, not backported to 3.1/3.0);
   * before, an MV is refused like any non-OLAP table.
   */
  readonly backsUpMaterializedViews: boolean;
  /** Logical views go into a backup from 3.4 (PR #52729); before, `Table '<v>' is not a OLAP table`. */
  readonly backsUpViews: boolean;
  /** List partitioning (explicit and automatic) exists from 3.1; a 3.0 scenario cannot hold such a table. */
  readonly listPartitioning: boolean;
  /** Some 3.4.x builds report TABLE_TYPE `TABLE` instead of `BASE TABLE` (StarRocks PR #59368). */
  readonly reportsTableTypeAsTable: boolean;
  /**
   * `legacy`: every statement error is ERR 1064 / HY000 (2.5–3.x). `typed`: newer builds send ErrorCode's own
   * code and SQLSTATE (BAD_DB 5501/3F000, …); whether ERR_COMMON_ERROR texts go out as 5064/42000 is UNVERIFIED.
   */
  readonly errorCodes: 'legacy' | 'typed';
  /**
   * `compact`: `[taskId: done/total]` (BackupJob.getInfo up to 3.x). `verbose`:
   * `[ task id: <id> -> finished part:<done>/ total number of subtasks:<total>]` (newer BackupJob.getInfo;
   * the first release carrying it is UNVERIFIED).
   */
  readonly progressFormat: 'compact' | 'verbose';
  /** 4.2+: `DROP SNAPSHOT`, ownership recorded in the snapshot info file, BACKUP's `ttl` property (PR #78092). */
  readonly dropSnapshot: boolean;
  /**
   * How a missing privilege reads. `checker-v2`: PrivilegeCheckerV2 (3.0) texts such as
   * `Access denied; you need (at least one of) the REPOSITORY privilege(s) for this operation` and
   * `EXPORT command denied to user 'u'@'ip' for table 't'`. `access-denied-exception`: AccessDeniedException's
   * `… the REPOSITORY privilege(s) on SYSTEM for this operation. Please ask the admin …` form. Which release
   * switched is UNVERIFIED; the profiles up to 3.3 keep the older form.
   */
  readonly accessDenied: 'checker-v2' | 'access-denied-exception';
  /**
   * RESTORE into a database that does not exist: main's BackupHandler.process creates it at submission; older
   * BackupHandler answers `Unknown database '<db>'`. The release that changed it is UNVERIFIED (the emulator
   * chooses 3.4); the scheduler never relies on it and creates the target itself.
   */
  readonly restoreCreatesDatabase: boolean;
}

interface LineDefaults {
  readonly version: string;
  readonly commit: string;
}

/** The default full version of each line (made-up commits; UNVERIFIED for 4.2, which has no release). */
const LINES: Readonly<Record<ProfileId, LineDefaults>> = {
  '3.0': { version: '3.0.9', commit: 'a0b1c2d' },
  '3.1': { version: '3.1.11', commit: 'a1b1c2d' },
  '3.2': { version: '3.2.11', commit: 'a2b1c2d' },
  '3.3': { version: '3.3.9', commit: 'a1b2c3d' },
  '3.4': { version: '3.4.3', commit: 'b2c3d4e' },
  '3.5': { version: '3.5.2', commit: 'c3d4e5f' },
  '4.0': { version: '4.0.2', commit: 'e4f5a6b' },
  '4.1': { version: '4.1.0', commit: 'f5a6b7c' },
  '4.2': { version: '4.2.0', commit: 'd4e5f6a' },
};

function atLeast(id: ProfileId, line: ProfileId): boolean {
  const [a = 0, b = 0] = id.split('.').map(Number);
  const [c = 0, d = 0] = line.split('.').map(Number);
  return a !== c ? a > c : b >= d;
}

function profileFor(id: ProfileId): VersionProfile {
  const since = (line: ProfileId) => atLeast(id, line);
  return {
    id,
    ...LINES[id],
    mysqlServerVersion: since('3.4') ? '8.0.33' : '5.1.0',
    grammar: {
      backupDatabaseClause: since('3.4'),
      showBackupWhere: since('4.2'),
      ...(since('3.4') ? { restoreDatabaseClause: true } : {}),
      ...(since('4.2') ? { dropSnapshot: true } : {}),
    },
    hasSysDatabase: since('3.1'),
    backsUpMaterializedViews: since('3.2'),
    backsUpViews: since('3.4'),
    listPartitioning: since('3.1'),
    reportsTableTypeAsTable: id === '3.4',
    errorCodes: since('3.5') ? 'typed' : 'legacy',
    progressFormat: since('3.5') ? 'verbose' : 'compact',
    dropSnapshot: since('4.2'),
    accessDenied: since('3.4') ? 'access-denied-exception' : 'checker-v2',
    restoreCreatesDatabase: since('3.4'),
  };
}

const PROFILES: Readonly<Record<ProfileId, VersionProfile>> = Object.fromEntries(
  (Object.keys(LINES) as ProfileId[]).map((id) => [id, profileFor(id)]),
) as Record<ProfileId, VersionProfile>;

/**
 * The first patch of each line that backs up list-partitioned tables: PR #51993 (merged October 2024) lifted the
 * refusal PR #27551 had added to BackupRestoreAnalyzer.analyzeTableRef, with backports to 3.1, 3.2 and 3.3 (not
 * 3.0, which has no list partitioning). UNVERIFIED: which patch of each line first carries the backport; these are
 * the first patches released after the merge.
 */
export const LIST_PARTITION_BACKUP_SINCE: Readonly<Partial<Record<ProfileId, string>>> = {
  '3.1': '3.1.15',
  '3.2': '3.2.12',
  '3.3': '3.3.5',
};

/** True when the profile refuses a list-partitioned table in BACKUP (`List partition table does not support …`). */
export function refusesListPartitionBackup(profile: Pick<VersionProfile, 'id' | 'version'>): boolean {
  if (atLeast(profile.id, '3.4')) return false;
  const since = LIST_PARTITION_BACKUP_SINCE[profile.id];
  return since !== undefined && !versionAtLeast(profile.version, since);
}

/**
 * Automated Cluster Snapshots of shared-data clusters: from 3.4.2 (StarRocks' Cluster Snapshot page; the tables
 * catalog/system/information/ClusterSnapshotsTable.java and ClusterSnapshotJobsTable.java).
 */
export const CLUSTER_SNAPSHOT_SINCE = '3.4.2';

/** True when the profile has automated Cluster Snapshots (information_schema.cluster_snapshots and its jobs). */
export function hasClusterSnapshots(profile: Pick<VersionProfile, 'version'>): boolean {
  return versionAtLeast(profile.version, CLUSTER_SNAPSHOT_SINCE);
}

/**
 * The first release that serves TLS on the MySQL port. StarRocks PR #13130 (2022; backported by #27587) added only a
 * framework — `mysql/ssl/SSLChannel.java`, loaded from a jar the open-source build does not ship — and PR #54877
 * (issue #54882, January 2025) the open-source implementation (today's `mysql/ssl/SSLChannelImp.java` and
 * `SSLContextLoader.java`; the PR's exact file list is UNVERIFIED);
 * StarRocks' "SSL Authentication" page says "From v3.4.1 onwards" (the tag is not confirmed in the source:
 * UNVERIFIED). Even then the FE offers TLS only with `ssl_keystore_location` set: `ConnectContext.supportSSL()` is
 * `sslContext != null`, and `MysqlHandshakePacket.writeTo` adds CLIENT_SSL to the capability flags only then.
 * Older profiles never offer TLS here. (UNVERIFIED: an older FE given a keystore may offer CLIENT_SSL and then fail
 * the upgrade for want of SSLChannelImp; the emulator does not model that.)
 */
export const MYSQL_TLS_SINCE = '3.4.1';

/**
 * information_schema.partitions_meta (catalog/system/information/PartitionsMetaSystemTable.java, PR #39265 with
 * backports #41098 and #41101): present in 3.1.9+, 3.2.4+ and every 3.3+ release, absent in all of 3.0
 * (docs/research/differential-backups.md §4.1, read from the tags).
 */
export const PARTITIONS_META_SINCE: Readonly<Partial<Record<ProfileId, string>>> = {
  '3.1': '3.1.9',
  '3.2': '3.2.4',
};

/** True when the profile has information_schema.partitions_meta ({@link PARTITIONS_META_SINCE}). */
export function hasPartitionsMeta(profile: Pick<VersionProfile, 'id' | 'version'>): boolean {
  if (profile.id === '3.0') return false;
  const since = PARTITIONS_META_SINCE[profile.id];
  return since === undefined || versionAtLeast(profile.version, since);
}

/**
 * Partition columns added over time (research §4.2 and §5): DATA_VERSION / VERSION_EPOCH / VERSION_TXN_TYPE
 * (SHOW PARTITIONS: DataVersion, VersionEpoch, VersionTxnType) from 3.3.2 (PR #46507, backport #49009);
 * STORAGE_SIZE / StorageSize from 3.4.4 (PR #56234, backport #58215); from 4.0 TABLET_BALANCED / TabletBalanced
 * (PR #61549), METADATA_SWITCH_VERSION (PR #59102) and DATA_SIZE as BIGINT bytes (PR #61251; a VARCHAR
 * ByteSizeValue before; whether a later 3.5.x got it is UNVERIFIED).
 */
export function partitionColumnsOf(profile: Pick<VersionProfile, 'id' | 'version'>): {
  readonly dataVersion: boolean;
  readonly storageSize: boolean;
  readonly since40: boolean;
} {
  return {
    dataVersion: versionAtLeast(profile.version, '3.3.2'),
    storageSize: versionAtLeast(profile.version, '3.4.4'),
    since40: versionAtLeast(profile.version, '4.0.0'),
  };
}

function versionParts(version: string): number[] {
  return version.split('.').map((part) => Number.parseInt(part, 10) || 0);
}

function versionAtLeast(version: string, wanted: string): boolean {
  const have = versionParts(version);
  const need = versionParts(wanted);
  for (let index = 0; index < need.length; index++) {
    const difference = (have[index] ?? 0) - (need[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/** True when the profile's version can serve TLS on the MySQL port ({@link MYSQL_TLS_SINCE} or later). */
export function servesMysqlTls(profile: Pick<VersionProfile, 'version'>): boolean {
  return versionAtLeast(profile.version, MYSQL_TLS_SINCE);
}

/** The profile ids the emulator knows, newest last. */
export const PROFILE_IDS: readonly ProfileId[] = Object.keys(PROFILES) as ProfileId[];

/**
 * Resolves a scenario's `version` (`3.3`, or a full `3.3.11`) to a profile; a full version replaces the
 * profile's default version string.
 */
export function resolveProfile(
  version: string,
  overrides: Partial<Pick<VersionProfile, 'errorCodes' | 'progressFormat' | 'commit'>> = {},
): VersionProfile {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version.trim());
  const id = match ? `${match[1]}.${match[2]}` : '';
  const base = PROFILES[id as ProfileId];
  if (!match || !base) {
    throw new Error(
      `unsupported StarRocks version '${version}': known profiles are ${PROFILE_IDS.join(', ')}`,
    );
  }
  const resolved = { ...base, ...(match[3] === undefined ? {} : { version: version.trim() }), ...overrides };
  return { ...resolved, grammar: { ...resolved.grammar, clusterSnapshot: hasClusterSnapshots(resolved) } };
}
