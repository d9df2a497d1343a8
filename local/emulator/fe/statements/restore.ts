import type { BackupObject, RestoreStatement, Statement } from '#local/emulator/sql/ast.ts';
import { type CatalogDatabase, type CatalogTable, withPartitions } from '../catalog.ts';
import { analyzerError, executionError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import { javaHashMapOrder } from '../java-compat.ts';
import { DEFAULT_CATALOG } from '../privileges.ts';
import type { SnapshotInfoFile } from '../repository.ts';
import type { RestoredTable, RestoreJobRecord } from '../restore-job.ts';
import { checkAndPrepareMeta } from '../restore-meta.ts';
import { type Cell, OK, type Reply, varcharResult } from '../result.ts';
import type { Session } from '../session.ts';
import { ALREADY_RUNNING, parseJavaLong } from './backup.ts';
import { cancelJob } from './show-backup.ts';

const MIN_TIMEOUT_MS = 600_000;
const DEFAULT_TIMEOUT_MS = 86_400_000; // Config.backup_job_default_timeout_ms
/** Config.default_replication_num in shared-nothing mode; RunMode.SharedData answers 1. */
const DEFAULT_REPLICATION_NUM = 3;

/** sql/ast/ShowRestoreStmt.java TITLE_NAMES (the order of RestoreJob.getInfo). */
export const SHOW_RESTORE_COLUMNS = [
  'JobId',
  'Label',
  'Timestamp',
  'DbName',
  'State',
  'AllowLoad',
  'ReplicationNum',
  'RestoreObjs',
  'CreateTime',
  'MetaPreparedTime',
  'SnapshotFinishedTime',
  'DownloadFinishedTime',
  'FinishedTime',
  'UnfinishedTasks',
  'Progress',
  'TaskErrMsg',
  'Status',
  'Timeout',
] as const;

/** Integer.parseInt: optional sign, decimal digits, within the 32-bit range. */
function parseJavaInt(value: string): number | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const parsed = Number(value);
  return parsed >= -2_147_483_648 && parsed <= 2_147_483_647 ? parsed : undefined;
}

interface RestoreProperties {
  readonly backupTimestamp: string;
  readonly timeoutMs: number;
  readonly allowLoad: boolean;
  readonly replicationNum: number | undefined;
}

/**
 * BackupRestoreAnalyzer.visitRestoreStatement's property loop over a HashMap copy (so keys come in Java HashMap
 * order, and the unknown ones stay in that order): timeout, allow_load, replication_num, backup_timestamp,
 * meta_version, starrocks_meta_version; then `Missing backup_timestamp property`, then unknown keys.
 * parseInt's error text is `Invalid meta version format: <v>` for every integer property, as in the source.
 */
function analyzeProperties(properties: ReadonlyMap<string, string>): RestoreProperties {
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let allowLoad = false;
  let replicationNum: number | undefined;
  let backupTimestamp: string | undefined;
  const unknown: string[] = [];
  const integer = (value: string): number => {
    const parsed = parseJavaInt(value);
    if (parsed === undefined)
      throw analyzerError(`Invalid meta version format: ${value}`, 'ERR_COMMON_ERROR');
    return parsed;
  };
  for (const key of javaHashMapOrder([...properties.keys()])) {
    const value = properties.get(key) as string;
    switch (key) {
      case 'timeout': {
        const seconds = parseJavaLong(value);
        if (seconds === undefined)
          throw analyzerError(`Invalid timeout format: ${value}`, 'ERR_COMMON_ERROR');
        if (seconds * 1000 < MIN_TIMEOUT_MS)
          throw analyzerError('timeout must be at least 10 min', 'ERR_COMMON_ERROR');
        timeoutMs = seconds * 1000;
        break;
      }
      case 'allow_load':
        if (value.toLowerCase() !== 'true' && value.toLowerCase() !== 'false') {
          throw analyzerError(`Invalid allow load value: ${value}`, 'ERR_COMMON_ERROR');
        }
        allowLoad = value.toLowerCase() === 'true';
        break;
      case 'replication_num':
        replicationNum = integer(value);
        break;
      case 'backup_timestamp':
        backupTimestamp = value;
        break;
      case 'meta_version':
      case 'starrocks_meta_version':
        integer(value);
        break;
      default:
        unknown.push(key);
    }
  }
  if (backupTimestamp === undefined)
    throw analyzerError('Missing backup_timestamp property', 'ERR_COMMON_ERROR');
  if (unknown.length > 0) {
    throw analyzerError(`Unknown restore job properties: [${unknown.join(', ')}]`, 'ERR_COMMON_ERROR');
  }
  return { backupTimestamp, timeoutMs, allowLoad, replicationNum };
}

