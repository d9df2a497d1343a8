/**
 * Which databases of a cluster a run backs up: every database, minus StarRocks' system databases,
 * kept by the include globs, dropped by the exclude globs.
 */
import picomatch from 'picomatch';

/**
 * Databases StarRocks creates for itself: metadata views (catalog/InfoSchemaDb.java), the `sys` schema, the
 * statistics database and the AuditLoader plugin's database (which of them a version has is a guess per version). They are never backed up, even when an include pattern names
 * them: the first two are not real databases (BACKUP refuses them), and the other two are rebuilt by StarRocks
 * or its plugin, so restoring an old copy over a live cluster would do harm.
 */
export const SYSTEM_DATABASES: ReadonlySet<string> = new Set([
  'information_schema',
  'sys',
  '_statistics_',
  'starrocks_audit_db__',
]);

/** Glob patterns, matched against whole database names, case-sensitively. */
export interface DatabaseFilters {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** Why a database is left out of a run. */
export type ExclusionReason = 'system' | 'excluded-by-pattern' | 'not-included';

/** A database left out of a run, and why. `pattern` is the exclude pattern that matched. */
export interface ExcludedDatabase {
  readonly name: string;
  readonly reason: ExclusionReason;
  readonly pattern?: string;
}

/** The outcome of `selectDatabases`; both lists keep the order of the input names. */
export interface DatabaseSelection {
  readonly selected: string[];
  readonly excluded: ExcludedDatabase[];
}

// dot: a name starting with "." is still matched by "*"; nonegate: a leading "!" is literal (the config rejects it).
const GLOB_OPTIONS: picomatch.PicomatchOptions = { dot: true, nonegate: true };

/**
 * Splits database names into the ones to back up and the ones left out (with the reason).
 * `*` matches any run of characters, `?` one character, `[abc]` / `[a-z]` one character of a set,
 * `{a,b}` either alternative; matching is case-sensitive and covers the whole name.
 * A system database is excluded first, then an exclude match wins over an include match.
 */
export function selectDatabases(names: readonly string[], filters: DatabaseFilters): DatabaseSelection {
  const includes = filters.include.map((pattern) => picomatch(pattern, GLOB_OPTIONS));
  const excludes = filters.exclude.map((pattern) => ({ pattern, matches: picomatch(pattern, GLOB_OPTIONS) }));
  const selected: string[] = [];
  const excluded: ExcludedDatabase[] = [];
  for (const name of names) {
    if (SYSTEM_DATABASES.has(name)) {
      excluded.push({ name, reason: 'system' });
      continue;
    }
    const exclusion = excludes.find(({ matches }) => matches(name));
    if (exclusion !== undefined) {
      excluded.push({ name, reason: 'excluded-by-pattern', pattern: exclusion.pattern });
      continue;
    }
    if (!includes.some((matches) => matches(name))) {
      excluded.push({ name, reason: 'not-included' });
      continue;
    }
    selected.push(name);
  }
  return { selected, excluded };
}
