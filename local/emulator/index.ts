import { createSecureContext } from 'node:tls';
import { type Clock, systemClock } from '#domain/clock.ts';
import { type EmulatorFaults, FaultRegistry } from './faults.ts';
import type { BackupJobState } from './fe/backup-job.ts';
import { Frontend } from './fe/frontend.ts';
import type { RestoreJobState } from './fe/restore-job.ts';
import {
  describeContents,
  type EmulatorPartition,
  type EmulatorTableContents,
  type PartitionWrite,
  TableState,
} from './fe/table-state.ts';
import { resolveProfile, servesMysqlTls, type VersionProfile } from './profiles.ts';
import { type StatementLogEntry, startProtocolServer } from './protocol/server.ts';
import {
  demoScenario,
  type EmulatorScenario,
  type ScenarioDatabase,
  type ScenarioPartition,
  type ScenarioTable,
  validateScenario,
} from './scenario.ts';

export type { BackupStall, EmulatorFaults, FloodReport, StatementMatcher } from './faults.ts';
export type { BackupJobState } from './fe/backup-job.ts';
export type { RestoreJobState } from './fe/restore-job.ts';
export type { EmulatorPartition, EmulatorTableContents, PartitionWrite } from './fe/table-state.ts';
export type { ProfileId, VersionProfile } from './profiles.ts';
export { MYSQL_TLS_SINCE, servesMysqlTls } from './profiles.ts';
export type { StatementLogEntry } from './protocol/server.ts';
export type {
  BackupOutcome,
  EmulatorScenario,
  RestoreOutcome,
  ScenarioDatabase,
  ScenarioPartition,
  ScenarioRepository,
  ScenarioSnapshot,
  ScenarioTable,
  ScenarioUser,
  TableType,
  UserPrivileges,
} from './scenario.ts';
export { demoScenario, loadScenarioFile, ScenarioError, validateScenario } from './scenario.ts';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default `0` (any free port). */
  readonly port?: number;
  /** Default {@link demoScenario}. */
  readonly scenario?: EmulatorScenario;
  /** Default the system clock; pass a manual clock to move time without sleeping. */
  readonly clock?: Clock;
  /** Called for every statement received (the CLI logs them). */
  readonly onStatement?: (entry: StatementLogEntry) => void;
  /**
   * A certificate (PEM chain) and its private key (PEM) to serve TLS on the MySQL port with, as an FE with
   * `ssl_keystore_location` set does. Profiles older than 3.4.1 ignore it and offer no TLS ({@link MYSQL_TLS_SINCE}).
   */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
}

/** A BACKUP job as the emulator sees it now. */
export interface EmulatorJob {
  /** The FE id (SHOW BACKUP shows `-1` until the first scheduler tick). */
  readonly jobId: number;
  readonly label: string;
  readonly database: string;
  readonly repository: string;
  readonly state: BackupJobState;
  /** SHOW BACKUP's Status cell, e.g. `[OK]` or `[TIMEOUT, msg: ]`. */
  readonly status: string;
  readonly createdAt: number;
  readonly finishedAt: number | undefined;
  readonly foreign: boolean;
}

/** A RESTORE job as the emulator sees it now. */
export interface EmulatorRestoreJob {
  readonly jobId: number;
  readonly label: string;
  /** The `backup_timestamp` it restores. */
  readonly backupTimestamp: string;
  /** The database it restores into. */
  readonly database: string;
  readonly repository: string;
  readonly state: RestoreJobState;
  /** SHOW RESTORE's Status cell. */
  readonly status: string;
  readonly createdAt: number;
  readonly finishedAt: number | undefined;
}

/** A table of a database now (restored tables carry the snapshot's row count). */
export interface EmulatorTable {
  readonly name: string;
  readonly type: string;
  readonly rows: number;
  readonly sizeBytes: number;
}

/** A snapshot directory of a repository now. */
export interface EmulatorSnapshot {
  readonly name: string;
  /** Database of the job that wrote it. */
  readonly database: string;
  /** Info-file timestamps (`yyyy-MM-dd-HH-mm-ss-SSS`, FE JVM zone); empty while uploading or after a failure. */
  readonly timestamps: readonly string[];
  readonly status: 'OK' | 'ERROR';
}

