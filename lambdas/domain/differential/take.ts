/**
 * One night of a differential schedule and one chain restore, over a StarRocks client (issue 20, "Must show"; not
 * wired into a Lambda yet). The decisions are the pure rules of this folder (planDifferential, restoreSteps); this
 * module only reads the cluster and sends what they decided, with every SQL text built in lambdas/domain/starrocks.
 */
import { InvalidInputError, RestoreFailedError, RestoreTimedOutError } from '#domain/errors.ts';
import type { FullStarRocksClient, SubmitBackupRequest } from '#domain/starrocks/client.ts';
import type { RestoreJob } from '#domain/starrocks/parse-restore-job.ts';
import type { BackupTableRef, RestoreTableRef } from '#domain/starrocks/statements.ts';
import type { Manifest } from './manifest.ts';
import {
  type BackupObject,
  type DifferentialOptions,
  type DifferentialPlan,
  planDifferential,
} from './plan.ts';
import type { RestoreStep } from './restore-steps.ts';

/** What a night's BACKUP says beyond label, repository and timeout: the database and (for a differential) its ON list. */
export type NightBackupRequest = Pick<SubmitBackupRequest, 'database' | 'tables'>;

/** One night's decision. */
export interface NightDecision {
  /** `full` when there is no base (the chain starts), `differential` otherwise. */
  readonly kind: 'full' | 'differential';
  /** The database's manifest now: recorded with the snapshot (it is the next differentials' comparison point). */
  readonly manifest: Manifest;
  /** The differential's plan against `base`; null for a full. */
  readonly plan: DifferentialPlan | null;
  /**
   * The BACKUP to send: the whole database for a full (no `tables`), the plan's objects for a differential; null
   * when nothing changed since the newest snapshot (`unchanged`), or when only drops happened since the full.
   */
  readonly backupRequest: NightBackupRequest | null;
  /** Nothing changed since the chain's newest snapshot (`previous`, else the full): the run is SKIPPED `unchanged`. */
  readonly unchanged: boolean;
}

/** The client calls a night makes. */
export type NightClient = Pick<FullStarRocksClient, 'readPartitionManifest'>;

/** The ON list entry for one object of a plan (`partitions: null` = the whole object). */
export function backupTableRefOf(object: BackupObject): BackupTableRef {
  const type =
    object.kind === 'OLAP' ? 'TABLE' : object.kind === 'VIEW' ? 'VIEW' : ('MATERIALIZED_VIEW' as const);
  return {
    name: object.name,
    ...(type === 'TABLE' ? {} : { type }),
    ...(object.partitions === null ? {} : { partitions: object.partitions }),
  };
}

export interface NightOptions extends DifferentialOptions {
  /**
   * The manifest of the chain's newest snapshot (the previous night's differential, or the full). When nothing
   * changed since it, the night is `unchanged` even though the database differs from the full: that snapshot
   * already holds the same point. Absent: compared with `base` only.
   */
  readonly previous?: Manifest;
  /** The part of the database's manifest a snapshot can hold (what a full of the version backs up); all of it by default. */
  readonly select?: (manifest: Manifest) => Manifest;
}

/**
 * Reads the database's manifest and decides the night: a full when `base` (the chain's full's manifest) is null,
 * else a differential of what changed since the full, or nothing when nothing changed since the newest snapshot.
 */
export async function planNight(
  client: NightClient,
  database: string,
  base: Manifest | null,
  options: NightOptions = {},
): Promise<NightDecision> {
  const { previous, select, ...planOptions } = options;
  const read = await client.readPartitionManifest(database);
  const manifest = select === undefined ? read : select(read);
  if (base === null) {
    return { kind: 'full', manifest, plan: null, backupRequest: { database }, unchanged: false };
  }
  const plan = planDifferential(base, manifest, planOptions);
  const unchanged =
    plan.unchanged || (previous !== undefined && planDifferential(previous, manifest, planOptions).unchanged);
  // Only drops since the full: StarRocks refuses an empty ON list, and a BACKUP without one is a full; the caller
  // decides (the workflow takes a full, differential-night.ts).
  const backupRequest =
    unchanged || plan.backup.length === 0 ? null : { database, tables: plan.backup.map(backupTableRefOf) };
  return { kind: 'differential', manifest, plan, backupRequest, unchanged };
}

