import type { Clock } from '#domain/clock.ts';
import type { FaultRegistry } from '../faults.ts';
import type { VersionProfile } from '../profiles.ts';
import type { EmulatorScenario, ScenarioDatabase } from '../scenario.ts';
import { type BackupJobRecord, type BackupJobView, viewBackupJob } from './backup-job.ts';
import { Catalog, type CatalogDatabase, toCatalogTable } from './catalog.ts';
import { ClusterSnapshots } from './cluster-snapshots.ts';
import { type ErrorWrapping, FeError } from './errors.ts';
import { AccessControl } from './privileges.ts';
import { type JobContribution, RepositoryState } from './repository.ts';
import { type RestoreJobRecord, type RestoreJobView, viewRestoreJob } from './restore-job.ts';
import { applyRestore } from './restore-meta.ts';
import type { Session, SlotJob } from './session.ts';
import { createFeTimeZone, type FeTimeZone } from './time-zone.ts';

/** history_job_keep_max_second: a finished job's SHOW BACKUP row lives this long... */
const HISTORY_JOB_KEEP_MS = 604_800_000;
/** ...and is removed by the label cleaner, which runs every label_clean_interval_second. */
const LABEL_CLEAN_INTERVAL_MS = 14_400_000;
const DAY_MS = 86_400_000;
/** A made-up FE cluster id (4.2 snapshot ownership) when the scenario gives none. */
const DEFAULT_CLUSTER_ID = 1_234_567_890;

/** Construction options of {@link Frontend}. */
export interface FrontendOptions {
  readonly profile: VersionProfile;
  readonly scenario: EmulatorScenario;
  readonly clock: Clock;
  readonly faults: FaultRegistry;
}

/**
 * The emulated FE: catalog, repositories and the BACKUP/RESTORE job table. It answers parsed statements; the
 * protocol layer turns replies and {@link FeError}s into packets. Job state is derived from the clock on every
 * read, and the effects of finished restores are applied to the catalog before each statement runs.
 */
export class Frontend {
  readonly profile: VersionProfile;
  /** The FE JVM's zone: SHOW SNAPSHOT's Timestamp and `__info_` file names (a zone-less SimpleDateFormat). */
  readonly zone: FeTimeZone;
  /** The global `time_zone` variable: the zone of every session that did not SET its own. */
  globalTimeZone: FeTimeZone;
  /** Automated Cluster Snapshots (meaningful on shared-data clusters of 3.4.2+). */
  readonly clusterSnapshots: ClusterSnapshots;
  readonly catalog: Catalog;
  readonly repositories = new Map<string, RepositoryState>();
  readonly faults: FaultRegistry;
  readonly access: AccessControl;
  readonly startedAt: number;
  readonly defaultBackupDurationMs: number;
  readonly defaultRestoreDurationMs: number;
  /** Scenario `uploadBytesPerSecond`: BACKUP's UPLOADING lasts bytes / rate when set. */
  readonly uploadBytesPerSecond: number | undefined;
  readonly errorWrapping: ErrorWrapping;
  readonly runMode: 'shared_nothing' | 'shared_data';
  readonly clusterId: number;
  /** Every BACKUP job ever submitted, oldest first. */
  readonly jobs: BackupJobRecord[] = [];
  /** Every RESTORE job ever submitted, oldest first. */
  readonly restoreJobs: RestoreJobRecord[] = [];
  private readonly clock: Clock;
  /** dbId → the job in that database's backup/restore slot (the latest one). */
  private readonly slots = new Map<number, SlotJob>();
  private nextId = 11_000;
  private highWaterMark = 0;

