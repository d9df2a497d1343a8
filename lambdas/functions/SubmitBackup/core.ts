import type { CatalogStore } from '#domain/catalog/index.ts';
import type { ManifestStore } from '#domain/catalog/manifest-store.ts';
import type { Clock } from '#domain/clock.ts';
import { backupTimeoutPropertySeconds } from '#domain/config/index.ts';
import type { NightClient } from '#domain/differential/take.ts';
import {
  EmptyDatabaseError,
  NothingToBackUpError,
  SnapshotLabelExistsError,
  StarRocksAccessDeniedError,
  StarRocksSqlError,
  StarRocksUnavailableError,
  UnchangedSinceSnapshotError,
  UnsupportedClusterError,
  UnsupportedListPartitionError,
  UnsupportedObjectError,
} from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { nextCheckSeconds } from '#domain/poll/next-check.ts';
import {
  type BackupJob,
  type BackupScope,
  capabilitiesOf,
  describeOmitted,
  formatVersion,
  isNothing,
  isTerminalBackupState,
  isUnclassifiable,
  losesData,
  MAX_LABEL_ATTEMPTS,
  type NothingToBackUp,
  noScopeReason,
  type OmittedObject,
  planBackupScope,
  type StarRocksCapabilities,
  type StarRocksClient,
  type StarRocksVersion,
  sharedDataRefusal,
  slotLabels,
  type TableInfo,
  withRefusal,
} from '#domain/starrocks/index.ts';
import {
  adoptedJobChain,
  type DifferentialNight,
  decideDifferentialNight,
  differentialScope,
  jobChainOf,
  manifestWithin,
} from '#domain/workflow/differential-night.ts';
import { extendLeases, renewLeases, requireLeases } from '#domain/workflow/leases.ts';
import type { BackupDatabaseState, JobChain, JobScope, TrackedJob } from '#domain/workflow/workflow-state.ts';

/** How many earlier durations feed the poll policy's estimate. */
const HISTORY_DEPTH = 7;
/** Objects kept by name in the job (and the catalog); the rest are counted. */
const OMITTED_KEPT = 20;

