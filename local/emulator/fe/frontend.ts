import type { Clock } from '../../../lambdas/shared/clock.ts';
import type { FaultRegistry } from '../faults.ts';
import type { VersionProfile } from '../profiles.ts';
import type { EmulatorScenario, ScenarioDatabase } from '../scenario.ts';
import type { Statement } from '../sql/ast.ts';
import { type BackupJobRecord, type BackupJobView, viewBackupJob } from './backup-job.ts';
import { Catalog, type CatalogDatabase } from './catalog.ts';
import { type ErrorWrapping, FeError } from './errors.ts';
import { type JobContribution, RepositoryState } from './repository.ts';
import { OK, type Reply } from './result.ts';
import { executeBackup } from './statements/backup.ts';
import { executeSelect } from './statements/select.ts';
import { showData, showDatabases, showRepositories, showTables } from './statements/show.ts';
import { cancelBackup, showBackup } from './statements/show-backup.ts';
import { showSnapshot } from './statements/show-snapshot.ts';
import { createFeTimeZone, type FeTimeZone } from './time-zone.ts';

/** A connection's session state. */
export interface Session {
  readonly connectionId: number;
  user: string;
  database: string | undefined;
}

/** history_job_keep_max_second: a finished job's SHOW BACKUP row lives this long... */
const HISTORY_JOB_KEEP_MS = 604_800_000;
/** ...and is removed by the label cleaner, which runs every label_clean_interval_second. */
const LABEL_CLEAN_INTERVAL_MS = 14_400_000;
const DAY_MS = 86_400_000;

/** Construction options of {@link Frontend}. */
export interface FrontendOptions {
  readonly profile: VersionProfile;
  readonly scenario: EmulatorScenario;
  readonly clock: Clock;
  readonly faults: FaultRegistry;
}

/**
 * The emulated FE: catalog, repositories and the BACKUP job table. It answers parsed statements; the protocol
 * layer turns replies and {@link FeError}s into packets. Job state is derived from the clock on every read.
 */
export class Frontend {
  readonly profile: VersionProfile;
  readonly zone: FeTimeZone;
  readonly catalog: Catalog;
  readonly repositories = new Map<string, RepositoryState>();
  readonly faults: FaultRegistry;
  readonly startedAt: number;
  readonly defaultBackupDurationMs: number;
  readonly errorWrapping: ErrorWrapping;
  /** Every job ever submitted, oldest first. */
  readonly jobs: BackupJobRecord[] = [];
  private readonly clock: Clock;
  /** dbId → the job in that database's backup/restore slot (the latest one). */
  private readonly slots = new Map<number, BackupJobRecord>();
  private nextId = 11_000;
  private highWaterMark = 0;

  constructor(options: FrontendOptions) {
    const { profile, scenario, clock } = options;
    this.profile = profile;
    this.clock = clock;
    this.faults = options.faults;
    this.zone = createFeTimeZone(scenario.feTimeZone ?? 'UTC');
    this.startedAt = clock.now();
    this.defaultBackupDurationMs = scenario.defaultBackupDurationMs ?? 3000;
    this.errorWrapping = {
      analyzerPrefix: scenario.errors?.analyzerPrefix ?? false,
      unexpectedExceptionPrefix: scenario.errors?.unexpectedExceptionPrefix ?? false,
    };
    this.catalog = new Catalog(profile, scenario.databases);
    scenario.repositories.forEach((repository, index) => {
      this.repositories.set(
        repository.name,
        new RepositoryState(
          index + 1,
          repository.name,
          repository.location,
          repository.readOnly ?? false,
          this.startedAt,
        ),
      );
    });
    for (const snapshot of scenario.snapshots ?? []) {
      const createdAt =
        snapshot.createdAt === undefined ? this.startedAt - DAY_MS : Date.parse(snapshot.createdAt);
      const tables =
        this.catalog.get(snapshot.database)?.tables.filter((table) => table.type === 'OLAP') ?? [];
      this.repositories.get(snapshot.repository)?.seed({
        name: snapshot.name,
        database: snapshot.database,
        createdAt,
        timestamp: this.zone.snapshotTimestamp(createdAt),
        complete: (snapshot.status ?? 'OK') === 'OK',
        tables,
      });
    }
  }

  /** The FE clock. */
  now(): number {
    return this.clock.now();
  }

  /** Answers one parsed statement. @throws FeError */
  execute(statement: Statement, session: Session): Reply {
    switch (statement.kind) {
      case 'SELECT':
        return executeSelect(this, statement, session);
      case 'USE':
        this.useDatabase(session, statement.database);
        return OK;
      case 'SET':
        return OK;
      case 'SHOW_DATABASES':
        return showDatabases(this);
      case 'SHOW_TABLES':
        return showTables(this, statement, session);
      case 'SHOW_DATA':
        return showData(this, statement, session);
      case 'SHOW_REPOSITORIES':
        return showRepositories(this);
      case 'SHOW_BACKUP':
        return showBackup(this, statement);
      case 'SHOW_SNAPSHOT':
        return showSnapshot(this, statement);
      case 'CANCEL_BACKUP':
        return cancelBackup(this, statement, session);
      case 'BACKUP':
        return executeBackup(this, statement, session);
    }
  }

