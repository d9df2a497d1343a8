import { refusesListPartitionBackup, type VersionProfile } from '#local/emulator/profiles.ts';
import type { BackupObject, BackupStatement } from '#local/emulator/sql/ast.ts';
import { backupJobDurationMs } from '../backup-job.ts';
import { type CatalogDatabase, type CatalogTable, withPartitions } from '../catalog.ts';
import { analyzerError, executionError, FeError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import { javaHashMapOrder } from '../java-compat.ts';
import { isValidDatabaseName } from '../names.ts';
import { OK, type Reply } from '../result.ts';
import type { Session } from '../session.ts';

const MIN_TIMEOUT_MS = 600_000;
const DEFAULT_TIMEOUT_MS = 86_400_000; // Config.backup_job_default_timeout_ms
/** BackupHandler.process: the database's slot holds an unfinished BACKUP or RESTORE. */
export const ALREADY_RUNNING = 'Can only run one backup or restore job of a database at same time';
const BEING_SUBMITTED = 'Another backup or restore job is being submitted. Please wait and try again';

interface TableRef {
  readonly table: CatalogTable;
  readonly partitions: readonly string[] | undefined;
  readonly temporaryPartitions: boolean;
}

/** BackupRestoreAnalyzer.getDbName → FeNameFormat.checkDbName: `Incorrect database name '<db>'` (ERR_WRONG_DB_NAME). */
export function checkDatabaseName(name: string): void {
  if (!isValidDatabaseName(name)) {
    throw analyzerError(`Incorrect database name '${name}'`, 'ERR_WRONG_DB_NAME');
  }
}

/** Long.parseLong: optional sign, decimal digits, within the 64-bit range. */
export function parseJavaLong(value: string): number | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const big = BigInt(value);
  if (big > 9_223_372_036_854_775_807n || big < -9_223_372_036_854_775_808n) return undefined;
  return Number(big);
}

function tableRefText(database: string, object: BackupObject): string {
  // UNVERIFIED: TableRef.toString() layout inside `Can not set alias for table in Backup Stmt: <ref>`.
  return `\`${database}\`.\`${object.name}\` AS \`${object.alias}\``;
}

/**
 * BackupRestoreAnalyzer.analyzeTableRef's ListPartitionInfo check: an OlapTable (MVs extend it) partitioned by
 * list is refused, table by table, on the patches between PR #27551 and PR #51993's backport. The text names no
 * table.
 */
function refuseListPartition(profile: VersionProfile, table: CatalogTable): void {
  const list = table.partitioning === 'LIST' || table.partitioning === 'AUTOMATIC_LIST';
  const olapTable = table.type === 'OLAP' || table.type === 'MATERIALIZED_VIEW';
  if (list && olapTable && refusesListPartitionBackup(profile)) {
    throw analyzerError('List partition table does not support backup/restore job');
  }
}

/** BackupRestoreAnalyzer.analyzeTableRef for one ON object (plus the 3.4+ ALL forms). */
function resolveObjects(
  profile: VersionProfile,
  database: CatalogDatabase,
  objects: readonly BackupObject[] | undefined,
): TableRef[] {
  if (objects === undefined) {
    // Without ON the analyzer adds every table of the database (database.getTables()) and checks each.
    for (const table of database.tables) refuseListPartition(profile, table);
    return database.tables.map((table) => ({ table, partitions: undefined, temporaryPartitions: false }));
  }
  const refs: TableRef[] = [];
  const seen = new Set<string>();
  const add = (ref: TableRef): void => {
    const key = ref.table.name.toLowerCase();
    if (seen.has(key)) throw analyzerError(`Duplicated table: ${ref.table.name}`);
    seen.add(key);
    refs.push(ref);
  };
  for (const object of objects) {
    if (object.all) {
      const wanted = {
        TABLE: ['OLAP'],
        VIEW: ['VIEW'],
        MATERIALIZED_VIEW: ['MATERIALIZED_VIEW'],
        FUNCTION: [],
      }[object.type];
      for (const table of database.tables) {
        if ((wanted as string[]).includes(table.type))
          add({ table, partitions: undefined, temporaryPartitions: false });
      }
      continue;
    }
    const name = object.name as string;
    // UNVERIFIED: the analyzer's text for an unknown function in ON (the emulator has no UDFs).
    if (object.type === 'FUNCTION') throw analyzerError(`Unknown function '${name}'`);
    const table = database.tables.find((candidate) => candidate.name === name);
    if (!table) throw analyzerError(`Incorrect table name '${name}'`);
    refuseListPartition(profile, table);
    if (object.partitions !== undefined) {
      if (table.type !== 'OLAP')
        throw analyzerError(`Incorrect table name '${name}'`, 'ERR_WRONG_TABLE_NAME');
      for (const partition of object.partitions) {
        // BackupRestoreAnalyzer.analyzeTableRef: `olapTbl.getPartition(partName)` over normal partitions; the two
        // spaces and the missing one before the table name are literal (research §1.2).
        if (!table.partitions.some((candidate) => candidate.name === partition))
          throw analyzerError(`partition[${partition}] does not exist  in table${name}`);
      }
    }
    add({ table, partitions: object.partitions, temporaryPartitions: object.temporaryPartitions ?? false });
    if (object.alias !== undefined) {
      throw analyzerError(
        `Can not set alias for table in Backup Stmt: ${tableRefText(database.name, object)}`,
      );
    }
  }
  return refs;
}

