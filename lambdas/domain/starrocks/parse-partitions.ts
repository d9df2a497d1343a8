/**
 * Parsers for a database's partitions (information_schema.partitions_meta, SHOW PARTITIONS) and their assembly into
 * the differential backups' {@link Manifest} (lambdas/domain/differential/manifest.ts).
 *
 * Research: docs/research/differential-backups.md (§4.2 partitions_meta columns, §4.3 its rows, §5 SHOW PARTITIONS,
 * §4.6 the schema fingerprint). Paths are under fe/fe-core/src/main/java/com/starrocks/ of StarRocks.
 */

import { createHash } from 'node:crypto';
import {
  bigintTextSchema,
  isShadowPartition,
  MANIFEST_FORMAT_VERSION,
  type Manifest,
  manifestSchema,
  type OlapTableManifest,
  type OtherObjectManifest,
  type Partition,
  type PartitioningKind,
} from '#domain/differential/manifest.ts';
import { StarRocksResultShapeError } from '#domain/errors.ts';
import { datetimeUtcMillis } from './datetime-text.ts';
import type { TableInfo } from './parse-listings.ts';
import { type ResultTable, type RowReader, readRows } from './result-table.ts';
import type { StatementKind } from './statements.ts';

/** One partition row as either source reports it (one row per physical partition from 3.2). */
export interface PartitionRow {
  readonly table: string;
  readonly name: string;
  /** PARTITION_ID / PartitionId, canonical decimal text. */
  readonly id: string;
  /** VISIBLE_VERSION / VisibleVersion, canonical decimal text. */
  readonly visibleVersion: string;
  /** VISIBLE_VERSION_TIME / VisibleVersionTime as ISO-8601 UTC, null when unset. */
  readonly visibleVersionTime: string | null;
  /** PARTITION_KEY / PartitionKey: the partition columns, empty for an unpartitioned table. */
  readonly partitionKey: string;
  /** DISTRIBUTION_KEY / DistributionKey. */
  readonly distributionKey: string;
  /** partitions_meta only: PARTITION_VALUE (a range `[…)` or list values `((…))`); null from SHOW PARTITIONS. */
  readonly partitionValue: string | null;
  /** A temporary partition (partitions_meta IS_TEMP); never backed up, never in a manifest. */
  readonly temporary: boolean;
}

/** What an unset time prints as: NULL (partitions_meta), FeConstants.null_string or empty (SHOW PARTITIONS). */
const UNSET_TIMES = new Set(['', '\\N', 'N/A', 'NULL']);

/**
 * A `yyyy-MM-dd HH:mm:ss` DATETIME of the session zone, which every connection pins to UTC first
 * (statements.ts SESSION_TIME_ZONE; partitions_meta converts with the session zone, `ts.from_unixtime(…, _ctz)`,
 * SHOW PARTITIONS with TimeUtils.longToTimeString), as ISO-8601 UTC; null for an unset time.
 */
export function sessionDateTimeToIso(
  text: string | null,
  column: string,
  kind: StatementKind,
): string | null {
  const trimmed = (text ?? '').trim();
  if (UNSET_TIMES.has(trimmed.toUpperCase())) return null;
  const ms = datetimeUtcMillis(trimmed, { whole: true });
  if (ms === null) {
    throw new StarRocksResultShapeError(`${kind} reported ${column} ${JSON.stringify(trimmed)}, not a time`);
  }
  if (Number.isNaN(ms) || ms <= 0) return null;
  return new Date(ms).toISOString();
}

function bigintText(row: RowReader, column: string, kind: StatementKind): string {
  const text = row.text(column).trim();
  const parsed = bigintTextSchema.safeParse(text);
  if (!parsed.success) {
    throw new StarRocksResultShapeError(`${kind} reported ${column} ${JSON.stringify(text)}, not a BIGINT`);
  }
  return parsed.data;
}

function truthyFlag(text: string | null): boolean {
  const value = (text ?? '').trim().toLowerCase();
  return value === '1' || value === 'true';
}

/** Parses the answer of `buildPartitionsMetaStatement` (columns read by name). */
export function parsePartitionsMeta(table: ResultTable): PartitionRow[] {
  const kind = 'PARTITIONS META';
  return readRows(table, kind, [
    'TABLE_NAME',
    'PARTITION_NAME',
    'PARTITION_ID',
    'VISIBLE_VERSION',
    'VISIBLE_VERSION_TIME',
    'PARTITION_KEY',
    'PARTITION_VALUE',
    'DISTRIBUTION_KEY',
    'IS_TEMP',
  ]).map((row) => ({
    table: row.text('TABLE_NAME'),
    name: row.text('PARTITION_NAME'),
    id: bigintText(row, 'PARTITION_ID', kind),
    visibleVersion: bigintText(row, 'VISIBLE_VERSION', kind),
    visibleVersionTime: sessionDateTimeToIso(
      row.nullable('VISIBLE_VERSION_TIME'),
      'VISIBLE_VERSION_TIME',
      kind,
    ),
    partitionKey: (row.nullable('PARTITION_KEY') ?? '').trim(),
    distributionKey: (row.nullable('DISTRIBUTION_KEY') ?? '').trim(),
    partitionValue: row.nullable('PARTITION_VALUE') ?? '',
    temporary: truthyFlag(row.nullable('IS_TEMP')),
  }));
}