interface RestoreRef {
  readonly name: string;
  readonly alias: string | undefined;
  readonly partitions: readonly string[] | undefined;
  readonly temporaryPartitions: boolean;
}

/** The analyzer's ON checks: `Duplicated table: <t>`, `Duplicated alias name: <a>` (an alias may not reuse a name). */
function analyzeObjects(objects: readonly BackupObject[] | undefined): RestoreRef[] | undefined {
  // `ALL TABLES` and friends (3.4+) name every object of a kind; the emulator treats them as the whole snapshot.
  const named = objects?.filter((object) => !object.all && object.name !== undefined);
  if (named === undefined || named.length === 0) return undefined;
  const refs: RestoreRef[] = [];
  const names = new Set<string>();
  for (const object of named) {
    const name = object.name as string;
    if (names.has(name)) throw analyzerError(`Duplicated table: ${name}`);
    names.add(name);
    refs.push({
      name,
      alias: object.alias,
      partitions: object.partitions,
      temporaryPartitions: object.temporaryPartitions ?? false,
    });
  }
  const aliases = new Set(names);
  for (const ref of refs) {
    if (ref.alias !== undefined && aliases.has(ref.alias)) {
      throw analyzerError(`Duplicated alias name: ${ref.alias}`);
    }
    if (ref.alias !== undefined) aliases.add(ref.alias);
  }
  return refs;
}

/** The database named by the statement, before the snapshot is read (3.4+ falls back to the snapshot's). */
function namedTarget(fe: Frontend, statement: RestoreStatement, session: Session): string | undefined {
  if (!fe.profile.restoreCreatesDatabase) return statement.database ?? session.database ?? '';
  return statement.database ?? statement.targetDatabase ?? statement.sourceDatabase;
}

/** AuthorizerStmtVisitor.visitRestoreStatement: REPOSITORY, then CREATE DATABASE or CREATE TABLE + INSERT. */
function authorize(
  fe: Frontend,
  session: Session,
  target: string | undefined,
  refs: RestoreRef[] | undefined,
): void {
  fe.access.require(session, 'REPOSITORY', { type: 'SYSTEM' });
  if (refs === undefined) {
    fe.access.require(session, 'CREATE DATABASE', { type: 'CATALOG', name: DEFAULT_CATALOG });
    return;
  }
  const database = target === undefined ? undefined : fe.catalog.get(target);
  if (!database) return;
  fe.access.require(session, 'CREATE TABLE', { type: 'DATABASE', name: database.name });
  for (const ref of refs) {
    const name = ref.alias ?? ref.name;
    if (database.tables.some((table) => table.name === name)) {
      fe.access.require(session, 'INSERT', { type: 'TABLE', database: database.name, name });
    }
  }
}

/** Repository.getSnapshotInfoFile, wrapped as BackupHandler wraps its failure. */
function readSnapshot(
  fe: Frontend,
  repositoryName: string,
  label: string,
  timestamp: string,
): SnapshotInfoFile {
  const repository = fe.repositories.get(repositoryName);
  if (!repository) throw executionError(`Repository ${repositoryName} does not exist`, 'ERR_COMMON_ERROR');
  const directory = repository
    .directories(fe.contributions(repository.name))
    .find((candidate) => candidate.name === label);
  const info = repository.readInfo(directory, label, timestamp);
  if ('error' in info) {
    throw executionError(
      `Failed to get info of snapshot '${label}' because: ${info.error}. Maybe specified wrong backup timestamp`,
      'ERR_COMMON_ERROR',
    );
  }
  return info.file;
}