/** What SubmitBackup needs. */
export interface SubmitBackupDeps {
  readonly starRocks: <T>(work: (client: StarRocksClient & NightClient) => Promise<T>) => Promise<T>;
  readonly locks: Pick<LockStore, 'renewLock' | 'renewSlot' | 'noteSubmission' | 'readSubmission'>;
  readonly catalog: Pick<CatalogStore, 'listAttemptsAt' | 'recentDurations' | 'markLost' | 'listSnapshots'>;
  /** The partition manifests a differential schedule reads (its chain's) and writes (each snapshot's). */
  readonly manifests: Pick<ManifestStore, 'readManifest' | 'writeManifest' | 'readChain'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

/** What this execution submitted earlier (a retried SubmitBackup), as its lock records it. */
interface OwnSubmission {
  readonly label: string;
  readonly labelAttempt: number;
  readonly submittedAt: number;
}

type Decision =
  | {
      readonly kind: 'submitted';
      readonly label: string;
      readonly attempt: number;
      readonly submittedAt: number;
      readonly job?: BackupJob;
      readonly scope?: BackupScope;
      readonly chain?: JobChain;
    }
  | {
      readonly kind: 'adopted-job';
      readonly label: string;
      readonly attempt: number;
      readonly job: BackupJob;
    }
  | {
      readonly kind: 'adopted-snapshot';
      readonly label: string;
      readonly attempt: number;
      /** The chain fields of the catalog attempt adopted (a re-run keeps what the snapshot is). */
      readonly chain?: JobChain;
      /** Adopted from the catalog's record of this slot (not found in the repository by its label). */
      readonly fromCatalog?: true;
    };

/** Labels of this slot the catalog recorded FINISHED but the repository no longer holds. */
interface LostSnapshots {
  readonly labels: ReadonlySet<string>;
  /** The highest attempt number among them: a new attempt starts past it. */
  readonly lastAttempt: number;
}

/**
 * Adopts what this slot already produced, or submits BACKUP SNAPSHOT: a good snapshot of this slot that the
 * repository still lists, or our label still running in SHOW BACKUP, is adopted and never resubmitted; a label
 * StarRocks says exists (a leftover from an interrupted upload) moves to the next attempt suffix. A snapshot the
 * catalog recorded FINISHED that SHOW SNAPSHOT no longer lists (deleted from the repository, or another FE) is marked
 * lost in the catalog, said in the database's alert, and backed up again under the next attempt's label.
 *
 * What the BACKUP covers follows the version (lambdas/domain/starrocks/backup-scope.ts); when StarRocks refuses an object
 * (a list-partitioned table on older patches, an external table on 3.4+), the rest of the database is backed up
 * with an explicit ON (…) list, and what was left out is recorded (and alerted when it holds data). A refusal that
 * names a cloud-native table means a shared-data cluster: UnsupportedClusterError naming Cluster Snapshot.
 *
 * Acts only while this execution still holds both leases (fenced by their tokens, renewed on entry and again
 * right before BACKUP, where the lock also records the label and time being submitted: a retry after a lost
 * answer finds its own job and keeps its submission time, and whoever inherits the lock finds the job).
 */
export async function submitBackup(state: BackupDatabaseState, deps: SubmitBackupDeps): Promise<TrackedJob> {
  const leases = requireLeases(state);
  await renewLeases(deps.locks, leases, state.cluster.lock.leaseSeconds);
  const own = await deps.locks.readSubmission(leases.lock);

  const notices: string[] = [];
  const decision = await deps.starRocks(async (client) => {
    const fromCatalog = await adoptFromCatalog(state, client, deps, notices);
    if (fromCatalog.decision !== undefined) return fromCatalog.decision;
    return adoptOrSubmit(state, client, own, fromCatalog.lost, deps, notices);
  });
  const now = deps.clock.now();
  const chain = await chainOfDecision(state, decision, deps);
  // A differential takes minutes where its full takes hours: the poll policy aims with backups of the same kind.
  const historySeconds = await deps.catalog.recentDurations({
    cluster: state.cluster.name,
    database: state.database,
    limit: HISTORY_DEPTH,
    ...(chain === undefined ? {} : { mode: chain.mode }),
  });
  const seenJob = decision.kind === 'adopted-snapshot' ? undefined : decision.job;
  const running = decision.kind !== 'adopted-snapshot' && (!seenJob || !isTerminalBackupState(seenJob.state));
  const adoptedJob = seenJob;
  // A job of someone else's adopted: its start is unknown to our clock, so the deadline counts from now. Our own
  // earlier submission keeps its time, so its duration and deadline stay true.
  const submittedAt = decision.kind === 'submitted' ? decision.submittedAt : now;
  const scope = decision.kind === 'submitted' ? decision.scope : undefined;
  const job: TrackedJob = {
    label: decision.label,
    labelAttempt: decision.attempt,
    phase: running ? 'running' : 'finished',
    origin: decision.kind,
    submittedAt,
    deadlineAt: submittedAt + state.cluster.timeoutSeconds * 1000,
    checkedAt: now,
    starRocksState: adoptedJob?.state ?? null,
    starRocksJobId: adoptedJob?.jobId ?? null,
    progress: adoptedJob?.progress ?? null,
    nextWaitSeconds: 0,
    polls: 0,
    historySeconds,
    ...(scope === undefined ? {} : { scope: jobScopeOf(scope) }),
    ...(chain === undefined ? {} : { chain }),
    ...(notices.length === 0 ? {} : { notices }),
  };
  if (running) job.nextWaitSeconds = nextCheckSeconds(state.cluster, job, now);
  await extendLeases(deps.locks, state, job.nextWaitSeconds);
  deps.logger.info('backup tracked', {
    label: job.label,
    origin: job.origin,
    phase: job.phase,
    nextWaitSeconds: job.nextWaitSeconds,
    omitted: job.scope?.omittedTotal ?? 0,
    notices: notices.length,
    ...(chain === undefined
      ? {}
      : { mode: chain.mode, baseLabel: chain.baseLabel ?? null, partitions: chain.partitions }),
  });
  return job;
}

/**
 * `$.job.chain` on a differential schedule's run: what the submission decided, the adopted catalog attempt's own
 * fields, or (a job or snapshot of this slot found in StarRocks) what its manifest's head says the submitter decided.
 */
async function chainOfDecision(
  state: BackupDatabaseState,
  decision: Decision,
  deps: SubmitBackupDeps,
): Promise<JobChain | undefined> {
  if (decision.kind !== 'adopted-job' && decision.chain !== undefined) return decision.chain;
  // A full schedule's new BACKUP has no chain, nor has a catalog attempt recorded without a mode. Anything else found
  // rather than submitted now keeps what its submitter decided, whatever the schedule's mode is today: a differential
  // recorded as a full would restore as a whole database.
  if (decision.kind === 'submitted' && decision.job === undefined) return undefined;
  if (decision.kind === 'adopted-snapshot' && decision.fromCatalog === true) return undefined;
  return adoptedJobChain(
    { cluster: state.cluster.name, database: state.database, label: decision.label },
    deps,
  );
}

function jobScopeOf(scope: BackupScope): JobScope {
  return {
    objects: [...scope.objects],
    omitted: scope.omitted.slice(0, OMITTED_KEPT).map((object) => ({
      name: object.name.length > 1024 ? `${object.name.slice(0, 1023)}…` : object.name,
      kind: object.kind,
      why: object.why,
      ...(object.detail === undefined ? {} : { detail: object.detail.slice(0, 500) }),
    })),
    omittedTotal: scope.omitted.length,
  };
}

/**
 * A FINISHED, verified attempt of this very slot in the catalog: the slot already ran, if the repository still holds
 * its snapshot. One the repository lost is marked lost (and said in the alert), and the slot is backed up again.
 */
async function adoptFromCatalog(
  state: BackupDatabaseState,
  client: StarRocksClient,
  deps: SubmitBackupDeps,
  notices: string[],
): Promise<{ decision?: Decision; lost: LostSnapshots }> {
  const attempts = await deps.catalog.listAttemptsAt({
    cluster: state.cluster.name,
    database: state.database,
    scheduledTime: state.scheduledTime,
  });
  const labels = new Set<string>();
  let lastAttempt = 0;
  const good = attempts.filter((attempt) => attempt.state === 'FINISHED' && attempt.verified);
  for (const attempt of good) {
    if (attempt.lostAt !== undefined) {
      labels.add(attempt.label);
      lastAttempt = Math.max(lastAttempt, attemptOfLabel(state, attempt.label));
      continue;
    }
    const snapshot = await client.showSnapshot(state.cluster.repository, attempt.label);
    if (snapshot?.ok) {
      return {
        decision: {
          kind: 'adopted-snapshot',
          label: attempt.label,
          attempt: attemptOfLabel(state, attempt.label),
          fromCatalog: true,
          // What the catalog recorded; a full schedule's snapshot carries no mode and gets none.
          ...(attempt.mode === undefined
            ? {}
            : {
                chain: {
                  mode: attempt.mode,
                  ...(attempt.baseLabel === undefined ? {} : { baseLabel: attempt.baseLabel }),
                  why: 'adopted',
                  objects: 0,
                  partitions: 0,
                },
              }),
        },
        lost: { labels, lastAttempt },
      };
    }
    if (snapshot?.status.startsWith('ERROR: Failed to get info')) {
      // The repository could not be listed: nothing is known of the snapshot yet.
      throw new StarRocksUnavailableError(
        `SHOW SNAPSHOT ON ${state.cluster.repository} could not read the repository: ${snapshot.status}`,
      );
    }
    await deps.catalog.markLost({
      cluster: state.cluster.name,
      database: state.database,
      label: attempt.label,
    });
    labels.add(attempt.label);
    lastAttempt = Math.max(lastAttempt, attemptOfLabel(state, attempt.label));
    notices.push(
      `Snapshot ${attempt.label} of ${state.database}, recorded FINISHED${attempt.finishedAt === null ? '' : ` at ${attempt.finishedAt}`}, ` +
        `has vanished from repository ${state.cluster.repository} (SHOW SNAPSHOT reports ${snapshot?.status ?? 'no such snapshot'}): ` +
        'it was deleted from the repository, or the FE reads another one. The catalog marks it lost and the ' +
        'database is backed up again now.',
    );
    deps.logger.warn('a recorded snapshot vanished from the repository; backing up again', {
      label: attempt.label,
      status: snapshot?.status ?? null,
    });
  }
  return { lost: { labels, lastAttempt } };
}

async function adoptOrSubmit(
  state: BackupDatabaseState,
  client: StarRocksClient & NightClient,
  own: OwnSubmission | undefined,
  lost: LostSnapshots,
  deps: SubmitBackupDeps,
  notices: string[],
): Promise<Decision> {
  const labels = labelsOfSlot(state);
  const version = await client.currentVersion();

  const latest = await client.showBackup(state.database);
  const latestAttempt = latest ? labels.indexOf(latest.snapshotName) + 1 : 0;
  if (latest && latestAttempt > 0 && latest.state !== 'CANCELLED' && !lost.labels.has(latest.snapshotName)) {
    if (own?.label === latest.snapshotName) {
      // Our own submission, whose answer was lost (a Lambda or statement timeout after BACKUP was accepted).
      return {
        kind: 'submitted',
        label: latest.snapshotName,
        attempt: latestAttempt,
        submittedAt: own.submittedAt,
        job: latest,
      };
    }
    return { kind: 'adopted-job', label: latest.snapshotName, attempt: latestAttempt, job: latest };
  }

  if (!lost.labels.has(state.label)) {
    const snapshot = await client.showSnapshot(state.cluster.repository, state.label);
    if (snapshot?.ok) {
      const timestamp = snapshot.timestamps.at(-1);
      const detail =
        timestamp === undefined
          ? null
          : await client.showSnapshotDetail(state.cluster.repository, state.label, timestamp);
      if (detail?.database === state.database)
        return { kind: 'adopted-snapshot', label: state.label, attempt: 1 };
    }
  }

  const capabilities = capabilitiesOf(version);
  const tables = await tablesOf(client, state.database);
  // StarRocks refuses BACKUP of a database with no table at all; such a database is SKIPPED (empty), not failed.
  if (tables.length === 0) throw new EmptyDatabaseError(`database ${state.database} has no table to back up`);
  // What a full would hold; a differential's ON list is cut from it, and a manifest records only what a full holds.
  let fullScope = scopeOrThrow(state, version, planBackupScope(capabilities, tables));
  const night = await differentialNight(state, client, fullScope, deps);
  let scope = narrowToNight(state, fullScope, night);
  /** The label and objects of the manifest last written, so a refusal that changes nothing writes nothing. */
  let writtenManifest: string | null = null;
  // A cancelled job of ours may have left its __ss_ directory behind, and a lost snapshot's label is spent: start
  // past both.
  const first = Math.max(1, latestAttempt + (latestAttempt > 0 ? 1 : 0), lost.lastAttempt + 1);
  for (let attempt = first; attempt <= MAX_LABEL_ATTEMPTS; attempt += 1) {
    const label = labels[attempt - 1] as string;
    const submittedAt = deps.clock.now();
    // The last fence before BACKUP, for both leases; the lock keeps what is submitted, for a retry or an heir.
    await deps.locks.noteSubmission({
      ...requireLeases(state).lock,
      label,
      labelAttempt: attempt,
      submittedAt,
      extendSeconds: state.cluster.lock.leaseSeconds,
    });
    await deps.locks.renewSlot({
      ...requireLeases(state).slot,
      extendSeconds: state.cluster.lock.leaseSeconds,
    });
    const refusalsAllowed = Math.min(tables.length, 20) + 2;
    for (let refusal = 0; ; refusal += 1) {
      try {
        // Written before BACKUP (and again when a refusal changed what it holds), so a job anyone finds under this
        // label has its manifest and its chain (adoptedJobChain, SettleOrphans rely on it). Not rewritten for a
        // refusal that leaves it as it was: a large manifest takes seconds to write.
        const manifest = night === undefined ? undefined : manifestWithin(night.manifest, fullScope);
        const manifestKey =
          manifest === undefined
            ? null
            : `${label}\n${[...manifest.tables, ...manifest.others].map((object) => object.name).join('\n')}`;
        if (night !== undefined && manifest !== undefined && manifestKey !== writtenManifest) {
          await deps.manifests.writeManifest(
            { cluster: state.cluster.name, database: state.database, label },
            manifest,
            night.kind === 'full' ? { mode: 'full' } : { mode: 'differential', baseLabel: night.baseLabel },
          );
          writtenManifest = manifestKey;
        }
        await client.submitBackup({
          database: state.database,
          label,
          repository: state.cluster.repository,
          timeoutSeconds: backupTimeoutPropertySeconds(state.cluster.timeoutSeconds),
          type: state.cluster.backupType,
          version,
          ...(scope.on === undefined ? {} : { tables: scope.on, allFunctions: scope.allFunctions }),
        });
        noteOmitted(state, version, scope, notices);
        const chain = night === undefined ? undefined : jobChainOf(night, scope);
        return {
          kind: 'submitted',
          label,
          attempt,
          submittedAt,
          scope,
          ...(chain === undefined ? {} : { chain }),
        };
      } catch (error) {
        if (error instanceof SnapshotLabelExistsError) {
          deps.logger.warn('label already used in the repository; trying the next attempt', {
            label,
            attempt,
          });
          break;
        }
        if (refusal >= refusalsAllowed) throw error;
        const refused = await refusedObjects(error, state, version, capabilities, tables, scope, client);
        deps.logger.warn('StarRocks refused objects of the database; backing up the rest', {
          refused: refused.map((object) => object.name),
        });
        fullScope = scopeOrThrow(state, version, withRefusal(capabilities, tables, fullScope, refused));
        scope = narrowToNight(state, fullScope, night);
      }
    }
  }
  throw new SnapshotLabelExistsError(
    `every label of this slot up to attempt ${MAX_LABEL_ATTEMPTS} already exists in repository ${state.cluster.repository}`,
  );
}

/**
 * A differential schedule's decision for this run (undefined on a full schedule). Nothing changed since the chain's
 * newest snapshot: UnchangedSinceSnapshotError, SKIPPED `unchanged`, and no BACKUP.
 */
async function differentialNight(
  state: BackupDatabaseState,
  client: NightClient,
  scope: BackupScope,
  deps: SubmitBackupDeps,
): Promise<Exclude<DifferentialNight, { kind: 'unchanged' }> | undefined> {
  const differential = state.cluster.differential;
  if (differential === undefined) return undefined;
  const night = await decideDifferentialNight(
    {
      cluster: state.cluster.name,
      database: state.database,
      scheduledTime: state.scheduledTime,
      fullEveryDays: differential.fullEvery,
      scope,
    },
    { client, catalog: deps.catalog, manifests: deps.manifests },
  );
  if (night.kind === 'unchanged') {
    throw new UnchangedSinceSnapshotError(
      `no partition, table or view of ${state.database} changed since snapshot ${night.sinceLabel}, which holds this slot's data`,
    );
  }
  deps.logger.info('differential schedule: night decided', {
    mode: night.kind,
    ...(night.kind === 'full'
      ? { why: night.why }
      : { baseLabel: night.baseLabel, objects: night.tables.length }),
  });
  return night;
}

/** The scope a differential's ON list leaves of `scope` (a full keeps it whole). */
function narrowToNight(
  state: BackupDatabaseState,
  scope: BackupScope,
  night: DifferentialNight | undefined,
): BackupScope {
  if (night?.kind !== 'differential') return scope;
  const narrowed = differentialScope(scope, night.tables);
  if (narrowed === null) {
    throw new NothingToBackUpError(
      `only objects StarRocks cannot back up changed in ${state.database} since full ${night.baseLabel}`,
    );
  }
  return narrowed;
}

/** The scope, or the error that says why there is none. */
function scopeOrThrow(
  state: BackupDatabaseState,
  version: StarRocksVersion,
  scope: ReturnType<typeof planBackupScope> | BackupScope | NothingToBackUp,
): BackupScope {
  if (isUnclassifiable(scope)) {
    throw new UnsupportedObjectError(noScopeReason(state.database, formatVersion(version), scope));
  }
  if (isNothing(scope)) {
    const text = noScopeReason(state.database, formatVersion(version), scope);
    if (scope.failure) throw new UnsupportedObjectError(text);
    throw new NothingToBackUpError(text);
  }
  return scope;
}

/**
 * The database's tables. A listing StarRocks refuses is this database's problem (FAILED, with what was being done);
 * an unreachable FE or a refused login is retried or ends the run as it is.
 */
async function tablesOf(client: StarRocksClient, database: string): Promise<TableInfo[]> {
  try {
    return await client.listTables(database);
  } catch (error) {
    if (!(error instanceof StarRocksSqlError)) throw error;
    throw new StarRocksSqlError(`listing the tables of database ${database} failed: ${error.message}`, {
      ...(error.errno === undefined ? {} : { errno: error.errno }),
      ...(error.sqlState === undefined ? {} : { sqlState: error.sqlState }),
      cause: error,
    });
  }
}

/** When the backup leaves out something that holds data, the database's alert must say so. */
function noteOmitted(
  state: BackupDatabaseState,
  version: StarRocksVersion,
  scope: BackupScope,
  notices: string[],
): void {
  const dataLost = scope.omitted.filter((object) => losesData([object]));
  if (dataLost.length === 0) return;
  notices.push(
    `The backup of ${state.database} leaves out ${describeOmitted(dataLost)}: StarRocks ${formatVersion(version)} ` +
      'refused them, so the rest of the database is backed up without them. ' +
      (dataLost.some((object) => object.why === 'list-partitioned')
        ? 'StarRocks backs up list-partitioned tables from the patches carrying PR #51993 (and from 3.4): upgrade to back them up.'
        : 'Check the objects, or exclude the database if this is intended.'),
  );
}

const CAN_NOT_SUPPORT = /Table: (.+) can not support backup restore, type: ([A-Z_]+)/;
const NOT_OLAP = /Table '(.+)' is not a OLAP table/;

/**
 * What StarRocks refused, from its error (BackupRestoreAnalyzer and BackupHandler texts). Throws the error itself
 * when it refuses nothing we can leave out, and UnsupportedClusterError when the refused table is cloud-native.
 */
async function refusedObjects(
  error: unknown,
  state: BackupDatabaseState,
  version: StarRocksVersion,
  capabilities: StarRocksCapabilities,
  tables: readonly TableInfo[],
  scope: BackupScope,
  client: StarRocksClient,
): Promise<OmittedObject[]> {
  if (error instanceof UnsupportedListPartitionError) {
    return listPartitioned(error, state, version, tables, scope, client);
  }
  if (!(error instanceof UnsupportedObjectError)) throw error;
  const kindOf = (name: string) => tables.find((table) => table.name === name)?.kind ?? 'UNKNOWN';
  const typed = CAN_NOT_SUPPORT.exec(error.message);
  if (typed) {
    const [, name = '', type = ''] = typed;
    if (type.startsWith('CLOUD_NATIVE')) {
      throw new UnsupportedClusterError(
        sharedDataRefusal(
          state.cluster,
          formatVersion(version),
          `BACKUP refused table ${name} of type ${type}`,
        ),
        { cause: error },
      );
    }
    return [
      {
        name,
        kind: kindOf(name),
        why: 'refused',
        detail: `StarRocks: can not support backup restore, type ${type}`,
      },
    ];
  }
  const notOlap = NOT_OLAP.exec(error.message);
  if (notOlap) {
    const [, name = ''] = notOlap;
    if (kindOf(name) === 'OLAP' && !capabilities.newBackupSyntax) {
      // information_schema lists it as a native table (ENGINE StarRocks, not a view), yet BackupHandler says it is
      // not OLAP: a LakeTable (TableType CLOUD_NATIVE) of a shared-data cluster.
      throw new UnsupportedClusterError(
        sharedDataRefusal(
          state.cluster,
          formatVersion(version),
          `BACKUP calls table ${name}, a native table, "not a OLAP table": a cloud-native table`,
        ),
        { cause: error },
      );
    }
    return [{ name, kind: kindOf(name), why: 'refused', detail: 'StarRocks: not a OLAP table' }];
  }
  throw error;
}

/** The list-partitioned tables of the scope, from SHOW PARTITIONS (the refusal names none). */
async function listPartitioned(
  error: UnsupportedListPartitionError,
  state: BackupDatabaseState,
  version: StarRocksVersion,
  tables: readonly TableInfo[],
  scope: BackupScope,
  client: StarRocksClient,
): Promise<OmittedObject[]> {
  const inScope =
    scope.on === undefined
      ? tables
      : tables.filter((table) => scope.on?.some((ref) => ref.name === table.name));
  const found: OmittedObject[] = [];
  for (const table of inScope.filter(
    (candidate) => candidate.kind === 'OLAP' || candidate.kind === 'MATERIALIZED_VIEW',
  )) {
    let list: boolean;
    try {
      list = await client.isListPartitioned(state.database, table.name);
    } catch (cause) {
      if (!(cause instanceof StarRocksAccessDeniedError)) throw cause;
      throw new UnsupportedListPartitionError(
        `StarRocks ${formatVersion(version)} refuses list-partitioned tables in BACKUP, and database ${state.database} ` +
          'holds one; the backup user cannot tell which (SHOW PARTITIONS needs SELECT on the tables), so the rest ' +
          `could not be backed up without it. Grant SELECT on ${state.database}'s tables to the backup user, or ` +
          `upgrade to a patch that backs them up (PR #51993). StarRocks said: ${error.message}`,
        { cause },
      );
    }
    if (list) found.push({ name: table.name, kind: table.kind, why: 'list-partitioned' });
  }
  if (found.length === 0) throw error;
  return found;
}

function labelsOfSlot(state: BackupDatabaseState): string[] {
  return slotLabels({
    cluster: state.cluster.name,
    schedule: state.schedule,
    database: state.database,
    scheduledTime: new Date(state.scheduledTime),
  });
}

function attemptOfLabel(state: BackupDatabaseState, label: string): number {
  const attempt = labelsOfSlot(state).indexOf(label) + 1;
  return attempt > 0 ? attempt : 1;
}