/** One table's SHOW PARTITIONS answer. */
export interface ShowPartitionsAnswer {
  /** The eighth column is titled `List` (list or automatic list partitioning), not `Range`. */
  readonly listTitled: boolean;
  readonly rows: readonly PartitionRow[];
}

/**
 * Parses a shared-nothing table's `SHOW PARTITIONS FROM db.t` (common/proc/PartitionsProcDir.createTitleNames;
 * columns read by name, since 3.3.2 and 3.4.4 insert some). Temporary partitions are not listed by this form.
 */
export function parseShowPartitions(table: ResultTable, tableName: string): ShowPartitionsAnswer {
  const kind = 'SHOW PARTITIONS';
  const titles = table.columns.map((column) => column.toLowerCase());
  const listTitled = titles.includes('list');
  if (!listTitled && !titles.includes('range')) {
    throw new StarRocksResultShapeError(
      `SHOW PARTITIONS answered without a List or Range column (columns: ${table.columns.join(', ') || 'none'})`,
    );
  }
  const rows = readRows(table, kind, [
    'PartitionId',
    'PartitionName',
    'VisibleVersion',
    'VisibleVersionTime',
    'PartitionKey',
    'DistributionKey',
  ]).map(
    (row): PartitionRow => ({
      table: tableName,
      name: row.text('PartitionName'),
      id: bigintText(row, 'PartitionId', kind),
      visibleVersion: bigintText(row, 'VisibleVersion', kind),
      visibleVersionTime: sessionDateTimeToIso(
        row.nullable('VisibleVersionTime'),
        'VisibleVersionTime',
        kind,
      ),
      partitionKey: (row.nullable('PartitionKey') ?? '').trim(),
      distributionKey: (row.nullable('DistributionKey') ?? '').trim(),
      partitionValue: null,
      temporary: false,
    }),
  );
  return { listTitled, rows };
}

/**
 * How a table is partitioned, from its (non-temporary, non-shadow) rows:
 * - no partition key: UNPARTITIONED (SinglePartitionInfo has no columns; it always has its one partition);
 * - SHOW PARTITIONS titled `List`, or a partitions_meta PARTITION_VALUE that is a value list `(…)`: LIST;
 * - otherwise RANGE (RANGE, EXPR_RANGE and EXPR_RANGE_V2 cannot be told apart here; the manifest allows RANGE).
 * UNVERIFIED on a real FE: PARTITION_VALUE's rendering (`[types: …; keys: …; ..…)` for a range, `(('v'))` for
 * list values), which partitions_meta is read by here.
 */
export function partitioningOf(
  rows: readonly PartitionRow[],
  listTitled: boolean | undefined,
): PartitioningKind {
  if (listTitled === true) return 'LIST';
  const keyed = rows.filter((row) => row.partitionKey !== '');
  if (rows.length > 0 && keyed.length === 0) return 'UNPARTITIONED';
  if (listTitled === false) return 'RANGE';
  return keyed.some((row) => (row.partitionValue ?? '').trim().startsWith('(')) ? 'LIST' : 'RANGE';
}

/** The recipe {@link tableFingerprint} hashes; its name is part of the hash, so a new recipe changes every value. */
export const TABLE_FINGERPRINT_RECIPE = 'partition-structure-create-table-v2';

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

function distinctSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Parses `SHOW CREATE TABLE`'s answer: the `Create Table` cell of its one row. */
export function parseShowCreateTable(table: ResultTable): string {
  const [row] = readRows(table, 'SHOW CREATE TABLE', ['Create Table']);
  if (row === undefined) {
    throw new StarRocksResultShapeError('SHOW CREATE TABLE answered no row');
  }
  return row.text('Create Table');
}

/**
 * A `SHOW CREATE TABLE` text without its partition definitions: the parenthesised list that follows the
 * `PARTITION BY …` line (`(PARTITION p1 VALUES [(..), (..)), …)`), removed with its nested brackets (quoted
 * strings respected; a range's `[` is closed by a `)`), so a load, an added, dropped or replaced partition leaves the text unchanged while a column,
 * key, index, distribution or property change does not. The `PARTITION BY` line itself stays (the partitioning
 * expression is schema). UNVERIFIED on a real FE: the layout (AstToStringBuilder.getDdlStmt puts the list on the
 * line after `PARTITION BY`, read from code); dynamic-partition properties that move on their own (none known)
 * would make every night a schema change, which is safe (the table is backed up whole), only larger.
 */