function requireFreeSlot(fe: Frontend, database: CatalogDatabase): void {
  const current = fe.slotJob(database);
  if (current && !fe.jobEnd(current).done) throw executionError(ALREADY_RUNNING, 'ERR_COMMON_ERROR');
}

/** BackupHandler.checkAndFilterRestoreObjsExistInSnapshot. */
function restoredTables(
  file: SnapshotInfoFile,
  label: string,
  refs: RestoreRef[] | undefined,
): RestoredTable[] {
  if (refs === undefined) return file.tables.map((source) => ({ source, target: source.name }));
  return refs.map((ref) => {
    const source = file.tables.find((table) => table.name === ref.name);
    if (!source)
      throw executionError(`Table ${ref.name} does not exist in snapshot ${label}`, 'ERR_COMMON_ERROR');
    if (ref.temporaryPartitions) {
      throw executionError('Do not support restoring temporary partitions', 'ERR_COMMON_ERROR');
    }
    const wanted = ref.partitions;
    if (wanted === undefined) return { source, target: ref.alias ?? ref.name };
    for (const partition of wanted) {
      // BackupJobInfo.BackupTableInfo.containsPart: `partitions.containsKey(partName)`, case-sensitive.
      if (!source.partitions.some((candidate) => candidate.name === partition)) {
        throw executionError(
          `Partition ${partition} of table ${ref.name} does not exist in snapshot ${label}`,
          'ERR_COMMON_ERROR',
        );
      }
    }
    // tblInfo.retainPartitions: only the named partitions are restored.
    const retained = withPartitions(
      source,
      source.partitions.filter((partition) => wanted.includes(partition.name)),
    );
    return { source: retained, target: ref.alias ?? ref.name };
  });
}

/**
 * BackupJobInfo.getInfo: the restored tables' snapshot names, in the info file's HashMap order, each followed by
 * ` PARTITIONS [p1, p2]` unless its only partitions are named after it (an unpartitioned table), research §6.
 * UNVERIFIED live: the partition order (the emulator uses Java HashMap order, as for the tables).
 */
function restoreObjectsText(file: SnapshotInfoFile, tables: readonly RestoredTable[]): string {
  const restored = new Map(tables.map((table) => [table.source.name, table.source]));
  return javaHashMapOrder(file.tables.map((table: CatalogTable) => table.name))
    .flatMap((name) => {
      const table = restored.get(name);
      if (!table) return [];
      const partitions = table.partitions
        .map((partition) => partition.name)
        .filter((partition) => partition !== table.name);
      return [
        partitions.length === 0 ? name : `${name} PARTITIONS [${javaHashMapOrder(partitions).join(', ')}]`,
      ];
    })
    .join(', ');
}

/**
 * `RESTORE SNAPSHOT …`: BackupRestoreAnalyzer (ON objects, properties), AuthorizerStmtVisitor, then
 * BackupHandler.process. Up to 3.3 (and the 3.3 profile) the target database must exist and is checked before the
 * snapshot; the newer BackupHandler reads the snapshot first, takes the database from the statement or else from
 * the snapshot, and creates it when missing. The job shares the database's slot with BACKUP.
 */
