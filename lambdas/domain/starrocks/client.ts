/**
 * The StarRocks operations the Lambdas call, over one FE.
 *
 * {@link createStarRocksClient}: every method opens its own connection, runs its statements and closes it — the
 * default, because Lambda invocations are short and a connection must never outlive its invocation.
 * {@link withStarRocksClientSession}: every call made inside `work` shares one connection (for a core that sends
 * several statements in a row, such as SubmitBackup's adopt-or-submit); it is closed when `work` settles.
 * Cores receive a {@link StarRocksClient} (and, for restores and pruning, a {@link StarRocksMaintenanceClient})
 * and cannot tell the two apart; tests inject fakes of the same interfaces.
 */
import type { Manifest } from '#domain/differential/manifest.ts';
import { StarRocksResultShapeError, StarRocksSqlError, UnsupportedVersionError } from '#domain/errors.ts';
import {
  openStarRocksSession,
  type StarRocksConnectionSettings,
  type StarRocksSession,
  withStarRocksSession,
} from './connection.ts';
import { type BackupJob, parseBackupJobs } from './parse-backup-job.ts';
import {
  type ClusterSnapshot,
  type ClusterSnapshotJob,
  parseClusterSnapshotJobs,
  parseClusterSnapshots,
} from './parse-cluster-snapshots.ts';
import {
  parseDatabases,
  parseRepositories,
  parseTables,
  type RepositoryInfo,
  type TableInfo,
} from './parse-listings.ts';
import {
  assembleManifest,
  type PartitionRow,
  parsePartitionsMeta,
  parseShowCreateTable,
  parseShowPartitions,
  tableManifestOf,
} from './parse-partitions.ts';
import { parseRestoreJobs, type RestoreJob } from './parse-restore-job.ts';
import { parseRunMode, type RunMode } from './parse-run-mode.ts';
import { type DatabaseDataSize, parseShowData } from './parse-show-data.ts';
import {
  parseSnapshotDetails,
  parseSnapshotInfos,
  type SnapshotDetail,
  type SnapshotInfo,
} from './parse-snapshot.ts';
import { type ResultTable, readSingleCell } from './result-table.ts';
import {
  assertBackupInput,
  assertRestoreInput,
  type BackupTableRef,
  type BackupType,
  buildBackupStatement,
  buildCancelBackupStatement,
  buildCancelRestoreStatement,
  buildClusterSnapshotJobsStatement,
  buildClusterSnapshotsStatement,
  buildCountRowsStatement,
  buildCreateDatabaseStatement,
  buildCurrentVersionStatement,
  buildDropDatabaseStatement,
  buildDropPartitionStatement,
  buildDropSnapshotStatement,
  buildListTablesStatement,
  buildPartitionsMetaStatement,
  buildRestoreStatement,
  buildRunModeStatement,
  buildShowBackupStatement,
  buildShowCreateTableStatement,
  buildShowDatabasesStatement,
  buildShowDataStatement,
  buildShowPartitionsStatement,
  buildShowRepositoriesStatement,
  buildShowRestoreStatement,
  buildShowSnapshotDetailStatement,
  buildShowSnapshotStatement,
  buildUseDatabaseStatement,
  type RestoreStatementInput,
  type Statement,
} from './statements.ts';
import { capabilitiesOf, formatVersion, parseStarRocksVersion, type StarRocksVersion } from './version.ts';

/** Settings of one FE; see {@link StarRocksConnectionSettings}. */
export type StarRocksSettings = StarRocksConnectionSettings;

/** What to back up. */
export interface SubmitBackupRequest {
  readonly database: string;
  readonly label: string;
  readonly repository: string;
  /** Only these objects (lambdas/domain/starrocks/backup-scope.ts decides them per version); omitted = the whole database. */
  readonly tables?: readonly (string | BackupTableRef)[];
  /** 3.4+ with `tables`: add `ALL FUNCTIONS` to the ON list. */
  readonly allFunctions?: boolean;
  /** StarRocks' own timeout, whole seconds ≥ 600 (see backupTimeoutPropertySeconds in shared/config). */
  readonly timeoutSeconds: number;
  readonly type?: BackupType;
  /** The FE's version, when already known; otherwise it is read on the same connection first. */
  readonly version?: StarRocksVersion;
}

/** The FE accepted the BACKUP (the job starts in PENDING). */
export interface SubmittedBackup {
  /** The version whose grammar was used. */
  readonly version: StarRocksVersion;
}

/**
 * What CANCEL BACKUP or CANCEL RESTORE did. None of these is an error: the caller wanted the database's job slot
 * free of our job.
 */
