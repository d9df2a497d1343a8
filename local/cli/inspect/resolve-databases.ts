/**
 * What a run of a schedule would back up on the FE now, and what it would leave out and why — the same decisions
 * ResolveDatabases and SubmitBackup make, read-only (SHOW DATABASES and the table listing; nothing is written).
 */
import type { ClusterConfig, ScheduleConfig } from '../../../lambdas/shared/config/index.ts';
import { effectiveDatabaseFilters, selectDatabases } from '../../../lambdas/shared/config/index.ts';
import {
  capabilitiesOf,
  formatVersion,
  type StarRocksClient,
  type StarRocksVersion,
  type TableInfo,
} from '../../../lambdas/starrocks/index.ts';

/** Why a database would not be backed up. */
export type LeftOutReason = 'system' | 'excluded-by-pattern' | 'not-included' | 'empty' | 'unsupported';

/** A database a run would back up. */
export interface IncludedDatabase {
  readonly database: string;
  readonly tables: number;
  /** Objects a ≤ 3.3 BACKUP cannot take, left out of its `ON (…)` list. */
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

function describeObject(table: TableInfo): string {
  return `${table.name} (${table.kind === 'MATERIALIZED_VIEW' ? 'materialized view' : table.kind.toLowerCase()})`;
}

/** Splits the FE's databases into those a run of `schedule` would back up and those it would leave out. */
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
  const wholeDatabaseTakesViews = capabilitiesOf(fe.version).supportsViewsInWholeDbBackup;
  for (const database of selection.selected) {
    const tables = await fe.tablesOf(database);
    if (tables.length === 0) {
      excluded.push({ database, reason: 'empty', detail: 'no tables' });
      continue;
    }
    if (wholeDatabaseTakesViews) {
      included.push({ database, tables: tables.length, leftOutObjects: [] });
      continue;
    }
    const others = tables.filter((table) => table.kind !== 'OLAP');
    if (others.length === tables.length) {
      excluded.push({
        database,
        reason: 'unsupported',
        detail: `StarRocks ${formatVersion(fe.version)} cannot back up views or external tables, and it has nothing else: ${others.map(describeObject).join(', ')}`,
      });
      continue;
    }
    included.push({
      database,
      tables: tables.length - others.length,
      leftOutObjects: others.map(describeObject),
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