export function executeRestore(fe: Frontend, statement: RestoreStatement, session: Session): Reply {
  const refs = analyzeObjects(statement.on);
  const properties = analyzeProperties(statement.properties);
  const named = namedTarget(fe, statement, session);
  authorize(fe, session, named, refs);

  let file: SnapshotInfoFile;
  let database: CatalogDatabase;
  if (!fe.profile.restoreCreatesDatabase) {
    if (!fe.repositories.has(statement.repository)) {
      throw executionError(`Repository ${statement.repository} does not exist`, 'ERR_COMMON_ERROR');
    }
    const existing = fe.catalog.get(named ?? '');
    if (!existing) throw executionError(`Unknown database '${named ?? ''}'`, 'ERR_BAD_DB_ERROR');
    database = existing;
    requireFreeSlot(fe, database);
    file = readSnapshot(fe, statement.repository, statement.label, properties.backupTimestamp);
  } else {
    file = readSnapshot(fe, statement.repository, statement.label, properties.backupTimestamp);
    const target = named ?? file.database;
    database = fe.catalog.get(target) ?? fe.catalog.create(target);
    requireFreeSlot(fe, database);
  }

  const tables = restoredTables(file, statement.label, refs);
  const override = fe.faults.takeRestoreOutcome(database.name);
  const replicationNum =
    properties.replicationNum ?? (fe.runMode === 'shared_data' ? 1 : DEFAULT_REPLICATION_NUM);
  const refusal = checkAndPrepareMeta(fe.catalog.get(database.name), tables, replicationNum);
  const record: Omit<RestoreJobRecord, 'jobId'> = {
    kind: 'RESTORE',
    label: statement.label,
    backupTimestamp: properties.backupTimestamp,
    database: database.name,
    repository: statement.repository,
    tables,
    restoreObjects: restoreObjectsText(file, tables),
    allowLoad: properties.allowLoad,
    replicationNum,
    createdAt: fe.now(),
    timeoutMs: properties.timeoutMs,
    durationMs: override?.durationMs ?? database.restore?.durationMs ?? fe.defaultRestoreDurationMs,
    outcome: override?.outcome ?? database.restore?.outcome ?? 'finish',
    ...(refusal === undefined ? {} : { refusal: `[COMMON_ERROR, msg: ${refusal}]` }),
  };
  fe.submitRestore(record, database);
  return OK;
}

/** RestoreJob.getInfo: one SHOW RESTORE row; unset times are `\N` (SQL NULL). */
function restoreRow(fe: Frontend, job: RestoreJobRecord, session: Session): Cell[] {
  const view = fe.restoreView(job);
  // TimeUtils.longToTimeString: the session's time_zone, not the JVM's.
  const zone = fe.sessionZone(session);
  const time = (at: number | undefined): Cell => (at === undefined ? null : zone.dateTime(at));
  return [
    String(view.shownJobId),
    job.label,
    job.backupTimestamp,
    job.database,
    view.state,
    String(job.allowLoad),
    String(job.replicationNum),
    job.restoreObjects,
    time(job.createdAt),
    time(view.metaPreparedAt),
    time(view.snapshotFinishedAt),
    time(view.downloadFinishedAt),
    time(view.finishedAt),
    view.unfinishedTasks,
    view.progress,
    '',
    view.status,
    String(Math.floor(job.timeoutMs / 1000)),
  ];
}

/**
 * `SHOW RESTORE [FROM|IN db]`: with FROM that database's slot, without it every database's (3.x+
 * ShowExecutor.visitShowRestoreStatement); a row only while the slot holds a RESTORE job. REPOSITORY privilege;
 * no EXPORT filter (unlike SHOW BACKUP).
 */
export function showRestore(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'SHOW_RESTORE' }>,
  session: Session,
): Reply {
  let databases = fe.catalog.all();
  if (statement.database !== undefined) {
    const database = fe.catalog.get(statement.database);
    if (!database) throw analyzerError(`Unknown database '${statement.database}'`, 'ERR_BAD_DB_ERROR');
    databases = [database];
  }
  fe.access.require(session, 'REPOSITORY', { type: 'SYSTEM' });
  const rows = databases.flatMap((database) => {
    const job = fe.slotJob(database);
    return job?.kind === 'RESTORE' ? [restoreRow(fe, job, session)] : [];
  });
  return varcharResult(SHOW_RESTORE_COLUMNS, rows);
}

/** `CANCEL RESTORE [FROM|IN db]`: RestoreJob.cancel sets `[COMMON_ERROR, msg: user cancelled, current state: <S>]`. */
export function cancelRestore(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'CANCEL_RESTORE' }>,
  session: Session,
): Reply {
  return cancelJob(fe, 'RESTORE', statement.database, session);
}
