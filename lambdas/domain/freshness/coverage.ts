/**
 * Coverage drift: which databases of the FE no schedule backs up by accident.
 *
 * For each database the FE lists (system databases aside):
 * - **covered**: the include/exclude patterns of at least one schedule select it (enabled or not: disabling a
 *   schedule is a decision, not an accident of patterns);
 * - **excluded**: no schedule selects it, and an `exclude` pattern (the cluster's or a schedule's) matches it.
 *   Someone wrote that pattern: it is deliberate, and silent;
 * - **uncovered** (drift): no schedule selects it and no exclude pattern matches it. It fell through the include
 *   patterns (a new database named unlike the others), so nobody decided that it needs no backup.
 *
 * A cluster without any schedule backs nothing up on purpose: it has no drift.
 * Pure; shared by the freshness checker and `sr-backup plan --resolve`.
 */
import { effectiveDatabaseFilters, SYSTEM_DATABASES, selectDatabases } from '#domain/config/index.ts';

/** The pattern fields coverage reads. */
export interface CoverageCluster {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly schedules: ReadonlyArray<{
    readonly include?: readonly string[] | undefined;
    readonly exclude?: readonly string[] | undefined;
  }>;
}

/** A database left out on purpose, and the pattern that says so. */
export interface DeliberateExclusion {
  readonly database: string;
  readonly pattern: string;
}

/** How the FE's databases are covered by the schedules. Every list keeps the input order. */
export interface Coverage {
  readonly covered: readonly string[];
  readonly excluded: readonly DeliberateExclusion[];
  /** Drift: covered by no schedule and excluded by no pattern. */
  readonly uncovered: readonly string[];
}

/** Splits `databases` into covered, deliberately excluded and uncovered (drift). */
export function assessCoverage(cluster: CoverageCluster, databases: readonly string[]): Coverage {
  const names = databases.filter((name) => !SYSTEM_DATABASES.has(name));
  if (cluster.schedules.length === 0) return { covered: [], excluded: [], uncovered: [] };
  const covered = new Set<string>();
  for (const schedule of cluster.schedules) {
    for (const name of selectDatabases(names, effectiveDatabaseFilters(cluster, schedule)).selected) {
      covered.add(name);
    }
  }
  const patterns = [
    ...new Set([...cluster.exclude, ...cluster.schedules.flatMap((schedule) => schedule.exclude ?? [])]),
  ];
  const excluded: DeliberateExclusion[] = [];
  const uncovered: string[] = [];
  for (const name of names) {
    if (covered.has(name)) continue;
    const pattern = patterns.find(
      (candidate) => selectDatabases([name], { include: [candidate], exclude: [] }).selected.length > 0,
    );
    if (pattern === undefined) uncovered.push(name);
    else excluded.push({ database: name, pattern });
  }
  return { covered: names.filter((name) => covered.has(name)), excluded, uncovered };
}
