/**
 * StarRocks versions and what each can do.
 *
 * Supported: StarRocks 3.0 – 3.5 (shared-nothing clusters). Older and newer versions are parsed and their
 * capabilities computed the same way, but {@link isSupportedVersion} says no; callers decide whether to refuse.
 * The version comes from `SELECT current_version()` (`3.3.9 a1b2c3d`), never from `version()`, which answers
 * the MySQL-compatibility version (reference §15).
 */

/** A parsed `current_version()` answer. */
export interface StarRocksVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The answer as the FE gave it, e.g. `3.3.9 a1b2c3d` or `3.4.0-rc01 5f2e9d1`. */
  readonly raw: string;
}

/** What a version supports, as far as the scheduler cares. */
export interface StarRocksCapabilities {
  /** A whole-database BACKUP accepts views (and MVs) from 3.4; on ≤ 3.3 treat it as failing (reference §11). */
  readonly supportsViewsInWholeDbBackup: boolean;
  /** `SHOW BACKUP` without FROM lists every database's job from 3.0 (PR #17528). */
  readonly showBackupListsAllDbs: boolean;
  /** The 3.4 grammar: `BACKUP DATABASE db SNAPSHOT label TO repo ...` and typed `ON (TABLE t, ...)` objects. */
  readonly newBackupSyntax: boolean;
  /** `DROP SNAPSHOT` exists from 4.2. */
  readonly dropSnapshot: boolean;
}

/** The oldest and newest minor versions we test against and support. */
export const SUPPORTED_VERSION_RANGE = {
  oldest: { major: 3, minor: 0 },
  newest: { major: 3, minor: 5 },
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

/** True when `version` is at least `major.minor`. */
export function isAtLeast(
  version: Pick<StarRocksVersion, 'major' | 'minor'>,
  major: number,
  minor: number,
): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/** What this version supports. */
export function capabilitiesOf(version: Pick<StarRocksVersion, 'major' | 'minor'>): StarRocksCapabilities {
  return {
    supportsViewsInWholeDbBackup: isAtLeast(version, 3, 4),
    showBackupListsAllDbs: isAtLeast(version, 3, 0),
    newBackupSyntax: isAtLeast(version, 3, 4),
    dropSnapshot: isAtLeast(version, 4, 2),
  };
}

/** True for 3.0 – 3.5, the versions this project supports. */
export function isSupportedVersion(version: Pick<StarRocksVersion, 'major' | 'minor'>): boolean {
  const { oldest, newest } = SUPPORTED_VERSION_RANGE;
  return (
    isAtLeast(version, oldest.major, oldest.minor) && !isAtLeast(version, newest.major, newest.minor + 1)
  );
}

/** `3.3.9`: major.minor.patch without the commit. */
export function formatVersion(version: StarRocksVersion): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}
