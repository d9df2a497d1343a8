/**
 * An on-demand restore on this machine (`sr-backup restore`): the snapshot chosen from the local catalog, the
 * statement as the FE's version writes it, and — with `--execute` — the restore itself, taking the same slot and
 * lock as the deployed workflows and polling with the same policy. The Lambdas' own runtime wiring is used
 * (DynamoDB at the local endpoint, the FE password from the environment), so nothing here talks to StarRocks or
 * DynamoDB differently from a deployed drill.
 */

import type { Clock } from '#domain/clock.ts';
import { type BackupConfig, type ClusterSettings, toClusterSettings } from '#domain/config/index.ts';
import { RestoreTargetExistsError, SnapshotNotFoundError } from '#domain/errors.ts';
import { restoreRequestOf } from '#domain/restore/restore-job.ts';
import type { RestorePlan } from '#domain/restore/restore-plan.ts';
import { chooseSnapshot, restoredTableNames, restoreHistorySeconds } from '#domain/restore/restore-plan.ts';
import {
  buildRestoreStatement,
  type FullStarRocksClient,
  type StarRocksVersion,
} from '#domain/starrocks/index.ts';
import type { EnvironmentVariables } from '#runtime/env.ts';
import { type RestoreProgress, type RestoreRunResult, runRestore } from '../restore/run-restore.ts';
import { createLocalRuntime, type LocalRuntime, type LocalTables } from '../runtime.ts';
import { registerLocalHolder } from './execution-registry.ts';
import { localExecutionName } from './local-runtime.ts';

/** Where and with what a local restore runs. */
export interface LocalRestoreContext {
  readonly config: BackupConfig;
  readonly cluster: string;
  readonly tables: LocalTables;
  readonly clock?: Clock | undefined;
  /** STARROCKS_PASSWORD…; process.env by default. */
  readonly secretEnv?: EnvironmentVariables | undefined;
}

/** What to restore. */
export interface LocalRestoreRequest {
  readonly database: string;
  /** A snapshot label of that database; default the latest verified one. */
  readonly snapshot?: string | undefined;
  /** ISO 8601: the newest verified snapshot captured at or before this (when no `snapshot` is named). */
  readonly before?: string | undefined;
  /**
   * The cluster whose catalog holds the snapshot, when it is not the one restored into (`--to-cluster`): the
   * disaster-recovery path. The target cluster's repository must hold the same snapshot (it is checked).
   */
  readonly fromCluster?: string | undefined;
  /** Only these tables, each under its own name or `alias` (a table restore may use an existing database). */
  readonly tables?: readonly { readonly name: string; readonly alias?: string | undefined }[] | undefined;
  /** Restore into this database instead of `database`. */
  readonly as?: string | undefined;
  /** Our deadline in seconds; default the cluster's `timeoutSeconds`. */
  readonly deadlineSeconds?: number | undefined;
}

/** A planned restore as the FE would run it. */
export interface PreparedRestore {
  readonly plan: RestorePlan;
  readonly settings: ClusterSettings;
  readonly deadlineSeconds: number;
  readonly version: StarRocksVersion;
  /** The exact statement `--execute` sends (the grammar follows the FE's version). */
  readonly statement: string;
  /** The target database exists already. */
  readonly targetExists: boolean;
  /** Why `--execute` would refuse (an existing target database, or tables of a table restore that exist), or null. */
  readonly refusal: RestoreTargetExistsError | null;
  /** Measured durations of this database's earlier drills, newest first (the poll policy aims with them). */
  readonly historySeconds: readonly number[];
  /** The cluster whose catalog recorded the snapshot (another one than the target with `--to-cluster`). */
  readonly sourceCluster: string;
}

/**
 * Chooses the snapshot (SnapshotNotFoundError when the catalog has no verified one, or `snapshot` is not one),
 * reads the FE's version and whether the target exists, and writes the statement. Reads only.
 */
export async function prepareLocalRestore(
  context: LocalRestoreContext,
  request: LocalRestoreRequest,
): Promise<PreparedRestore> {
  const runtime = localRuntimeOf(context);
  try {
    return await prepare(context, request, runtime);
  } finally {
    runtime.close();
  }
}

/** The Lambdas' runtime over the local tables, with secrets from the context's environment. */
function localRuntimeOf(context: LocalRestoreContext): LocalRuntime {
  return createLocalRuntime(context.tables, { clock: context.clock, secretEnv: context.secretEnv });
}