/** Inspection of the emulated FE (read at call time; job state is derived from the clock). */
export interface EmulatorState {
  /** The version profile in force. */
  readonly profile: VersionProfile;
  /** Every BACKUP job, oldest first, optionally of one database. */
  jobs(database?: string): EmulatorJob[];
  /** The BACKUP job in the database's slot (what SHOW BACKUP FROM db shows), if any. */
  latestJob(database: string): EmulatorJob | undefined;
  /** Every RESTORE job, oldest first, optionally of one target database. */
  restoreJobs(database?: string): EmulatorRestoreJob[];
  /** The RESTORE job in the database's slot (what SHOW RESTORE FROM db shows), if any. */
  latestRestoreJob(database: string): EmulatorRestoreJob | undefined;
  /** The database's tables now, or undefined when it does not exist. */
  tables(database: string): EmulatorTable[] | undefined;
  /** The snapshot directories of a repository, in listing order. */
  snapshots(repository: string): EmulatorSnapshot[];
  /** Jobs unfinished now, across the whole FE. */
  runningJobCount(): number;
  /** The most jobs that were running at once, counted at each successful BACKUP. */
  readonly maxConcurrentRunningJobs: number;
  /** Adds (or replaces) a database at run time. @throws Error for a name StarRocks could not have created */
  addDatabase(database: ScenarioDatabase): void;
  /** Deletes a snapshot directory by hand (before 4.2 the only way to delete a snapshot). */
  deleteSnapshot(repository: string, name: string): void;
  /**
   * From now on (until called with null), SHOW SNAPSHOT cannot list that snapshot's directory: its row reads
   * `ERROR: Failed to get info: <error>` (a broker or object-store outage).
   */
  failSnapshotListing(repository: string, snapshot: string, error: string | null): void;
  /**
   * The database's tables with their partitions and contents now (ids, visible versions and times, rows,
   * bytes, schema text), or undefined for a missing database: for comparing a restore row by row.
   */
  contents(database: string): EmulatorTableContents[] | undefined;
  /**
   * The tables (and exactly the partitions, with their versions and contents at backup time) the snapshot's
   * newest info file records, or undefined while it has none.
   */
  snapshotContents(repository: string, name: string): EmulatorTableContents[] | undefined;
  /**
   * A committed load of `write.rows` rows into a partition: rows += n, bytes grow, visible version += 1, its time
   * = now. A load of no rows changes nothing. @throws Error for a missing database, table or partition
   */
  load(database: string, table: string, partition: string, write: PartitionWrite): EmulatorPartition;
  /** ALTER TABLE ADD PARTITION (new id; version 1, or 2 when given rows). @throws Error on an unpartitioned table */
  addPartition(database: string, table: string, partition: ScenarioPartition): EmulatorPartition;
  /** ALTER TABLE DROP PARTITION. @throws Error on an unpartitioned table or a missing partition */
  dropPartition(database: string, table: string, partition: string): void;
  /**
   * TRUNCATE (no `write`) or INSERT OVERWRITE of one partition: same name, NEW partition id, version restarts
   * (1 empty, 2 with rows), time = now.
   */
  replacePartition(
    database: string,
    table: string,
    partition: string,
    write?: PartitionWrite,
  ): EmulatorPartition;
  /** A schema change: the table's schema text changes (default: `'` appended), versions do not. @returns it */
  alterSchema(database: string, table: string, schema?: string): string;
  /** CREATE TABLE from a scenario description (new table and partition ids). */
  createTable(database: string, table: ScenarioTable): EmulatorTableContents;
  /** DROP TABLE. */
  dropTable(database: string, table: string): void;
}

/** A running emulator. */
export interface EmulatorHandle {
  readonly host: string;
  readonly port: number;
  /** The handshake offers TLS (a certificate was given and the profile is 3.4.1 or later). */
  readonly tls: boolean;
  /** Every statement received, in order. */
  readonly statements: readonly StatementLogEntry[];
  readonly faults: EmulatorFaults;
  readonly state: EmulatorState;
  close(): Promise<void>;
}

/** A clock you move by hand: `clock.advance(60_000)` jumps a minute with no sleeping. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(epochMs: number): void;
}

/** Creates a {@link ManualClock} starting at `startMs` (default 2026-11-25T02:00:00Z). */
export function createManualClock(startMs = Date.UTC(2026, 10, 25, 2, 0, 0)): ManualClock {
  let now = startMs;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    set: (epochMs) => {
      now = epochMs;
    },
  };
}