export type CancelJobResult =
  /** A running job was cancelled; it now shows CANCELLED `[COMMON_ERROR, msg: user cancelled…]`. */
  | { readonly outcome: 'cancelled' }
  /** The database's slot holds no running job (`No backup job is currently running`, `No restore is …`). */
  | { readonly outcome: 'no-running-job'; readonly message: string }
  /** The slot's job had already ended (`... can not be cancelled. state: FINISHED`). */
  | {
      readonly outcome: 'already-ended';
      readonly state: 'FINISHED' | 'CANCELLED';
      readonly label: string | null;
      readonly message: string;
    };

/** What CANCEL BACKUP did (see {@link CancelJobResult}). */
export type CancelBackupResult = CancelJobResult;

/** What to restore, and where: the statement's fields, the version read on the same connection when not given. */
export type SubmitRestoreRequest = Omit<RestoreStatementInput, 'version'> & {
  /** The FE's version, when already known; otherwise it is read on the same connection first. */
  readonly version?: StarRocksVersion;
};

/** The FE accepted the RESTORE (the job starts in PENDING). */
export interface SubmittedRestore {
  /** The version whose grammar was used. */
  readonly version: StarRocksVersion;
}

/** What CANCEL RESTORE did (see {@link CancelJobResult}). */
export type CancelRestoreResult = CancelJobResult;

/** The StarRocks operations the Lambda cores use. */
export interface StarRocksClient {
  /** `SELECT current_version()`, parsed. */
  currentVersion(): Promise<StarRocksVersion>;
  /** Every database name, system databases included (callers filter). */
  showDatabases(): Promise<string[]>;
  /** The database's tables and views with their kind (OLAP, VIEW, EXTERNAL, …). */
  listTables(database: string): Promise<TableInfo[]>;
  /** SHOW DATA of the database: sizes per table and in total. */
  showData(database: string): Promise<DatabaseDataSize>;
  /**
   * Whether the table is list-partitioned (explicit or automatic list partitioning): SHOW PARTITIONS titles its
   * eighth column `List` then (common/proc/PartitionsProcDir.java). Needs SELECT on the table.
   */
  isListPartitioned(database: string, table: string): Promise<boolean>;
  showRepositories(): Promise<RepositoryInfo[]>;
  /** Sends BACKUP; resolves when the FE accepted it. Refusals are thrown typed (BackupAlreadyRunningError, …). */
  submitBackup(request: SubmitBackupRequest): Promise<SubmittedBackup>;
  /** The database's latest backup job (SHOW BACKUP FROM), or null when its slot holds none. */
  showBackup(database: string): Promise<BackupJob | null>;
  /** CANCEL BACKUP FROM the database; "nothing to cancel" answers are results, not errors. */
  cancelBackup(database: string): Promise<CancelBackupResult>;
  /** The repository's row for the label, or null when SHOW SNAPSHOT lists none. */
  showSnapshot(repository: string, label: string): Promise<SnapshotInfo | null>;
  /** The detail row (naming the database) for the label at one of its timestamps, or null. */
  showSnapshotDetail(repository: string, label: string, timestamp: string): Promise<SnapshotDetail | null>;
}

/** Restores, restore drills, snapshot pruning and cluster awareness (added beside {@link StarRocksClient}). */
export interface StarRocksMaintenanceClient {
  /**
   * Sends RESTORE; resolves when the FE accepted it. Refusals are thrown typed: SnapshotNotFoundError (wrong
   * timestamp, table not in the snapshot), BackupAlreadyRunningError (the database's one job slot is busy), …
   */
  submitRestore(request: SubmitRestoreRequest): Promise<SubmittedRestore>;
  /** The database's latest restore job (SHOW RESTORE FROM), or null when its slot holds none. */
  showRestore(database: string): Promise<RestoreJob | null>;
  /** CANCEL RESTORE FROM the database; "nothing to cancel" answers are results, not errors. */
  cancelRestore(database: string): Promise<CancelRestoreResult>;
  /**
   * `DROP SNAPSHOT label ON repo [FORCE]`. StarRocks has it from 4.2 only: on older FEs this throws
   * UnsupportedVersionError after reading the version and sends nothing else. Refusals: SnapshotNotFoundError,
   * SnapshotInUseError (a job is using it; retry later), SnapshotNotOwnedError (another cluster's; needs force),
   * UnknownRepositoryError (missing or read-only repository).
   */
  dropSnapshot(
    repository: string,
    label: string,
    options?: { readonly force?: boolean; readonly version?: StarRocksVersion },
  ): Promise<void>;
  /** `CREATE DATABASE [IF NOT EXISTS]`; without ifNotExists an existing database is a StarRocksSqlError. */
  createDatabase(database: string, options?: { readonly ifNotExists?: boolean }): Promise<void>;
  /** `DROP DATABASE IF EXISTS` (force: skip the recycle bin); dropping a missing database succeeds. */
  dropDatabase(database: string, options?: { readonly force?: boolean }): Promise<void>;
  /** `SELECT COUNT(*)` of one table. */
  countRows(database: string, table: string): Promise<number>;
  /** The FE's run_mode (needs the OPERATE privilege; StarRocksAccessDeniedError otherwise). */
  runMode(): Promise<RunMode>;
  /** information_schema.cluster_snapshots (shared-data clusters, 3.4.2+). */
  clusterSnapshots(): Promise<ClusterSnapshot[]>;
  /** information_schema.cluster_snapshot_jobs (shared-data clusters, 3.4.2+), oldest first. */
  clusterSnapshotJobs(): Promise<ClusterSnapshotJob[]>;
}

