/**
 * What a run of a schedule would back up on the FE now, and what it would leave out and why — the same decisions
 * ResolveDatabases and SubmitBackup make, read-only (SHOW DATABASES and the table listing; nothing is written).
 */

import type { ClusterConfig, ScheduleConfig } from '#domain/config/index.ts';
import { effectiveDatabaseFilters, selectDatabases } from '#domain/config/index.ts';
import { nameProblem } from '#domain/run-plan/classify-database.ts';
import {
  capabilitiesOf,
  describeOmitted,
  formatVersion,
  isNothing,
  isUnclassifiable,
  noScopeReason,
  planBackupScope,
  type StarRocksClient,
  type StarRocksVersion,
  type TableInfo,
} from '#domain/starrocks/index.ts';

/** Why a database would not be backed up. */
export type LeftOutReason = 'system' | 'excluded-by-pattern' | 'not-included' | 'empty' | 'unsupported';

/** A database a run would back up. */
export interface IncludedDatabase {
  readonly database: string;
  readonly tables: number;
  /** Objects the version cannot back up, left out of its `ON (…)` list (views before 3.4, MVs before 3.2, …). */
  readonly leftOutObjects: readonly string[];
}

/** A database a run would leave out. */
export interface ExcludedDatabase {
  readonly database: string;
  readonly reason: LeftOutReason;
  /** The exclude pattern that matched, or what makes it unsupported. */
  readonly detail: string | null;
}

/** The FE's answer for one schedule. */
export interface DatabaseResolution {
  readonly version: string;
  readonly included: readonly IncludedDatabase[];
  readonly excluded: readonly ExcludedDatabase[];
}

/** Reads the FE once for a cluster: its version, databases and each candidate's tables. */
export interface FeSnapshot {
  readonly version: StarRocksVersion;
  readonly databases: readonly string[];
  tablesOf(database: string): Promise<readonly TableInfo[]>;
}

/** Builds an {@link FeSnapshot} over a client, listing each database's tables at most once. */
export async function readFe(client: StarRocksClient): Promise<FeSnapshot> {
  const version = await client.currentVersion();
  const databases = await client.showDatabases();
  const cache = new Map<string, Promise<TableInfo[]>>();
  return {
    version,
    databases,
    tablesOf(database) {
      let tables = cache.get(database);
      if (!tables) {
        tables = client.listTables(database);
        cache.set(database, tables);
      }
      return tables;
    },
  };
}

/**
 * Splits the FE's databases into those a run of `schedule` would back up and those it would leave out, with the
 * name check ResolveDatabases makes (lambdas/domain/run-plan/classify-database.ts) and the scope SubmitBackup
 * plans first (lambdas/domain/starrocks/backup-scope.ts; a refusal at BACKUP time can still narrow it).
 */
export async function resolveScheduleDatabases(
  fe: FeSnapshot,
  cluster: Pick<ClusterConfig, 'include' | 'exclude'>,
  schedule: Pick<ScheduleConfig, 'include' | 'exclude'>,
): Promise<DatabaseResolution> {
  const selection = selectDatabases(fe.databases, effectiveDatabaseFilters(cluster, schedule));
  const excluded: ExcludedDatabase[] = selection.excluded.map((entry) => ({
    database: entry.name,
    reason: entry.reason,
    detail: entry.pattern ?? null,
  }));
  const included: IncludedDatabase[] = [];
  const capabilities = capabilitiesOf(fe.version);
  const version = formatVersion(fe.version);
  for (const database of selection.selected) {
    const problem = nameProblem(database);
    if (problem !== undefined) {
      excluded.push({ database, reason: 'unsupported', detail: problem.reason });
      continue;
    }
    const tables = await fe.tablesOf(database);
    if (tables.length === 0) {
      excluded.push({ database, reason: 'empty', detail: 'no tables' });
      continue;
    }
    const scope = planBackupScope(capabilities, tables);
    if (isUnclassifiable(scope) || isNothing(scope)) {
      excluded.push({ database, reason: 'unsupported', detail: noScopeReason(database, version, scope) });
      continue;
    }
    included.push({
      database,
      tables: scope.on?.length ?? tables.length,
      leftOutObjects: scope.omitted.map((object) => describeOmitted([object])),
    });
  }
  return { version: formatVersion(fe.version), included, excluded };
}

/** `excluded by pattern scratch_*`, `system database`, … */
export function describeReason(entry: ExcludedDatabase): string {
  switch (entry.reason) {
    case 'system':
      return 'system database (never backed up)';
    case 'excluded-by-pattern':
      return `excluded by pattern ${entry.detail ?? ''}`.trim();
    case 'not-included':
      return 'matches no include pattern';
    case 'empty':
      return 'empty (no tables; recorded SKIPPED)';
    case 'unsupported':
      return `unsupported: ${entry.detail ?? ''}`;
  }
}