function faultsOf(registry: FaultRegistry, frontend: Frontend): EmulatorFaults {
  return {
    cancelNextBackup: (database, status, atState) =>
      registry.queueOutcome(
        database,
        atState === undefined ? { cancelWithStatus: status } : { cancelWithStatus: status, atState },
      ),
    hangNextBackup: (database) => registry.queueOutcome(database, 'hang'),
    stallBackup: (database, stall) => registry.queueStall(database, stall),
    setBackupOutcome: (database, outcome, durationMs) => registry.setOutcome(database, outcome, durationMs),
    rejectBackups: (database, count, rejectOptions = {}) =>
      registry.addRejections(database, {
        remaining: count,
        reason: rejectOptions.reason ?? 'already-running',
        wrapUnexpectedException: rejectOptions.wrapUnexpectedException ?? false,
      }),
    dropConnectionOn: (matcher, dropOptions = {}) =>
      registry.addDrop(matcher, dropOptions.times ?? 1, dropOptions.when ?? 'before'),
    failStatements: (matcher, message, failOptions = {}) =>
      registry.addFailure(matcher, message, failOptions.times ?? Number.POSITIVE_INFINITY),
    failClusterSnapshots: (message) => frontend.clusterSnapshots.failWith(message),
    delayReplies: (matcher, delayMs, delayOptions = {}) =>
      registry.addDelay(matcher, delayMs, delayOptions.times ?? Number.POSITIVE_INFINITY),
    refuseLogins: (refuseOptions = {}) =>
      registry.refuseLogins(refuseOptions.times ?? Number.POSITIVE_INFINITY),
    replaceLatestJob: (database, job) => frontend.replaceLatestJob(database, job),
    finishBackupNow: (database) => frontend.finishBackupNow(database),
    dropRepositoryDuringNextBackup: (repository) => registry.dropRepositoryLater(repository),
    cancelNextRestore: (database, status, atState) =>
      registry.queueRestoreOutcome(
        database,
        atState === undefined ? { cancelWithStatus: status } : { cancelWithStatus: status, atState },
      ),
    hangNextRestore: (database) => registry.queueRestoreOutcome(database, 'hang'),
    setRestoreOutcome: (database, outcome, durationMs) =>
      registry.setRestoreOutcome(database, outcome, durationMs),
    floodResult: (matcher, rows, floodOptions = {}) =>
      registry.addFlood(matcher, rows, floodOptions.times ?? 1),
    clear: () => registry.clear(),
  };
}