async function prepare(
  context: LocalRestoreContext,
  request: LocalRestoreRequest,
  runtime: LocalRuntime,
): Promise<PreparedRestore> {
  const settings = toClusterSettings(context.config, context.cluster);
  const catalog = await runtime.catalog();
  const source = request.fromCluster ?? settings.name;
  const recorded = await chooseSnapshot(catalog, {
    cluster: source,
    database: request.database,
    label: request.snapshot,
    before: request.before,
  });
  // Another cluster reads the snapshot through its own repository (same location, its own name).
  const snapshot = source === settings.name ? recorded : { ...recorded, repository: settings.repository };
  const plan: RestorePlan = {
    cluster: settings.name,
    sourceDatabase: request.database,
    targetDatabase: request.as ?? request.database,
    snapshot,
    ...(request.tables === undefined
      ? {}
      : {
          tables: request.tables.map((table) => ({
            name: table.name,
            ...(table.alias === undefined ? {} : { alias: table.alias }),
          })),
        }),
  };
  const names = restoredTableNames(plan);
  const deadlineSeconds = request.deadlineSeconds ?? settings.timeoutSeconds;
  const { version, targetExists, clashing } = await runtime.withStarRocks(settings, async (client) => {
    if (source !== settings.name) await assertRepositoryHolds(client, settings, source, snapshot);
    const exists = (await client.showDatabases()).includes(plan.targetDatabase);
    const present =
      names !== undefined && exists
        ? new Set((await client.listTables(plan.targetDatabase)).map((table) => table.name))
        : new Set<string>();
    return {
      version: await client.currentVersion(),
      targetExists: exists,
      clashing: (names ?? []).filter((name) => present.has(name)),
    };
  });
  const refusal =
    names === undefined
      ? targetExists
        ? new RestoreTargetExistsError(plan.targetDatabase)
        : null
      : clashing.length > 0
        ? new RestoreTargetExistsError(plan.targetDatabase, clashing)
        : null;
  const statement = buildRestoreStatement({ ...restoreRequestOf(plan, deadlineSeconds), version }).sql;
  const historySeconds = await restoreHistorySeconds(catalog, {
    cluster: settings.name,
    database: request.database,
  });
  return {
    plan,
    settings,
    deadlineSeconds,
    version,
    statement,
    targetExists,
    refusal,
    historySeconds,
    sourceCluster: source,
  };
}

/**
 * The target cluster's repository must hold the snapshot with the timestamp the source cluster's catalog recorded
 * (SHOW SNAPSHOT reads the repository's files): otherwise the repositories do not share a location, or the
 * snapshot was never copied there.
 * @throws SnapshotNotFoundError naming both clusters and the repository.
 */
async function assertRepositoryHolds(
  client: Pick<FullStarRocksClient, 'showSnapshot'>,
  target: ClusterSettings,
  source: string,
  snapshot: RestorePlan['snapshot'],
): Promise<void> {
  const found = await client.showSnapshot(target.repository, snapshot.label);
  if (found?.ok === true && found.timestamps.includes(snapshot.snapshotTimestamp)) return;
  throw new SnapshotNotFoundError(
    `repository ${target.repository} of cluster ${target.name} does not hold snapshot ${snapshot.label} of cluster ${source} (timestamp ${snapshot.snapshotTimestamp}; SHOW SNAPSHOT: ${found?.status ?? 'no such snapshot'}); its repository must point at the same location as ${source}'s`,
  );
}

/** How the restore loop waits: real time by default. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A real-time sleep that an abort ends early (with the abort's reason). */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Runs a prepared restore to its end (see runRestore in lambdas/domain/restore): slot, lock on the target labelled with
 * the snapshot, RESTORE, SHOW RESTORE at the poll policy's intervals, the check, release. The holder is a local
 * execution id, so other local runs see it alive while this process runs.
 */
export async function executeLocalRestore(
  context: LocalRestoreContext,
  prepared: PreparedRestore,
  options: {
    readonly sleep?: Sleep | undefined;
    readonly signal?: AbortSignal | undefined;
    readonly onProgress?: ((event: RestoreProgress) => void) | undefined;
    /** How long to wait for a free slot and for the target's lock (default: the lease length). */
    readonly waitSeconds?: number | undefined;
  } = {},
): Promise<RestoreRunResult> {
  const runtime = localRuntimeOf(context);
  const { clock } = runtime;
  const { settings, plan } = prepared;
  const holder = registerLocalHolder('restore', localExecutionName(settings.name, new Date(clock.now())));
  try {
    return await runRestore(
      {
        plan,
        holder: holder.arn,
        capacity: settings.maxConcurrentBackups,
        leaseSeconds: settings.lock.leaseSeconds,
        timing: {
          minSeconds: settings.poll.minSeconds,
          maxSeconds: settings.poll.maxSeconds,
          deadlineSeconds: prepared.deadlineSeconds,
        },
        historySeconds: prepared.historySeconds,
        waitSeconds: options.waitSeconds ?? settings.lock.leaseSeconds,
        signal: options.signal,
        sourceCluster: prepared.sourceCluster,
      },
      {
        locks: await runtime.locks(),
        starRocks: (work) => runtime.withStarRocks(settings, work),
        clock,
        sleep: options.sleep ?? realSleep,
        onProgress: options.onProgress,
      },
    );
  } finally {
    holder.end();
    runtime.close();
  }
}