/** Where a partition manifest was read from. */
export interface PartitionManifestOptions {
  /** The FE's version, when already known; otherwise it is read on the same connection first. */
  readonly version?: StarRocksVersion;
}

/**
 * Partitions, for differential backups and chain restores (issue 20: a differential night, the local chain restore,
 * NextRestoreStep's drops and VerifyRestore's chain check). Added beside {@link StarRocksClient} and
 * {@link StarRocksMaintenanceClient}, so their fakes need not implement it.
 */
export interface StarRocksPartitionClient {
  /**
   * The database's partition manifest (lambdas/domain/differential/manifest.ts): its OLAP tables with their
   * partitions (id, visible version and its time in UTC, partitioning kind, a fingerprint: see parse-partitions.ts
   * tableFingerprint, which hashes each table's SHOW CREATE TABLE without its partition list), its views and MVs in
   * `others`. One SHOW CREATE TABLE per OLAP table; one information_schema.partitions_meta query when the version
   * has it (capability `partitionsMeta`: 3.1.9, 3.2.4, 3.3.0+) and it answers; SHOW PARTITIONS per table otherwise,
   * and for a table partitions_meta lists no partition of (an empty partitioned table). Needs any privilege on each
   * table (partitions_meta silently skips the others; SHOW CREATE TABLE refuses) and SELECT for SHOW PARTITIONS.
   */
  readPartitionManifest(database: string, options?: PartitionManifestOptions): Promise<Manifest>;
  /**
   * ``ALTER TABLE db.t DROP PARTITION [IF EXISTS] p [FORCE]`` (a chain restore's drop step sends FORCE, see
   * statements.ts buildDropPartitionStatement). Refusals are StarRocksSqlError.
   */
  dropPartition(
    database: string,
    table: string,
    partition: string,
    options?: { readonly force?: boolean; readonly ifExists?: boolean },
  ): Promise<void>;
}

/** Every operation: what {@link createStarRocksClient} and {@link withStarRocksClientSession} hand out. */
export type FullStarRocksClient = StarRocksClient & StarRocksMaintenanceClient & StarRocksPartitionClient;

type SessionRunner = <T>(work: (session: StarRocksSession) => Promise<T>) => Promise<T>;

const NO_RUNNING_BACKUP = 'No backup job is currently running';
const NO_RUNNING_RESTORE = 'No restore is currently running';
const CANNOT_CANCEL = /Job with label (\S*) can not be cancelled\. state: (FINISHED|CANCELLED)/;

async function readVersion(session: StarRocksSession): Promise<StarRocksVersion> {
  const statement = buildCurrentVersionStatement();
  const text = readSingleCell(await session.query(statement), statement.kind);
  try {
    return parseStarRocksVersion(text);
  } catch (error) {
    throw new StarRocksResultShapeError(`${statement.kind} answered ${JSON.stringify(text)}, not a version`, {
      cause: error,
    });
  }
}

/** SHOW PARTITIONS' eighth column is `List` for a list-partitioned table, `Range` otherwise. */
function isListTitled(table: ResultTable): boolean {
  const titles = table.columns.map((column) => column.toLowerCase());
  if (titles.includes('list')) return true;
  if (titles.includes('range')) return false;
  throw new StarRocksResultShapeError(
    `SHOW PARTITIONS answered without a List or Range column (columns: ${table.columns.join(', ') || 'none'})`,
  );
}

/**
 * Whether a partitions_meta query failed because the FE has no such table (an FE older than its version says,
 * e.g. a build without the backport). UNVERIFIED: a real FE's exact text; any SQL error naming the table counts.
 */