/** 4.2's `ttl`: a whole number of days or hours (UNVERIFIED beyond the error text's examples), or empty. */
const TTL_PATTERN = /^\s*(?:\d+\s+(?:DAY|HOUR)S?\s*)?$/i;

/**
 * The analyzer's property loop, in the HashMap order StarRocks iterates it. Returns timeout and type.
 * @param acceptsTtl 4.2+: `ttl` is a known property (the emulator checks it but does not delete expired snapshots)
 */
function analyzeProperties(
  properties: ReadonlyMap<string, string>,
  acceptsTtl: boolean,
): {
  timeoutMs: number;
  incremental: boolean;
} {
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let incremental = false;
  const unknown: string[] = [];
  for (const key of javaHashMapOrder([...properties.keys()])) {
    const value = properties.get(key) as string;
    if (key === 'timeout') {
      const seconds = parseJavaLong(value);
      if (seconds === undefined) throw analyzerError(`Invalid timeout format: ${value}`, 'ERR_COMMON_ERROR');
      if (seconds * 1000 < MIN_TIMEOUT_MS)
        throw analyzerError('timeout must be at least 10 min', 'ERR_COMMON_ERROR');
      timeoutMs = seconds * 1000;
    } else if (key === 'type') {
      const type = value.toUpperCase();
      if (type !== 'FULL' && type !== 'INCREMENTAL') {
        throw analyzerError(`Invalid backup job type: ${value}`, 'ERR_COMMON_ERROR');
      }
      incremental = type === 'INCREMENTAL';
    } else if (key === 'ttl' && acceptsTtl) {
      if (!TTL_PATTERN.test(value)) {
        throw analyzerError(
          `Invalid ttl: '${value}'. Expected a duration such as '7 DAY' or '12 HOUR', or an empty value to keep the snapshot forever`,
          'ERR_COMMON_ERROR',
        );
      }
    } else {
      unknown.push(key);
    }
  }
  if (unknown.length > 0) {
    throw analyzerError(
      `Unknown backup job properties: [${javaHashMapOrder(unknown).join(', ')}]`,
      'ERR_COMMON_ERROR',
    );
  }
  return { timeoutMs, incremental };
}