export function createTableWithoutPartitions(text: string): string {
  const header = /^PARTITION BY [^\n]*\n/m.exec(text);
  if (header === null) return text.trim();
  let index = header.index + header[0].length;
  while (index < text.length && /\s/.test(text[index] as string)) index += 1;
  if (text[index] !== '(') return text.trim();
  const start = index;
  let depth = 0;
  let quote: string | null = null;
  for (; index < text.length; index += 1) {
    const char = text[index] as string;
    if (quote !== null) {
      if (char === '\\') index += 1;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') quote = char;
    // A range is written half-open, `[(lower), (upper))`: `[` opens what the last `)` closes.
    else if (char === '(' || char === '[') depth += 1;
    else if (char === ')' || char === ']') {
      depth -= 1;
      if (depth === 0) break;
    }
  }
  return `${text.slice(0, start)}${text.slice(index + 1)}`.trim();
}

/**
 * A table's fingerprint, recipe {@link TABLE_FINGERPRINT_RECIPE}: the SHA-256 of the JSON of
 * `{recipe, partitioning, partitionKeys, distributionKeys, createTable}`: the distinct partition-key and
 * distribution-key texts of its partitions, sorted (what both partitions_meta and SHOW PARTITIONS report of the
 * table's structure, every volatile part left out), and the SHA-256 of its SHOW CREATE TABLE text without the
 * partition definitions ({@link createTableWithoutPartitions}; null when not read), which carries the columns,
 * keys, indexes and properties.
 *
 * LIMITED and UNVERIFIED as a schema-change signal: it does not see a drop-and-recreate under the same name with
 * the same DDL (TABLE_ID is not part of it; information_schema.tables_config has it, research §4.6), and the DDL
 * text's exact characters on a real FE are UNVERIFIED.
 */
export function tableFingerprint(
  partitioning: PartitioningKind,
  rows: readonly PartitionRow[],
  createTable: string | null = null,
): string {
  return sha256(
    JSON.stringify({
      recipe: TABLE_FINGERPRINT_RECIPE,
      partitioning,
      partitionKeys: distinctSorted(rows.map((row) => row.partitionKey)),
      distributionKeys: distinctSorted(rows.map((row) => row.distributionKey)),
      createTable: createTable === null ? null : sha256(createTableWithoutPartitions(createTable)),
    }),
  );
}

/**
 * The fingerprint of a view or MV: recipe `name-only-v1`, a hash of its kind and name. UNVERIFIED / LIMITED: a real
 * FE should hash the definition (SHOW CREATE VIEW / SHOW CREATE MATERIALIZED VIEW, or information_schema.views'
 * VIEW_DEFINITION); the emulator answers none of these yet, so a changed definition is not seen.
 */
export function otherObjectFingerprint(kind: OtherObjectManifest['kind'], name: string): string {
  return sha256(JSON.stringify({ recipe: 'name-only-v1', kind, name }));
}

/**
 * One OLAP table's manifest entry from its partition rows: temporary and `$` shadow partitions are left out, and
 * several rows of one name (physical partitions, 3.2+) become one partition with the first row's id and version
 * and their count.
 */
export function tableManifestOf(
  name: string,
  rows: readonly PartitionRow[],
  listTitled: boolean | undefined,
  createTable: string | null = null,
): OlapTableManifest {
  const kept = rows.filter((row) => !row.temporary && !isShadowPartition(row.name));
  const partitioning = partitioningOf(kept, listTitled);
  const byName = new Map<string, { first: PartitionRow; count: number }>();
  for (const row of kept) {
    const entry = byName.get(row.name);
    if (entry) entry.count += 1;
    else byName.set(row.name, { first: row, count: 1 });
  }
  const partitions = [...byName.values()].map(
    ({ first, count }): Partition => ({
      name: first.name,
      id: first.id,
      visibleVersion: first.visibleVersion,
      visibleVersionTime: first.visibleVersionTime,
      ...(count > 1 ? { physicalPartitions: count } : {}),
    }),
  );
  return { name, fingerprint: tableFingerprint(partitioning, kept, createTable), partitioning, partitions };
}

/**
 * The manifest of a database: its OLAP tables (`partitionsOf` gives each one's entry) and, in `others`, its views
 * and materialized views. External, system and unknown objects are not part of a backup and are left out.
 * Checked against the manifest schema; a violation is a StarRocksResultShapeError (the FE answered something
 * the manifest cannot hold).
 */
export function assembleManifest(
  tables: readonly TableInfo[],
  olapTables: readonly OlapTableManifest[],
): Manifest {
  const others: OtherObjectManifest[] = tables.flatMap((table): OtherObjectManifest[] => {
    if (table.kind === 'VIEW') {
      return [{ name: table.name, kind: 'VIEW', fingerprint: otherObjectFingerprint('VIEW', table.name) }];
    }
    if (table.kind === 'MATERIALIZED_VIEW') {
      return [
        {
          name: table.name,
          kind: 'MATERIALIZED_VIEW',
          fingerprint: otherObjectFingerprint('MATERIALIZED_VIEW', table.name),
        },
      ];
    }
    return [];
  });
  const parsed = manifestSchema.safeParse({
    formatVersion: MANIFEST_FORMAT_VERSION,
    tables: olapTables,
    others,
  });
  if (!parsed.success) {
    throw new StarRocksResultShapeError(
      `the partitions read do not form a manifest: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
    );
  }
  return parsed.data;
}
