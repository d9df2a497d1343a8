/**
 * Is a finished restore usable? The tables of the snapshot must be in the restored database, and a restored table
 * must not be empty when the same table of the source database has rows. A table empty in both is fine (some
 * tables are always empty); a restore that produced empty copies of tables that hold data is not.
 */

import { isTransient } from '#domain/retry-policy.ts';
import type { FullStarRocksClient, TableInfo } from '#domain/starrocks/index.ts';
import { z } from '#domain/zod.ts';

/** Table names kept per list of a check result (the catalog item and the state payload stay small). */
export const CHECK_TABLE_NAMES_MAX = 20;

/** Longest table name kept in a check result (StarRocks allows 1024 characters). */
const CHECK_TABLE_NAME_MAX_CHARS = 256;

function clip(names: readonly string[]): string[] {
  return names
    .slice(0, CHECK_TABLE_NAMES_MAX)
    .map((name) =>
      name.length > CHECK_TABLE_NAME_MAX_CHARS ? `${name.slice(0, CHECK_TABLE_NAME_MAX_CHARS - 1)}…` : name,
    );
}

/** `$.check`: what the check of a restored database found. */
export const restoreCheckSchema = z.looseObject({
  passed: z.boolean(),
  /** Why it failed, in one sentence; null when it passed. */
  problem: z.string().nullable(),
  /** Tables and materialized views in the restored database. */
  tableCount: z.number().int().nonnegative(),
  /** How many the snapshot holds: RestoreObjs of the finished job, else SHOW DATA's count at backup time. */
  expectedTableCount: z.number().int().nonnegative().nullable(),
  /** Rows over the restored OLAP tables. */
  rowCount: z.number().int().nonnegative(),
  /** Objects of the snapshot missing from the restored database (at most CHECK_TABLE_NAMES_MAX). */
  missingTables: z.array(z.string()).max(CHECK_TABLE_NAMES_MAX),
  /** Restored OLAP tables without rows (at most CHECK_TABLE_NAMES_MAX). */
  emptyTables: z.array(z.string()).max(CHECK_TABLE_NAMES_MAX),
  /** Of those, the ones whose source table has rows: the restore lost their data. */
  emptiedTables: z.array(z.string()).max(CHECK_TABLE_NAMES_MAX),
  /**
   * A chain drill: where the restored database differs from the differential's manifest (at most
   * CHECK_TABLE_NAMES_MAX); `partition` null = the whole table, `expected`/`actual` null = absent.
   */
  mismatches: z
    .array(
      z.object({
        table: z.string(),
        partition: z.string().nullable(),
        expected: z.string().nullable(),
        actual: z.string().nullable(),
      }),
    )
    .max(CHECK_TABLE_NAMES_MAX)
    .optional(),
  /** A chain drill: how many partitions were compared with the differential's manifest. */
  comparedPartitions: z.number().int().nonnegative().optional(),
});

/** `$.check`. */
export type RestoreCheck = z.output<typeof restoreCheckSchema>;

/** What the check reads. */
export type CheckClient = Pick<FullStarRocksClient, 'listTables' | 'countRows'>;

/**
 * The object names of SHOW RESTORE's RestoreObjs (`t1, t2 PARTITIONS [p1, p2], …`, BackupJobInfo.getInfo), or
 * null when the text is empty or cut. Names holding `, ` cannot be told apart there; StarRocks writes them so.
 */
export function parseRestoreObjects(text: string | null, truncated = false): string[] | null {
  if (text === null || truncated || text.trim() === '') return null;
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (char === '[') depth += 1;
    if (char === ']') depth = Math.max(0, depth - 1);
    if (depth === 0 && char === ',' && text[index + 1] === ' ') {
      names.push(current);
      current = '';
      index += 1;
      continue;
    }
    current += char;
  }
  names.push(current);
  return names.map((entry) => entry.replace(/ PARTITIONS \[.*\]$/s, '')).filter((name) => name !== '');
}