function sortedLikeTreeMap(refs: readonly TableRef[]): TableRef[] {
  const key = (ref: TableRef) => ref.table.name.toUpperCase().toLowerCase();
  return [...refs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function tableTypeName(table: CatalogTable): string {
  return {
    OLAP: 'OLAP',
    VIEW: 'VIEW',
    MATERIALIZED_VIEW: 'MATERIALIZED_VIEW',
    EXTERNAL: 'MYSQL',
    SYSTEM_VIEW: 'SCHEMA',
  }[table.type];
}

/** The TableType a table of this kind has on the FE (catalog/Table.java TableType). */
function fullTableType(fe: Frontend, table: CatalogTable): string {
  if (fe.runMode === 'shared_data' && table.type === 'OLAP') return 'CLOUD_NATIVE';
  if (fe.runMode === 'shared_data' && table.type === 'MATERIALIZED_VIEW')
    return 'CLOUD_NATIVE_MATERIALIZED_VIEW';
  return tableTypeName(table);
}

/**
 * Whether BackupHandler.backup accepts the table. Up to 3.3 it asks `isOlapTable()` (3.2 and 3.3:
 * `isOlapTableOrMaterializedView()`, PR #29164), so a shared-data cluster's LakeTable (TableType CLOUD_NATIVE) is
 * refused like a view. From 3.4 it asks Table.isSupportBackupRestore (OLAP tables, MVs, views; PR #52729); that
 * cloud-native tables answer false there follows StarRocks' docs ("shared-data clusters do not support BACKUP"),
 * not a source line (UNVERIFIED).
 */
function accepts(fe: Frontend, table: CatalogTable): boolean {
  if (fe.runMode === 'shared_data' && table.type !== 'VIEW') return false;
  switch (table.type) {
    case 'OLAP':
      return true;
    case 'MATERIALIZED_VIEW':
      return fe.profile.backsUpMaterializedViews;
    case 'VIEW':
      return fe.profile.backsUpViews;
    default:
      return false;
  }
}

/** BackupHandler.backup's table pre-check, table by table in the analyzer's (TreeMap) order. */
function checkBackupable(fe: Frontend, refs: readonly TableRef[]): void {
  for (const ref of refs) {
    const { table } = ref;
    if (!accepts(fe, table)) {
      if (!fe.profile.backsUpViews) {
        // ErrorCode.ERR_NOT_OLAP_TABLE: "Table '%s' is not a OLAP table".
        throw executionError(`Table '${table.name}' is not a OLAP table`, 'ERR_NOT_OLAP_TABLE');
      }
      // BackupHandler.backup (main): "Table: " + tblName + " can not support backup restore, type: " + tbl.getType().
      throw executionError(
        `Table: ${table.name} can not support backup restore, type: ${fullTableType(fe, table)}`,
      );
    }
    if (ref.temporaryPartitions)
      throw executionError('Do not support backing up temp partitions', 'ERR_COMMON_ERROR');
  }
}

function backupObjectText(database: string, ref: TableRef): string {
  const base = `${database}.${ref.table.name}`;
  // TableRef.toString() is the name followed by PartitionNames.toString(), `PARTITIONS (p1, p2)`, with no space
  // between (analysis/TableRef.java, sql/ast/PartitionNames.java, branch-3.3; research §6). UNVERIFIED live.
  return ref.partitions === undefined ? base : `${base}PARTITIONS (${ref.partitions.join(', ')})`;
}

/**
 * The table as the snapshot records it: `olapTbl.selectiveCopy(reservedPartitions, …)` keeps only the named
 * partitions, each with the visible version and contents it has now (BackupJob PENDING copies
 * `physicalPartition.getVisibleVersion()` under the DB lock; research §6). The emulator copies at submission,
 * StarRocks at the first scheduler tick (≤ 3 s later): a load in between is not modelled.
 */
function snapshotCopy(ref: TableRef): CatalogTable {
  const wanted = ref.partitions;
  if (wanted === undefined) return ref.table;
  return withPartitions(
    ref.table,
    ref.table.partitions.filter((partition) => wanted.includes(partition.name)),
  );
}

/**
 * `BACKUP SNAPSHOT …`: the checks of BackupRestoreAnalyzer, AuthorizerStmtVisitor and BackupHandler.process in
 * StarRocks' order, then a new job in the database's slot.
 */
export function executeBackup(fe: Frontend, statement: BackupStatement, session: Session): Reply {
  // ---- analyzer (sql/analyzer/BackupRestoreAnalyzer.java)
  let databaseName = statement.database;
  if (databaseName === undefined || databaseName === '') databaseName = session.database ?? '';
  else checkDatabaseName(databaseName);
  const database = fe.catalog.get(databaseName);
  if (!database) throw analyzerError(`Unknown database '${databaseName}'`, 'ERR_BAD_DB_ERROR');
  if (statement.label === '')
    throw analyzerError(`Incorrect label name '${statement.label}'`, 'ERR_WRONG_LABEL_NAME');
  if (statement.repository === '') throw analyzerError('Repository is empty', 'ERR_COMMON_ERROR');
  if (!fe.repositories.has(statement.repository)) {
    throw analyzerError(`Repository [${statement.repository}] does not exist`, 'ERR_COMMON_ERROR');
  }
  const refs = resolveObjects(fe.profile, database, statement.on);
  const { timeoutMs, incremental } = analyzeProperties(statement.properties, fe.profile.dropSnapshot);

  // ---- authorizer (sql/analyzer/AuthorizerStmtVisitor.java): REPOSITORY, an empty database, EXPORT per table
  fe.access.require(session, 'REPOSITORY', { type: 'SYSTEM' });
  if (refs.length === 0) throw analyzerError(`Database: ${database.name} is empty`);
  const sorted = sortedLikeTreeMap(refs);
  for (const ref of sorted) {
    fe.access.require(session, 'EXPORT', { type: 'TABLE', database: database.name, name: ref.table.name });
  }

  // ---- execution (backup/BackupHandler.java process + backup)
  if (fe.faults.takeRepositoryDrop(statement.repository)) fe.repositories.delete(statement.repository);
  const repository = fe.repositories.get(statement.repository);
  if (!repository)
    throw executionError(`Repository ${statement.repository} does not exist`, 'ERR_COMMON_ERROR');
  if (!fe.catalog.get(database.name))
    throw executionError(`Unknown database '${database.name}'`, 'ERR_BAD_DB_ERROR');
  const rejection = fe.faults.takeRejection(database.name);
  if (rejection) {
    const detail = rejection.reason === 'being-submitted' ? BEING_SUBMITTED : ALREADY_RUNNING;
    throw new FeError(detail, {
      phase: 'execution',
      errorCode: 'ERR_COMMON_ERROR',
      ...(rejection.wrapUnexpectedException ? { forcedMessage: `Unexpected exception: ${detail}` } : {}),
    });
  }
  const current = fe.slotJob(database);
  if (current && !fe.jobEnd(current).done) throw executionError(ALREADY_RUNNING, 'ERR_COMMON_ERROR');
  if (repository.readOnly)
    throw executionError(`Repository ${repository.name} is read only`, 'ERR_COMMON_ERROR');
  checkBackupable(fe, sorted);
  const existing = repository
    .directories(fe.contributions(repository.name))
    .map((directory) => directory.name);
  if (existing.includes(statement.label)) {
    throw executionError(
      incremental
        ? 'Currently does not support incremental backup'
        : `Snapshot with name '${statement.label}' already exist in repository`,
      'ERR_COMMON_ERROR',
    );
  }

  const override = fe.faults.takeOutcome(database.name);
  const durationMs = override?.durationMs ?? database.backup?.durationMs ?? fe.defaultBackupDurationMs;
  const createdAt = fe.now();
  const stall = fe.faults.takeStall(database.name);
  const tables = sorted.map(snapshotCopy);
  // What the BEs upload: one replica of every backed-up partition (views and external tables hold none).
  const uploadBytes = tables.reduce((sum, table) => sum + table.sizeBytes, 0);
  const rate = database.backup?.uploadBytesPerSecond ?? fe.uploadBytesPerSecond;
  const uploadingMs = rate === undefined ? undefined : Math.ceil((uploadBytes / rate) * 1000);
  const totalMs = backupJobDurationMs(durationMs, uploadingMs);
  fe.submit(
    {
      kind: 'BACKUP',
      label: statement.label,
      database: database.name,
      repository: repository.name,
      tables,
      uploadBytes,
      ...(uploadingMs === undefined ? {} : { uploadingMs }),
      backupObjects: sorted.map((ref) => backupObjectText(database.name, ref)),
      createdAt,
      timeoutMs,
      durationMs,
      outcome: override?.outcome ?? database.backup?.outcome ?? 'finish',
      foreign: false,
      ...(database.backup?.progress === false ? { progressColumn: false } : {}),
      ...(stall ? { stall: { startMs: createdAt + stall.atFraction * totalMs, forMs: stall.forMs } } : {}),
    },
    database,
  );
  return OK;
}