function isMissingPartitionsMeta(error: unknown): boolean {
  return error instanceof StarRocksSqlError && /partitions_meta/i.test(error.message);
}

function groupByTable(rows: readonly PartitionRow[]): Map<string, PartitionRow[]> {
  const grouped = new Map<string, PartitionRow[]>();
  for (const row of rows) {
    const list = grouped.get(row.table);
    if (list) list.push(row);
    else grouped.set(row.table, [row]);
  }
  return grouped;
}

async function readManifest(
  session: StarRocksSession,
  database: string,
  options: PartitionManifestOptions,
): Promise<Manifest> {
  const tables = parseTables(await session.query(buildListTablesStatement(database)));
  const olap = tables.filter((table) => table.kind === 'OLAP');
  let fromMeta: Map<string, PartitionRow[]> | undefined;
  if (olap.length > 0) {
    const version = options.version ?? (await readVersion(session));
    if (capabilitiesOf(version).partitionsMeta) {
      try {
        fromMeta = groupByTable(
          parsePartitionsMeta(await session.query(buildPartitionsMetaStatement(database))),
        );
      } catch (error) {
        if (!isMissingPartitionsMeta(error)) throw error;
      }
    }
  }
  const entries = [];
  for (const table of olap) {
    const createTable = parseShowCreateTable(
      await session.query(buildShowCreateTableStatement(database, table.name)),
    );
    const rows = fromMeta?.get(table.name);
    if (rows !== undefined && rows.length > 0) {
      entries.push(tableManifestOf(table.name, rows, undefined, createTable));
      continue;
    }
    const shown = parseShowPartitions(
      await session.query(buildShowPartitionsStatement(database, table.name)),
      table.name,
    );
    entries.push(tableManifestOf(table.name, shown.rows, shown.listTitled, createTable));
  }
  return assembleManifest(tables, entries);
}

function latestJobOf<Job extends { readonly dbName: string }>(
  jobs: readonly Job[],
  database: string,
): Job | null {
  // With FROM the FE answers for that database only; match the name anyway (exactly, then ignoring case).
  const exact = jobs.filter((job) => job.dbName === database);
  const candidates =
    exact.length > 0 ? exact : jobs.filter((job) => job.dbName.toLowerCase() === database.toLowerCase());
  return candidates.at(-1) ?? null;
}

function cancelAnswer(error: unknown, noRunningJob: string): CancelJobResult | null {
  if (!(error instanceof StarRocksSqlError)) {
    return null;
  }
  if (error.message.includes(noRunningJob)) {
    return { outcome: 'no-running-job', message: error.message };
  }
  const match = CANNOT_CANCEL.exec(error.message);
  if (match) {
    return {
      outcome: 'already-ended',
      state: match[2] as 'FINISHED' | 'CANCELLED',
      label: match[1] || null,
      message: error.message,
    };
  }
  return null;
}

async function cancel(
  session: StarRocksSession,
  statement: Statement,
  noRunningJob: string,
): Promise<CancelJobResult> {
  try {
    await session.query(statement);
    return { outcome: 'cancelled' };
  } catch (error) {
    const answer = cancelAnswer(error, noRunningJob);
    if (answer === null) {
      throw error;
    }
    return answer;
  }
}

async function readCount(session: StarRocksSession, statement: Statement): Promise<number> {
  const text = readSingleCell(await session.query(statement), statement.kind).trim();
  if (!/^\d+$/.test(text)) {
    throw new StarRocksResultShapeError(
      `${statement.kind} answered ${JSON.stringify(text)}, not a row count`,
    );
  }
  return Number(text);
}