  constructor(options: FrontendOptions) {
    const { profile, scenario, clock } = options;
    this.profile = profile;
    this.clock = clock;
    this.faults = options.faults;
    this.zone = createFeTimeZone(scenario.feTimeZone ?? 'UTC');
    // SessionVariable's time_zone defaults to the JVM's zone unless a global value was set.
    this.globalTimeZone = createFeTimeZone(scenario.timeZone ?? scenario.feTimeZone ?? 'UTC');
    this.startedAt = clock.now();
    this.defaultBackupDurationMs = scenario.defaultBackupDurationMs ?? 3000;
    this.defaultRestoreDurationMs = scenario.defaultRestoreDurationMs ?? 3000;
    this.uploadBytesPerSecond = scenario.uploadBytesPerSecond;
    this.runMode = scenario.runMode ?? 'shared_nothing';
    this.clusterId = scenario.clusterId ?? DEFAULT_CLUSTER_ID;
    this.clusterSnapshots = new ClusterSnapshots(
      () => this.clock.now(),
      // UNVERIFIED: the layout of a service id; StarRocks' docs show a UUID-like directory.
      `f7265e80-631c-44d3-a8ac-${String(this.clusterId).padStart(12, '0')}`,
      's3://starrocks-shared-data/sr',
      scenario.clusterSnapshots,
      this.startedAt,
    );
    this.access = new AccessControl(scenario.users ?? [], profile);
    this.errorWrapping = {
      analyzerPrefix: scenario.errors?.analyzerPrefix ?? false,
      unexpectedExceptionPrefix: scenario.errors?.unexpectedExceptionPrefix ?? false,
    };
    this.catalog = new Catalog(profile, scenario.databases, () => this.clock.now());
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
        snapshot.tables?.map((table) => toCatalogTable(table, this.catalog.context)) ??
        this.catalog.get(snapshot.database)?.tables.filter((table) => table.type === 'OLAP') ??
        [];
      this.repositories.get(snapshot.repository)?.seed({
        name: snapshot.name,
        database: snapshot.database,
        createdAt,
        timestamp: this.zone.snapshotTimestamp(createdAt),
        complete: (snapshot.status ?? 'OK') === 'OK',
        tables,
        clusterId: snapshot.clusterId,
      });
    }
  }

  /** The zone a session's times are printed in (TimeUtils.longToTimeString reads the session's time_zone). */
  sessionZone(session: Session): FeTimeZone {
    return session.timeZone ?? this.globalTimeZone;
  }

  /** The FE clock. */
  now(): number {
    return this.clock.now();
  }

  /** `USE db` / COM_INIT_DB / the handshake database. @throws FeError `Unknown database '<db>'` */
  useDatabase(session: Session, name: string): void {
    this.settle();
    const database = this.catalog.get(name);
    if (!database) {
      throw new FeError(`Unknown database '${name}'`, { phase: 'session', errorCode: 'ERR_BAD_DB_ERROR' });
    }
    session.database = database.name;
  }

  /** A backup job's state now. */
  view(job: BackupJobRecord): BackupJobView {
    return viewBackupJob(job, this.now(), this.profile.progressFormat);
  }

  /** A restore job's state now. */
  restoreView(job: RestoreJobRecord): RestoreJobView {
    return viewRestoreJob(job, this.now());
  }

  /** Whether a slot job (backup or restore) has ended, and when. */
  jobEnd(job: SlotJob): { readonly done: boolean; readonly finishedAt: number | undefined } {
    return job.kind === 'BACKUP' ? this.view(job) : this.restoreView(job);
  }

  /** The job in a database's slot, unless the label cleaner has removed it (7 days after it ended). */
  slotJob(database: CatalogDatabase): SlotJob | undefined {
    const job = this.slots.get(database.id);
    if (!job) return undefined;
    const { finishedAt } = this.jobEnd(job);
    if (finishedAt !== undefined) {
      const expiresAfter = finishedAt + HISTORY_JOB_KEEP_MS;
      // The cleaner drops the row at its first run with `now - finishedTime > keep`.
      const firstCleanAfter =
        this.startedAt +
        (Math.floor((expiresAfter - this.startedAt) / LABEL_CLEAN_INTERVAL_MS) + 1) * LABEL_CLEAN_INTERVAL_MS;
      if (this.now() >= firstCleanAfter) return undefined;
    }
    return job;
  }

  /** Jobs (backups and restores, ours and foreign) unfinished now. */
  runningJobCount(): number {
    return this.catalog.all().filter((database) => {
      const job = this.slots.get(database.id);
      return job !== undefined && !this.jobEnd(job).done;
    }).length;
  }

  /** The most jobs that ran at the same time on this FE, counted at each submission. */
  get maxConcurrentRunningJobs(): number {
    return this.highWaterMark;
  }

  /** Registers a new BACKUP job in its database's slot. */
  submit(job: Omit<BackupJobRecord, 'jobId'>, database: CatalogDatabase): BackupJobRecord {
    const record: BackupJobRecord = { ...job, jobId: this.takeId() };
    this.jobs.push(record);
    this.occupy(database, record);
    return record;
  }

  /** Registers a new RESTORE job in its target database's slot. */
  submitRestore(job: Omit<RestoreJobRecord, 'jobId'>, database: CatalogDatabase): RestoreJobRecord {
    const record: RestoreJobRecord = { ...job, jobId: this.takeId() };
    this.restoreJobs.push(record);
    this.occupy(database, record);
    return record;
  }

  private takeId(): number {
    const id = this.nextId;
    this.nextId += 1000;
    return id;
  }

  private occupy(database: CatalogDatabase, job: SlotJob): void {
    this.slots.set(database.id, job);
    this.highWaterMark = Math.max(this.highWaterMark, this.runningJobCount());
  }

  /**
   * Applies what finished restores did (fe/restore-meta.ts): new tables appear with the snapshot's partitions,
   * existing ones get theirs overwritten or added, once the job is FINISHED, as of its finish time. Called before
   * every statement and state read, so reads never see a half-applied state.
   */
  settle(): void {
    for (const job of this.restoreJobs) {
      const view = this.restoreView(job);
      if (job.applied || view.state !== 'FINISHED') continue;
      job.applied = true;
      const database = this.catalog.get(job.database) ?? this.catalog.create(job.database);
      this.catalog.setTables(
        database.name,
        applyRestore(database.tables, job.tables, view.finishedAt ?? this.now(), this.catalog.context),
      );
    }
  }

  /** What the BACKUP jobs writing into `repository` have put there by now. */
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
                    clusterId: this.profile.dropSnapshot ? this.clusterId : undefined,
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

  /**
   * Fault: the database's running BACKUP completes at this instant (the upload finishes exactly when a client's
   * deadline passes, say). Its snapshot is written as by any finished job.
   */
  finishBackupNow(name: string): void {
    const database = this.catalog.get(name);
    if (!database) throw new Error(`no database named '${name}'`);
    const current = this.slots.get(database.id);
    if (current?.kind === 'BACKUP' && !this.view(current).done) current.forcedFinishAt = this.now();
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
    if (current?.kind === 'BACKUP' && !this.view(current).done) current.forcedFinishAt = now;
    const repository = current?.repository ?? [...this.repositories.keys()][0] ?? '';
    const state = foreign.state ?? 'FINISHED';
    const record = this.submit(
      {
        kind: 'BACKUP',
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
