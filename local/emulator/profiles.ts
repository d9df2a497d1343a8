import type { GrammarFeatures } from './sql/grammar.ts';

/** The StarRocks release lines the emulator can imitate. */
export type ProfileId = '3.3' | '3.4' | '3.5' | '4.2';

/** Everything that differs between StarRocks versions, in one place, so a new line (4.2: DROP SNAPSHOT) is one entry. */
export interface VersionProfile {
  readonly id: ProfileId;
  /** Full version as `current_version()` shows it, e.g. `3.3.9`. */
  readonly version: string;
  /** Short commit hash shown after the version. */
  readonly commit: string;
  /** What the handshake and `SELECT version()` report (MySQL compatibility version). UNVERIFIED for 3.4+. */
  readonly mysqlServerVersion: string;
  readonly grammar: GrammarFeatures;
  /** The `sys` database exists (3.1/3.2+). */
  readonly hasSysDatabase: boolean;
  /** 3.4+: views (and async MVs) go into a whole-database backup; ≤ 3.3 fails with `is not a OLAP table`. */
  readonly backupSupportsViews: boolean;
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
  /** 4.2+: `DROP SNAPSHOT`, ownership recorded in the snapshot info file, BACKUP's `ttl` property. */
  readonly dropSnapshot: boolean;
  /**
   * How a missing privilege reads (reference §10). `checker-v2`: PrivilegeCheckerV2 (3.0) texts such as
   * `Access denied; you need (at least one of) the REPOSITORY privilege(s) for this operation` and
   * `EXPORT command denied to user 'u'@'ip' for table 't'`. `access-denied-exception`: AccessDeniedException's
   * `… the REPOSITORY privilege(s) on SYSTEM for this operation. Please ask the admin …` form. Which release
   * switched is UNVERIFIED; the 3.3 profile keeps the older form.
   */
  readonly accessDenied: 'checker-v2' | 'access-denied-exception';
  /**
   * RESTORE into a database that does not exist: 3.4+ (BackupHandler.process on main) creates it at submission;
   * older BackupHandler answers `Unknown database '<db>'`. The release that changed it is UNVERIFIED.
   */
  readonly restoreCreatesDatabase: boolean;
}

const PROFILES: Readonly<Record<ProfileId, VersionProfile>> = {
  '3.3': {
    id: '3.3',
    version: '3.3.9',
    commit: 'a1b2c3d',
    mysqlServerVersion: '5.1.0',
    grammar: { backupDatabaseClause: false, showBackupWhere: false },
    hasSysDatabase: true,
    backupSupportsViews: false,
    reportsTableTypeAsTable: false,
    errorCodes: 'legacy',
    progressFormat: 'compact',
    dropSnapshot: false,
    accessDenied: 'checker-v2',
    restoreCreatesDatabase: false,
  },
  '3.4': {
    id: '3.4',
    version: '3.4.3',
    commit: 'b2c3d4e',
    mysqlServerVersion: '8.0.33',
    grammar: { backupDatabaseClause: true, showBackupWhere: false, restoreDatabaseClause: true },
    hasSysDatabase: true,
    backupSupportsViews: true,
    reportsTableTypeAsTable: true,
    errorCodes: 'legacy',
    progressFormat: 'compact',
    dropSnapshot: false,
    accessDenied: 'access-denied-exception',
    restoreCreatesDatabase: true,
  },
  '3.5': {
    id: '3.5',
    version: '3.5.2',
    commit: 'c3d4e5f',
    mysqlServerVersion: '8.0.33',
    grammar: { backupDatabaseClause: true, showBackupWhere: false, restoreDatabaseClause: true },
    hasSysDatabase: true,
    backupSupportsViews: true,
    reportsTableTypeAsTable: false,
    errorCodes: 'typed',
    progressFormat: 'verbose',
    dropSnapshot: false,
    accessDenied: 'access-denied-exception',
    restoreCreatesDatabase: true,
  },
  '4.2': {
    id: '4.2',
    // UNVERIFIED: 4.2 is StarRocks main at the time of writing; its first release number and commit are made up.
    version: '4.2.0',
    commit: 'd4e5f6a',
    mysqlServerVersion: '8.0.33',
    grammar: {
      backupDatabaseClause: true,
      showBackupWhere: true,
      restoreDatabaseClause: true,
      dropSnapshot: true,
    },
    hasSysDatabase: true,
    backupSupportsViews: true,
    reportsTableTypeAsTable: false,
    errorCodes: 'typed',
    progressFormat: 'verbose',
    dropSnapshot: true,
    accessDenied: 'access-denied-exception',
    restoreCreatesDatabase: true,
  },
};

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

function versionParts(version: string): number[] {
  return version.split('.').map((part) => Number.parseInt(part, 10) || 0);
}

/** True when the profile's version can serve TLS on the MySQL port ({@link MYSQL_TLS_SINCE} or later). */
export function servesMysqlTls(profile: Pick<VersionProfile, 'version'>): boolean {
  const have = versionParts(profile.version);
  const need = versionParts(MYSQL_TLS_SINCE);
  for (let index = 0; index < need.length; index++) {
    const difference = (have[index] ?? 0) - (need[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
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
  return { ...base, ...(match[3] === undefined ? {} : { version: version.trim() }), ...overrides };
}