function buildClient(run: SessionRunner): FullStarRocksClient {
  return {
    currentVersion: () => run(readVersion),

    showDatabases: () =>
      run(async (session) => parseDatabases(await session.query(buildShowDatabasesStatement()))),

    listTables: async (database) => {
      const statement = buildListTablesStatement(database);
      return run(async (session) => parseTables(await session.query(statement)));
    },

    showData: async (database) => {
      const use = buildUseDatabaseStatement(database);
      return run(async (session) => {
        await session.query(use);
        return parseShowData(await session.query(buildShowDataStatement()));
      });
    },

    isListPartitioned: async (database, table) => {
      const statement = buildShowPartitionsStatement(database, table);
      return run(async (session) => isListTitled(await session.query(statement)));
    },

    showRepositories: () =>
      run(async (session) => parseRepositories(await session.query(buildShowRepositoriesStatement()))),

    submitBackup: async (request) => {
      // Refuse a bad request before connecting: a refused name sends nothing at all.
      assertBackupInput(request);
      return run(async (session) => {
        const version = request.version ?? (await readVersion(session));
        await session.query(buildBackupStatement({ ...request, version }));
        return { version };
      });
    },

    showBackup: async (database) => {
      const statement = buildShowBackupStatement(database);
      return run(async (session) => latestJobOf(parseBackupJobs(await session.query(statement)), database));
    },

    cancelBackup: async (database) => {
      const statement = buildCancelBackupStatement(database);
      return run((session) => cancel(session, statement, NO_RUNNING_BACKUP));
    },

    showSnapshot: async (repository, label) => {
      const statement = buildShowSnapshotStatement(repository, label);
      return run(async (session) => {
        const rows = parseSnapshotInfos(await session.query(statement));
        return rows.find((row) => row.snapshot === label) ?? null;
      });
    },

    showSnapshotDetail: async (repository, label, timestamp) => {
      const statement = buildShowSnapshotDetailStatement(repository, label, timestamp);
      return run(async (session) => {
        const rows = parseSnapshotDetails(await session.query(statement));
        return rows.find((row) => row.snapshot === label) ?? null;
      });
    },

    submitRestore: async (request) => {
      assertRestoreInput(request);
      return run(async (session) => {
        const version = request.version ?? (await readVersion(session));
        await session.query(buildRestoreStatement({ ...request, version }));
        return { version };
      });
    },

    showRestore: async (database) => {
      const statement = buildShowRestoreStatement(database);
      return run(async (session) => latestJobOf(parseRestoreJobs(await session.query(statement)), database));
    },

    cancelRestore: async (database) => {
      const statement = buildCancelRestoreStatement(database);
      return run((session) => cancel(session, statement, NO_RUNNING_RESTORE));
    },

    dropSnapshot: async (repository, label, options = {}) => {
      const statement = buildDropSnapshotStatement(
        repository,
        label,
        options.force === undefined ? {} : { force: options.force },
      );
      return run(async (session) => {
        const version = options.version ?? (await readVersion(session));
        if (!capabilitiesOf(version).dropSnapshot) {
          throw new UnsupportedVersionError(
            `DROP SNAPSHOT needs StarRocks 4.2 or later; the FE runs ${formatVersion(version)}. Delete the snapshot's ` +
              'objects in the repository storage instead.',
          );
        }
        await session.query(statement);
      });
    },

    createDatabase: async (database, options = {}) => {
      const statement = buildCreateDatabaseStatement(
        database,
        options.ifNotExists === undefined ? {} : { ifNotExists: options.ifNotExists },
      );
      await run((session) => session.query(statement));
    },

    dropDatabase: async (database, options = {}) => {
      const statement = buildDropDatabaseStatement(
        database,
        options.force === undefined ? {} : { force: options.force },
      );
      await run((session) => session.query(statement));
    },

    countRows: async (database, table) => {
      const statement = buildCountRowsStatement(database, table);
      return run((session) => readCount(session, statement));
    },

    runMode: () => run(async (session) => parseRunMode(await session.query(buildRunModeStatement()))),

    clusterSnapshots: () =>
      run(async (session) => parseClusterSnapshots(await session.query(buildClusterSnapshotsStatement()))),

    clusterSnapshotJobs: () =>
      run(async (session) =>
        parseClusterSnapshotJobs(await session.query(buildClusterSnapshotJobsStatement())),
      ),

    readPartitionManifest: async (database, options = {}) => {
      // Validate the name before connecting: a refused name sends nothing at all.
      buildListTablesStatement(database);
      return run((session) => readManifest(session, database, options));
    },

    dropPartition: async (database, table, partition, options = {}) => {
      const statement = buildDropPartitionStatement(database, table, partition, options);
      await run((session) => session.query(statement));
    },
  };
}

/**
 * A client whose every call opens a connection, runs and closes it. Statements are built (and names validated)
 * before connecting, so a refused name never opens a connection.
 */
export function createStarRocksClient(settings: StarRocksSettings): FullStarRocksClient {
  return buildClient((work) => withStarRocksSession(settings, work));
}

/**
 * Runs `work` with a client whose calls all share one connection, closed when `work` settles (on error too).
 * The connection opens lazily, at the first call that needs it.
 */
export async function withStarRocksClientSession<T>(
  settings: StarRocksSettings,
  work: (client: FullStarRocksClient) => Promise<T>,
): Promise<T> {
  let opening: Promise<StarRocksSession> | undefined;
  const client = buildClient(async (use) => {
    opening ??= openStarRocksSession(settings);
    return use(await opening);
  });
  try {
    return await work(client);
  } finally {
    if (opening !== undefined) {
      await opening.then(
        (session) => session.close(),
        () => undefined,
      );
    }
  }
}
