/**
 * An on-demand restore on this machine (`sr-backup restore`): the snapshot chosen from the local catalog, the
 * statement as the FE's version writes it, and — with `--execute` — the restore itself, taking the same slot and
 * lock as the deployed workflows and polling with the same policy. The Lambdas' own runtime wiring is used
 * (DynamoDB at the local endpoint, the FE password from the environment), so nothing here talks to StarRocks or
 * DynamoDB differently from a deployed drill.
 */

import { createManifestStore } from '#domain/catalog/manifest-store.ts';
import type { Clock } from '#domain/clock.ts';
import {
  type BackupConfig,
  backupTimeoutPropertySeconds,
  type ClusterSettings,
  toClusterSettings,
} from '#domain/config/index.ts';
import { type Manifest, type RestoreStep, restoreSteps } from '#domain/differential/index.ts';
import { InvalidInputError, RestoreTargetExistsError, SnapshotNotFoundError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import { restoreRequestOf } from '#domain/restore/restore-job.ts';
import type { RestorePlan, RestoreSnapshot, SnapshotChoice } from '#domain/restore/restore-plan.ts';
import { chooseSnapshot, restoredTableNames, restoreHistorySeconds } from '#domain/restore/restore-plan.ts';
import {
  buildCreateDatabaseStatement,
  buildDropPartitionStatement,
  buildRestoreStatement,
  type FullStarRocksClient,
  type RestoreTableRef,
  type StarRocksVersion,
} from '#domain/starrocks/index.ts';
import type { EnvironmentVariables } from '#runtime/env.ts';
import { createDocumentClient } from '../dynamo/index.ts';
import {
  type ChainRestoreProgress,
  type ChainRestoreRunResult,
  runChainRestore,
} from '../restore/run-chain-restore.ts';
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

/**
 * A chain restore refused before anything was sent (issue 20): `option` names the option a chain cannot take (a
 * usage error), null when the catalog lacks what the chain needs (a manifest) or the chain needs a step that is not
 * built yet. Named InvalidInputError like its base: the class tells the CLI which refusal it is.
 */
export class ChainRestoreRefusedError extends InvalidInputError {
  readonly option: '--table' | '--to-cluster' | null;

  constructor(message: string, option: '--table' | '--to-cluster' | null = null) {
    super(message);
    this.option = option;
  }
}

/** How a differential is restored: its full first, then the differential, then the check (restoreSteps). */
export interface PreparedChain {
  /** The full the differential was taken against (plan.snapshot is the differential). */
  readonly full: RestoreSnapshot;
  readonly steps: readonly RestoreStep[];
  /** The statements `--execute` sends, in order (each RESTORE waited for with SHOW RESTORE before the next). */
  readonly statements: readonly string[];
  /** StarRocks' `timeout` of each RESTORE, whole seconds; also our deadline per RESTORE. */
  readonly timeoutSeconds: number;
  /** What the steps move, for the plan's summary. */
  readonly counts: {
    /** Objects restored from the full, and those left out of it (dropped since, or held whole by the differential). */
    readonly fromFull: number;
    readonly leftOutOfFull: number;
    /** Partitions dropped after the full: gone since the full, or replaced since (restored again from the differential). */
    readonly droppedPartitions: number;
    readonly replacedPartitions: number;
    /** Partitions the differential restores into existing tables, and objects it restores whole. */
    readonly differentialPartitions: number;
    readonly differentialWholeObjects: number;
    /** Tables and partitions the check compares with the differential's manifest. */
    readonly checkedTables: number;
    readonly checkedPartitions: number;
  };
}

/** A planned restore as the FE would run it. */
export interface PreparedRestore {
  /** The restore's plan; for a chain, `snapshot` is the differential (the point reached). */
  readonly plan: RestorePlan;
  /** A differential's chain (its full, the steps); null for a full, restored alone. */
  readonly chain: PreparedChain | null;
  readonly settings: ClusterSettings;
  readonly deadlineSeconds: number;
  readonly version: StarRocksVersion;
  /**
   * The exact statement `--execute` sends (the grammar follows the FE's version); for a chain, its statements one
   * a line (PreparedChain.statements).
   */
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
 * reads the FE's version and whether the target exists, and writes the statement. A differential (the one named,
 * or the newest restorable point) is planned as its chain: both manifests are read from the catalog and
 * restoreSteps decides the steps (ChainRestoreRefusedError when a chain cannot be run: `tables`, `fromCluster`, a
 * missing manifest, a step not built yet). Reads only.
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
  const choice = await chooseSnapshot(catalog, {
    cluster: source,
    database: request.database,
    label: request.snapshot,
    before: request.before,
  });
  if (choice.kind === 'differential') {
    const point = `snapshot ${choice.snapshot.label} is a differential backup (of full ${choice.full.label})`;
    if (request.tables !== undefined) {
      throw new ChainRestoreRefusedError(
        `${point}: a chain restore restores the whole database, not some tables, so far`,
        '--table',
      );
    }
    if (request.fromCluster !== undefined) {
      throw new ChainRestoreRefusedError(
        `${point}: a chain restore into another cluster is not built yet`,
        '--to-cluster',
      );
    }
  }
  // Another cluster reads the snapshot through its own repository (same location, its own name).
  const recorded = choice.snapshot;
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
  const chainSteps =
    choice.kind === 'differential'
      ? await chainStepsOf(context, runtime.clock, settings.name, request.database, choice)
      : null;
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
  const chain =
    choice.kind === 'differential' && chainSteps !== null
      ? preparedChain(plan, choice.full, chainSteps, backupTimeoutPropertySeconds(deadlineSeconds), version)
      : null;
  const statement =
    chain === null
      ? buildRestoreStatement({ ...restoreRequestOf(plan, deadlineSeconds), version }).sql
      : chain.statements.join('\n');
  // A chain's expected time comes from earlier chain drills only, a full's from full drills only.
  const historySeconds = await restoreHistorySeconds(
    catalog,
    { cluster: settings.name, database: request.database },
    chain === null ? 'full' : 'chain',
  );
  return {
    plan,
    chain,
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
 * restoreSteps over the manifests the catalog recorded with the two snapshots, checked for what runRestoreChain
 * cannot send yet, so a chain it would stop half-way is refused before anything is sent.
 * @throws ChainRestoreRefusedError (a manifest missing, a view or materialized view in the chain).
 */
async function chainStepsOf(
  context: LocalRestoreContext,
  clock: Clock,
  cluster: string,
  database: string,
  choice: Extract<SnapshotChoice, { kind: 'differential' }>,
): Promise<{ steps: RestoreStep[]; fullObjects: number }> {
  const client = createDocumentClient(context.tables.endpoint);
  let manifests: { differential: Manifest | undefined; full: Manifest | undefined };
  try {
    const store = createManifestStore({ client, tableName: context.tables.catalogTableName, clock });
    const [differential, full] = await Promise.all([
      store.readManifest({ cluster, database, label: choice.snapshot.label }),
      store.readManifest({ cluster, database, label: choice.full.label }),
    ]);
    manifests = { differential, full };
  } finally {
    client.destroy();
  }
  const missing = [
    ...(manifests.full === undefined ? [`full ${choice.full.label}`] : []),
    ...(manifests.differential === undefined ? [`differential ${choice.snapshot.label}`] : []),
  ];
  if (manifests.full === undefined || manifests.differential === undefined) {
    throw new ChainRestoreRefusedError(
      `the catalog holds no partition manifest of the ${missing.join(' nor of the ')}; a chain restore decides its steps from both manifests, so nothing was restored`,
    );
  }
  const steps = restoreSteps(
    {
      kind: 'differential',
      label: choice.snapshot.label,
      baseLabel: choice.full.label,
      verified: true,
      prunedAt: null,
      lost: false,
    },
    { kind: 'full', label: choice.full.label, baseLabel: null, verified: true, prunedAt: null, lost: false },
    manifests.differential,
    manifests.full,
  );
  if (steps.some((step) => step.step === 'refresh-materialized-views')) {
    throw new ChainRestoreRefusedError(
      `the chain of ${choice.snapshot.label} restores materialized views from its full and then refreshes them; that step is not built yet, so nothing was restored`,
    );
  }
  const notTables = steps.flatMap((step) =>
    step.step === 'restore-differential'
      ? step.objects.filter((object) => object.kind !== 'OLAP').map((object) => object.name)
      : [],
  );
  if (notTables.length > 0) {
    throw new ChainRestoreRefusedError(
      `differential ${choice.snapshot.label} holds views or materialized views (${notTables.join(', ')}); restoring them in a chain is not built yet, so nothing was restored`,
    );
  }
  return { steps, fullObjects: manifests.full.tables.length + manifests.full.others.length };
}

/** The ON list entry runRestoreChain sends for one object of the differential (OLAP tables only, checked before). */
function restoreRefOf(object: {
  name: string;
  partitions: readonly string[] | null;
}): string | RestoreTableRef {
  return object.partitions === null ? object.name : { name: object.name, partitions: object.partitions };
}

/** The chain's statements as runRestoreChain sends them, and what its steps move. */
function preparedChain(
  plan: RestorePlan,
  full: RestoreSnapshot,
  { steps, fullObjects }: { readonly steps: readonly RestoreStep[]; readonly fullObjects: number },
  timeoutSeconds: number,
  version: StarRocksVersion,
): PreparedChain {
  const target = plan.targetDatabase;
  const restore = (snapshot: RestoreSnapshot, tables: readonly (string | RestoreTableRef)[] | undefined) =>
    buildRestoreStatement({
      database: plan.sourceDatabase,
      label: snapshot.label,
      repository: plan.snapshot.repository,
      snapshotTimestamp: snapshot.snapshotTimestamp,
      asDatabase: target,
      timeoutSeconds,
      version,
      ...(tables === undefined ? {} : { tables }),
    }).sql;
  const statements = [buildCreateDatabaseStatement(target).sql];
  const counts = {
    fromFull: 0,
    leftOutOfFull: 0,
    droppedPartitions: 0,
    replacedPartitions: 0,
    differentialPartitions: 0,
    differentialWholeObjects: 0,
    checkedTables: 0,
    checkedPartitions: 0,
  };
  for (const step of steps) {
    switch (step.step) {
      case 'restore-full':
        statements.push(restore(full, step.only ?? undefined));
        counts.fromFull = step.only?.length ?? fullObjects;
        counts.leftOutOfFull = step.leftOut.length;
        break;
      case 'drop-partitions':
        for (const partition of step.partitions) {
          statements.push(buildDropPartitionStatement(target, step.table, partition, { force: true }).sql);
        }
        if (step.why === 'dropped-since-full') counts.droppedPartitions += step.partitions.length;
        else counts.replacedPartitions += step.partitions.length;
        break;
      case 'restore-differential':
        statements.push(restore(plan.snapshot, step.objects.map(restoreRefOf)));
        for (const object of step.objects) {
          if (object.partitions === null) counts.differentialWholeObjects += 1;
          else counts.differentialPartitions += object.partitions.length;
        }
        break;
      case 'check':
        counts.checkedTables = step.tables.length;
        counts.checkedPartitions = step.tables.reduce((sum, table) => sum + table.partitions.length, 0);
        break;
      case 'refresh-materialized-views':
        break;
    }
  }
  return { full, steps, statements, timeoutSeconds, counts };
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
  if (prepared.chain !== null) {
    throw new InvalidInputError('a differential is restored as its chain: executeLocalChainRestore');
  }
  const { settings, plan } = prepared;
  return asLocalRestoreExecution(context, settings, options, (holder, deps) =>
    runRestore(
      {
        plan,
        holder,
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
      deps,
    ),
  );
}

/**
 * Runs a prepared chain restore (PreparedRestore.chain; see runChainRestore in local/restore): slot, target lock
 * labelled with the differential and a hold on the full's label, CREATE DATABASE, the RESTOREs waited for with
 * SHOW RESTORE every `poll.minSeconds`, the partition drops, the check against the differential's manifest,
 * release. The holder is a local execution id, as for a single-snapshot restore.
 * @throws InvalidInputError when `prepared` is not a chain.
 */
export async function executeLocalChainRestore(
  context: LocalRestoreContext,
  prepared: PreparedRestore,
  options: {
    readonly sleep?: Sleep | undefined;
    readonly signal?: AbortSignal | undefined;
    readonly onProgress?: ((event: ChainRestoreProgress) => void) | undefined;
    /** How long to wait for a free slot and for the target's lock (default: the lease length). */
    readonly waitSeconds?: number | undefined;
  } = {},
): Promise<ChainRestoreRunResult> {
  const { settings, plan, chain } = prepared;
  if (chain === null) throw new InvalidInputError('executeLocalChainRestore needs a prepared chain restore');
  return asLocalRestoreExecution(context, settings, options, (holder, deps) =>
    runChainRestore(
      {
        cluster: settings.name,
        sourceDatabase: plan.sourceDatabase,
        targetDatabase: plan.targetDatabase,
        full: chain.full,
        differential: plan.snapshot,
        steps: chain.steps,
        holder,
        capacity: settings.maxConcurrentBackups,
        leaseSeconds: settings.lock.leaseSeconds,
        pollSeconds: settings.poll.minSeconds,
        timeoutSeconds: chain.timeoutSeconds,
        waitSeconds: options.waitSeconds ?? settings.lock.leaseSeconds,
        signal: options.signal,
      },
      deps,
    ),
  );
}

/**
 * Runs `work` as one local restore execution: a holder registered under a local execution id (other local runs see
 * it alive while this process runs) and the runtime's stores, both released after.
 */
async function asLocalRestoreExecution<Result, Progress>(
  context: LocalRestoreContext,
  settings: PreparedRestore['settings'],
  options: { readonly sleep?: Sleep | undefined; readonly onProgress?: Progress | undefined },
  work: (
    holder: string,
    deps: {
      locks: LockStore;
      starRocks: <T>(work: (client: FullStarRocksClient) => Promise<T>) => Promise<T>;
      clock: Clock;
      sleep: Sleep;
      onProgress: Progress | undefined;
    },
  ) => Promise<Result>,
): Promise<Result> {
  const runtime = localRuntimeOf(context);
  const { clock } = runtime;
  const holder = registerLocalHolder('restore', localExecutionName(settings.name, new Date(clock.now())));
  try {
    return await work(holder.arn, {
      locks: await runtime.locks(),
      starRocks: (run) => runtime.withStarRocks(settings, run),
      clock,
      sleep: options.sleep ?? realSleep,
      onProgress: options.onProgress,
    });
  } finally {
    holder.end();
    runtime.close();
  }
}