const RESTORED_KINDS: ReadonlySet<TableInfo['kind']> = new Set(['OLAP', 'MATERIALIZED_VIEW']);

/**
 * Lists the restored database, counts the rows of each OLAP table, and for each empty one counts the source
 * table too. Transient errors propagate (the caller retries); a source table that cannot be counted (dropped since
 * the backup) never fails the check.
 */
export async function checkRestoredDatabase(
  client: CheckClient,
  request: {
    readonly targetDatabase: string;
    readonly sourceDatabase: string;
    /** The snapshot's objects by name (RestoreObjs), when known. */
    readonly expectedTables: readonly string[] | null;
    /** The snapshot's table count from the catalog, used when the names are unknown. */
    readonly expectedTableCount: number | null;
    /**
     * A table restore's target names: only these are checked (the target database may hold other tables), and
     * they are the expected ones.
     */
    readonly onlyTables?: readonly string[] | undefined;
    /** A renamed table's name in the source database (`--table orders:orders_before`), by its restored name. */
    readonly sourceNames?: ReadonlyMap<string, string> | undefined;
  },
): Promise<RestoreCheck> {
  const only = request.onlyTables === undefined ? undefined : new Set(request.onlyTables);
  const listed = (await client.listTables(request.targetDatabase)).filter(
    (table) => only === undefined || only.has(table.name),
  );
  const present = new Set(listed.map((table) => table.name));
  const restored = listed.filter((table) => RESTORED_KINDS.has(table.kind));
  const expectedNames = request.onlyTables ?? request.expectedTables;
  const missing = (expectedNames ?? []).filter((name) => !present.has(name));

  let rowCount = 0;
  const empty: string[] = [];
  for (const table of restored) {
    if (table.kind !== 'OLAP') continue;
    const rows = await client.countRows(request.targetDatabase, table.name);
    rowCount += rows;
    if (rows === 0) empty.push(table.name);
  }
  const emptied: string[] = [];
  for (const name of empty) {
    const source = request.sourceNames?.get(name) ?? name;
    if ((await sourceRows(client, request.sourceDatabase, source)) > 0) emptied.push(name);
  }

  const expectedTableCount = expectedNames?.length ?? request.expectedTableCount;
  const problem = describeProblem({
    restored: restored.length,
    listed: listed.length,
    expectedTableCount,
    namesKnown: expectedNames !== null,
    missing,
    emptied,
    target: request.targetDatabase,
    source: request.sourceDatabase,
  });
  return {
    passed: problem === null,
    problem,
    tableCount: restored.length,
    expectedTableCount,
    rowCount,
    missingTables: clip(missing),
    emptyTables: clip(empty),
    emptiedTables: clip(emptied),
  };
}

async function sourceRows(client: CheckClient, database: string, table: string): Promise<number> {
  try {
    return await client.countRows(database, table);
  } catch (error) {
    if (isTransient(error)) throw error;
    return 0;
  }
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 5).map((name) => JSON.stringify(name));
  return names.length > 5 ? `${shown.join(', ')} and ${names.length - 5} more` : shown.join(', ');
}

function describeProblem(found: {
  restored: number;
  listed: number;
  expectedTableCount: number | null;
  namesKnown: boolean;
  missing: readonly string[];
  emptied: readonly string[];
  target: string;
  source: string;
}): string | null {
  if (found.listed === 0) return `the restored database ${found.target} holds no tables`;
  if (found.missing.length > 0) {
    return `${found.missing.length} table(s) of the snapshot are missing from ${found.target}: ${listNames(found.missing)}`;
  }
  if (!found.namesKnown && found.expectedTableCount !== null && found.restored < found.expectedTableCount) {
    return `the snapshot recorded ${found.expectedTableCount} tables at backup time; ${found.target} holds ${found.restored}`;
  }
  if (found.emptied.length > 0) {
    return `${found.emptied.length} restored table(s) are empty while the same table of ${found.source} has rows: ${listNames(found.emptied)}`;
  }
  return null;
}