/** The client calls a chain restore makes. */
export type ChainRestoreClient = Pick<
  FullStarRocksClient,
  'createDatabase' | 'submitRestore' | 'showRestore' | 'dropPartition' | 'readPartitionManifest'
>;

export interface ChainRestoreRequest {
  readonly repository: string;
  /** The database the snapshots were taken of. */
  readonly sourceDatabase: string;
  /** A new database the chain is restored into (created first; the caller made sure it did not exist). */
  readonly targetDatabase: string;
  /** SHOW SNAPSHOT's Timestamp of each label of the chain (what RESTORE's backup_timestamp names). */
  readonly snapshotTimestamps: Readonly<Record<string, string>>;
  /** StarRocks' own RESTORE timeout, whole seconds ≥ 600; also our deadline per job. */
  readonly timeoutSeconds: number;
  /** Seconds between two SHOW RESTORE. */
  readonly pollSeconds: number;
  /** Waits that many seconds (a test advances its virtual clock). */
  readonly wait: (seconds: number) => Promise<void>;
}

/** A partition whose restored version differs from the manifest's, or which is missing or extra. */
export interface ChainCheckMismatch {
  readonly table: string;
  readonly partition: string | null;
  readonly expected: string | null;
  readonly actual: string | null;
}

export interface ChainRestoreResult {
  /** The steps run, in order, each with the RESTORE job it ended with (restore steps only). */
  readonly ran: readonly { readonly step: RestoreStep['step']; readonly job: RestoreJob | null }[];
  /** The check step's comparison of the restored database with the differential's manifest (empty = equal). */
  readonly mismatches: readonly ChainCheckMismatch[];
}

function restoreRefOf(object: BackupObject): string | RestoreTableRef {
  if (object.kind !== 'OLAP') {
    // RestoreTableRef cannot name a view or MV by type yet (3.4+ typed ON lists): not needed by OLAP-only chains.
    throw new InvalidInputError(`a chain restore of ${object.kind} "${object.name}" is not built yet`);
  }
  return object.partitions === null ? object.name : { name: object.name, partitions: object.partitions };
}

async function restoreAndWait(
  client: ChainRestoreClient,
  request: ChainRestoreRequest,
  label: string,
  tables: readonly (string | RestoreTableRef)[] | undefined,
): Promise<RestoreJob> {
  const snapshotTimestamp = request.snapshotTimestamps[label];
  if (snapshotTimestamp === undefined) {
    throw new InvalidInputError(`no snapshot timestamp given for "${label}"`);
  }
  await client.submitRestore({
    database: request.sourceDatabase,
    label,
    repository: request.repository,
    snapshotTimestamp,
    asDatabase: request.targetDatabase,
    timeoutSeconds: request.timeoutSeconds,
    ...(tables === undefined ? {} : { tables }),
  });
  let waited = 0;
  for (;;) {
    const job = await client.showRestore(request.targetDatabase);
    const ours = job !== null && job.label === label && job.timestamp === snapshotTimestamp;
    if (!ours) {
      throw new RestoreFailedError(
        `RESTORE of "${label}" into "${request.targetDatabase}" vanished (SHOW RESTORE shows ${job?.label ?? 'nothing'})`,
      );
    }
    if (job.state === 'FINISHED') return job;
    if (job.state === 'CANCELLED') {
      throw new RestoreFailedError(
        `RESTORE of "${label}" into "${request.targetDatabase}" was cancelled: ${job.status.raw}`,
      );
    }
    if (waited >= request.timeoutSeconds) {
      throw new RestoreTimedOutError(
        `RESTORE of "${label}" did not finish within ${request.timeoutSeconds} s`,
      );
    }
    await request.wait(request.pollSeconds);
    waited += request.pollSeconds;
  }
}