function stateOf(frontend: Frontend): EmulatorState {
  const tableState = new TableState(frontend);
  const describe = (job: Frontend['jobs'][number]): EmulatorJob => {
    const view = frontend.view(job);
    return {
      jobId: job.jobId,
      label: job.label,
      database: job.database,
      repository: job.repository,
      state: view.state,
      status: view.status,
      createdAt: job.createdAt,
      finishedAt: view.finishedAt,
      foreign: job.foreign,
    };
  };
  const describeRestore = (job: Frontend['restoreJobs'][number]): EmulatorRestoreJob => {
    const view = frontend.restoreView(job);
    return {
      jobId: job.jobId,
      label: job.label,
      backupTimestamp: job.backupTimestamp,
      database: job.database,
      repository: job.repository,
      state: view.state,
      status: view.status,
      createdAt: job.createdAt,
      finishedAt: view.finishedAt,
    };
  };
  const slotJob = (database: string) => {
    frontend.settle();
    const entry = frontend.catalog.get(database);
    return entry ? frontend.slotJob(entry) : undefined;
  };
  return {
    profile: frontend.profile,
    jobs: (database) =>
      frontend.jobs.filter((job) => database === undefined || job.database === database).map(describe),
    latestJob: (database) => {
      const job = slotJob(database);
      return job?.kind === 'BACKUP' ? describe(job) : undefined;
    },
    restoreJobs: (database) =>
      frontend.restoreJobs
        .filter((job) => database === undefined || job.database === database)
        .map(describeRestore),
    latestRestoreJob: (database) => {
      const job = slotJob(database);
      return job?.kind === 'RESTORE' ? describeRestore(job) : undefined;
    },
    tables: (database) => {
      frontend.settle();
      return frontend.catalog.get(database)?.tables.map((table) => ({
        name: table.name,
        type: table.type,
        rows: table.rows,
        sizeBytes: table.sizeBytes,
      }));
    },
    snapshots: (name) => {
      const repository = frontend.repositories.get(name);
      if (!repository) throw new Error(`no repository named '${name}'`);
      return repository.directories(frontend.contributions(name)).map((directory) => ({
        name: directory.name,
        database: directory.database,
        timestamps: directory.infoFiles.map((file) => file.timestamp),
        status: directory.infoFiles.length > 0 ? 'OK' : 'ERROR',
      }));
    },
    runningJobCount: () => {
      frontend.settle();
      return frontend.runningJobCount();
    },
    get maxConcurrentRunningJobs() {
      return frontend.maxConcurrentRunningJobs;
    },
    addDatabase: (database) => {
      frontend.settle();
      frontend.addDatabase(database);
    },
    deleteSnapshot: (name, snapshot) => {
      const repository = frontend.repositories.get(name);
      if (!repository) throw new Error(`no repository named '${name}'`);
      repository.deleteSnapshot(snapshot, frontend.now());
    },
    failSnapshotListing: (name, snapshot, error) => {
      const repository = frontend.repositories.get(name);
      if (!repository) throw new Error(`no repository named '${name}'`);
      if (error === null) repository.listingFailures.delete(snapshot);
      else repository.listingFailures.set(snapshot, error);
    },
    contents: (database) => tableState.contents(database),
    snapshotContents: (name, snapshot) => {
      const repository = frontend.repositories.get(name);
      if (!repository) throw new Error(`no repository named '${name}'`);
      const directory = repository
        .directories(frontend.contributions(name))
        .find((candidate) => candidate.name === snapshot);
      const newest = directory?.infoFiles[directory.infoFiles.length - 1];
      return newest?.tables.map(describeContents);
    },
    load: (database, table, partition, write) => tableState.load(database, table, partition, write),
    addPartition: (database, table, partition) => tableState.addPartition(database, table, partition),
    dropPartition: (database, table, partition) => tableState.dropPartition(database, table, partition),
    replacePartition: (database, table, partition, write) =>
      tableState.replacePartition(database, table, partition, write),
    alterSchema: (database, table, schema) => tableState.alterSchema(database, table, schema),
    createTable: (database, table) => tableState.createTable(database, table),
    dropTable: (database, table) => tableState.dropTable(database, table),
  };
}

/**
 * Starts an embedded StarRocks FE emulator: a MySQL-protocol server that answers the statements the backup
 * scheduler uses (SHOW DATABASES/TABLES/DATA/BACKUP/RESTORE/SNAPSHOT, BACKUP, RESTORE, CANCEL BACKUP/RESTORE,
 * DROP SNAPSHOT on 4.2, CREATE/DROP DATABASE, COUNT(*), ADMIN SHOW FRONTEND CONFIG, …) as the scenario's StarRocks
 * version would, with the same columns, states, errors, privileges and timing.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const scenario = validateScenario(options.scenario ?? demoScenario);
  const clock = options.clock ?? systemClock;
  const profile = resolveProfile(scenario.version, {
    ...(scenario.errors?.codes === undefined ? {} : { errorCodes: scenario.errors.codes }),
    ...(scenario.progressFormat === undefined ? {} : { progressFormat: scenario.progressFormat }),
  });
  const registry = new FaultRegistry();
  const frontend = new Frontend({ profile, scenario, clock, faults: registry });
  const tls =
    options.tls !== undefined && servesMysqlTls(profile)
      ? createSecureContext({ cert: options.tls.cert, key: options.tls.key })
      : undefined;
  const statements: StatementLogEntry[] = [];
  const server = await startProtocolServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    frontend,
    faults: registry,
    clock,
    users: scenario.users ?? [{ name: 'root', password: '' }],
    onStatement: (entry) => {
      statements.push(entry);
      options.onStatement?.(entry);
    },
    tls,
  });
  return {
    host: server.host,
    port: server.port,
    tls: tls !== undefined,
    statements,
    faults: faultsOf(registry, frontend),
    state: stateOf(frontend),
    close: () => server.close(),
  };
}