  /** `USE db` / COM_INIT_DB / the handshake database. @throws FeError `Unknown database '<db>'` */
  useDatabase(session: Session, name: string): void {
    const database = this.catalog.get(name);
    if (!database) {
      throw new FeError(`Unknown database '${name}'`, { phase: 'session', errorCode: 'ERR_BAD_DB_ERROR' });
    }
    session.database = database.name;
  }

  /** A job's state now. */
  view(job: BackupJobRecord): BackupJobView {
    return viewBackupJob(job, this.now(), this.profile.progressFormat);
  }

  /** The job in a database's slot, unless the label cleaner has removed it (7 days after it ended). */
  slotJob(database: CatalogDatabase): BackupJobRecord | undefined {
    const job = this.slots.get(database.id);
    if (!job) return undefined;
    const view = this.view(job);
    if (view.finishedAt !== undefined) {
      const expiresAfter = view.finishedAt + HISTORY_JOB_KEEP_MS;
      // The cleaner drops the row at its first run with `now - finishedTime > keep`.
      const firstCleanAfter =
        this.startedAt +
        (Math.floor((expiresAfter - this.startedAt) / LABEL_CLEAN_INTERVAL_MS) + 1) * LABEL_CLEAN_INTERVAL_MS;
      if (this.now() >= firstCleanAfter) return undefined;
    }
    return job;
  }

  /** Jobs (ours and foreign) unfinished now. */
  runningJobCount(): number {
    return this.catalog.all().filter((database) => {
      const job = this.slots.get(database.id);
      return job !== undefined && !this.view(job).done;
    }).length;
  }

  /** The most jobs that ran at the same time on this FE, counted at each submission. */
  get maxConcurrentRunningJobs(): number {
    return this.highWaterMark;
  }

  /** Registers a new job in its database's slot. */
  submit(job: Omit<BackupJobRecord, 'jobId'>, database: CatalogDatabase): BackupJobRecord {
    const record: BackupJobRecord = { ...job, jobId: this.nextId };
    this.nextId += 1000;
    this.jobs.push(record);
    this.slots.set(database.id, record);
    this.highWaterMark = Math.max(this.highWaterMark, this.runningJobCount());
    return record;
  }

  /** What the jobs writing into `repository` have put there by now. */
  contributions(repository: string): JobContribution[] {
    return this.jobs
      .filter((job) => job.repository === repository)
      .flatMap((job) => {
        const view = this.view(job);
        if (view.snapshotDirSince === undefined) return [];
        return [
          {
            name: job.label,
            database: job.database,
            dirSince: view.snapshotDirSince,
            info:
              view.infoWrittenAt === undefined
                ? undefined
                : {
                    timestamp: this.zone.snapshotTimestamp(job.createdAt),
                    database: job.database,
                    createdAt: job.createdAt,
                    tables: job.tables,
                  },
            infoWrittenAt: view.infoWrittenAt,
          },
        ];
      });
  }

  /** Adds a database (scenario format) at run time. */
  addDatabase(database: ScenarioDatabase): void {
    this.catalog.add(database);
  }

  /** Fault: a foreign job replaces the database's latest row; ours is completed first so its snapshot stays. */
  replaceLatestJob(
    name: string,
    foreign: { label: string; state?: 'FINISHED' | 'RUNNING' | 'CANCELLED' },
  ): void {
    const database = this.catalog.get(name);
    if (!database) throw new Error(`no database named '${name}'`);
    const now = this.now();
    const current = this.slots.get(database.id);
    if (current && !this.view(current).done) current.forcedFinishAt = now;
    const repository = current?.repository ?? [...this.repositories.keys()][0] ?? '';
    const state = foreign.state ?? 'FINISHED';
    const record = this.submit(
      {
        label: foreign.label,
        database: database.name,
        repository,
        tables: database.tables.filter((table) => table.type === 'OLAP'),
        backupObjects: database.tables
          .filter((table) => table.type === 'OLAP')
          .map((table) => `${database.name}.${table.name}`),
        createdAt: now,
        timeoutMs: 86_400_000,
        durationMs: this.defaultBackupDurationMs,
        outcome: state === 'RUNNING' ? 'hang' : 'finish',
        foreign: true,
      },
      database,
    );
    if (state === 'FINISHED') record.forcedFinishAt = now;
    if (state === 'CANCELLED') record.cancelledAt = now;
  }
}