/**
 * Whether a restored partition at version `actual` holds at least what the manifest recorded. The manifest is read
 * before the BACKUP is sent, and StarRocks takes the snapshot's versions when the job starts
 * (fe/fe-core/src/main/java/com/starrocks/backup/BackupJob.java, prepareAndSendSnapshotTask), so a load in between
 * lands in the snapshot and the restored version is higher: more data, never less (the next run backs the
 * partition up again, since it differs from the full's manifest). A lower or missing version is data lost.
 */
function holdsAtLeast(actual: string | null, expected: string): boolean {
  return actual !== null && BigInt(actual) >= BigInt(expected);
}

/**
 * The differences between a restored database's manifest and a chain's check step: a table missing or extra, a
 * partition missing or extra, or restored at an older visible version than recorded (see holdsAtLeast; times are
 * not compared: a RESTORE sets them).
 */
export function compareWithManifest(
  expected: Extract<RestoreStep, { step: 'check' }>,
  restored: Manifest,
): ChainCheckMismatch[] {
  const mismatches: ChainCheckMismatch[] = [];
  const actualTables = new Map(restored.tables.map((table) => [table.name, table]));
  for (const table of expected.tables) {
    const actual = actualTables.get(table.name);
    actualTables.delete(table.name);
    if (actual === undefined) {
      mismatches.push({ table: table.name, partition: null, expected: 'table', actual: null });
      continue;
    }
    const actualPartitions = new Map(actual.partitions.map((p) => [p.name, p.visibleVersion]));
    for (const partition of table.partitions) {
      const version = actualPartitions.get(partition.name) ?? null;
      actualPartitions.delete(partition.name);
      if (!holdsAtLeast(version, partition.visibleVersion)) {
        mismatches.push({
          table: table.name,
          partition: partition.name,
          expected: partition.visibleVersion,
          actual: version,
        });
      }
    }
    for (const [name, version] of actualPartitions) {
      mismatches.push({ table: table.name, partition: name, expected: null, actual: version });
    }
  }
  for (const name of actualTables.keys()) {
    mismatches.push({ table: name, partition: null, expected: null, actual: 'table' });
  }
  return mismatches;
}

/**
 * Runs restoreSteps' plan over SQL into a new database: CREATE DATABASE, RESTORE the full (only the objects the
 * steps keep), DROP PARTITION … FORCE, RESTORE the differential's objects, each RESTORE waited for with SHOW
 * RESTORE; then reads the restored manifest for the check step. The refresh of materialized views is not built yet
 * (no REFRESH builder): steps that ask for it are refused before anything is sent.
 *
 * @throws RestoreFailedError when StarRocks cancels a RESTORE; RestoreTimedOutError past `timeoutSeconds`.
 */
export async function runRestoreChain(
  client: ChainRestoreClient,
  steps: readonly RestoreStep[],
  request: ChainRestoreRequest,
): Promise<ChainRestoreResult> {
  if (steps.some((step) => step.step === 'refresh-materialized-views')) {
    throw new InvalidInputError('a chain restore that refreshes materialized views is not built yet');
  }
  const target = request.targetDatabase;
  await client.createDatabase(target);
  const ran: { step: RestoreStep['step']; job: RestoreJob | null }[] = [];
  let mismatches: ChainCheckMismatch[] = [];
  for (const step of steps) {
    switch (step.step) {
      case 'restore-full':
        ran.push({
          step: step.step,
          job: await restoreAndWait(client, request, step.label, step.only ?? undefined),
        });
        break;
      case 'drop-partitions':
        for (const partition of step.partitions) {
          await client.dropPartition(target, step.table, partition, { force: true });
        }
        ran.push({ step: step.step, job: null });
        break;
      case 'restore-differential':
        ran.push({
          step: step.step,
          job: await restoreAndWait(client, request, step.label, step.objects.map(restoreRefOf)),
        });
        break;
      case 'check':
        mismatches = compareWithManifest(step, await client.readPartitionManifest(target));
        ran.push({ step: step.step, job: null });
        break;
      case 'refresh-materialized-views':
        break;
    }
  }
  return { ran, mismatches };
}
