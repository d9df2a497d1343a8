/**
 * Brings a cluster's snapshots in line with its retention policy: plan per database (retention-policy.ts), then,
 * when applying, remove each snapshot the plan lets go (DROP SNAPSHOT or its S3 objects) and mark it pruned in
 * the catalog. Only labels the catalog holds are ever removed; each removal re-checks pins and live locks first.
 */

import { chainSnapshotsOf } from '#domain/catalog/chain-snapshots.ts';
import type { CatalogStore } from '#domain/catalog/index.ts';
import type { ManifestStore } from '#domain/catalog/manifest-store.ts';
import type { Clock } from '#domain/clock.ts';
import type { ClusterSettings } from '#domain/config/index.ts';
import { SnapshotNotFoundError } from '#domain/errors.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import { capabilitiesOf, formatVersion, type StarRocksVersion } from '#domain/starrocks/index.ts';
import { keepChainBases } from './chain-retention.ts';
import { chooseRemovalMethod, methodNeedsVersion, type RemovalMethod } from './removal-method.ts';
import { planRetention, type SnapshotDecision } from './retention-policy.ts';
import type { SnapshotObjectStore } from './s3-snapshot-objects.ts';

/** The FE calls a prune makes. */
export interface PruneFrontEnd {
  currentVersion(): Promise<StarRocksVersion>;
  dropSnapshot(
    repository: string,
    label: string,
    options?: { readonly version?: StarRocksVersion },
  ): Promise<void>;
}

/** What a prune needs. */
export interface PruneDeps {
  readonly catalog: Pick<
    CatalogStore,
    'latestGoodSnapshots' | 'listAllSnapshots' | 'findSnapshot' | 'markPruned'
  >;
  readonly locks: Pick<LockStore, 'inspectLocks'>;
  /** The partition manifests of differential snapshots: a pruned snapshot's is deleted with it. */
  readonly manifests?: Pick<ManifestStore, 'deleteManifest'> | undefined;
  /** Runs `work` over one FE session; called only when the method depends on the FE (and something is to go). */
  readonly withFrontEnd: <T>(work: (frontEnd: PruneFrontEnd) => Promise<T>) => Promise<T>;
  /** Deletes snapshot objects in the repository's S3 location; present when `retention.s3` is set. */
  readonly objects?: SnapshotObjectStore | undefined;
  readonly clock: Clock;
  readonly logger: AppLogger;
  /** Asked before each removal: true stops starting new ones (a Lambda near its timeout); the rest is deferred. */
  readonly shouldStop?: (() => boolean) | undefined;
}

/** What to prune. */
export interface PruneRequest {
  readonly cluster: Pick<ClusterSettings, 'name' | 'retention'>;
  /** Only these databases; default: every database the catalog holds a verified snapshot of. */
  readonly databases?: readonly string[] | undefined;
  /** False (dry run): decide and report, change nothing. */
  readonly apply: boolean;
}

/** What happened to one snapshot the plan lets go. */
export interface RemovalOutcome {
  readonly database: string;
  readonly label: string;
  readonly repository: string;
  /**
   * `planned` (dry run), `removed`, `already-gone` (StarRocks or S3 had nothing left; marked pruned),
   * `skipped` (pinned or put in use since the plan, or no method), `failed`, `deferred` (out of time).
   */
  readonly outcome: 'planned' | 'removed' | 'already-gone' | 'skipped' | 'failed' | 'deferred';
  readonly detail: string | null;
  /** Objects deleted (S3 method). */
  readonly objectsDeleted?: number;
}

/** The result of one prune. */
export interface PruneReport {
  readonly cluster: string;
  readonly apply: boolean;
  /** Null when retention is not configured or nothing was to be removed (the FE was not asked). */
  readonly method: RemovalMethod | null;
  /** Every database examined, with every decision (newest first). */
  readonly databases: ReadonlyArray<{
    readonly database: string;
    readonly decisions: readonly SnapshotDecision[];
  }>;
  readonly removals: readonly RemovalOutcome[];
  readonly counts: {
    readonly kept: number;
    readonly toRemove: number;
    readonly removed: number;
    readonly failed: number;
    readonly skipped: number;
    readonly deferred: number;
  };
  /** Set when the configured removal cannot work on this cluster (and something was to be removed). */
  readonly problem: string | null;
}

/** Plans retention for the cluster and, with `apply`, removes what the plan lets go. */
export async function pruneCluster(request: PruneRequest, deps: PruneDeps): Promise<PruneReport> {
  const { cluster } = request;
  const retention = cluster.retention;
  if (retention === undefined) return report(request, null, [], [], null);

  const now = deps.clock.now();
  const databases =
    request.databases ?? (await deps.catalog.latestGoodSnapshots(cluster.name)).map((item) => item.database);
  const inUse = await liveLabels(cluster.name, deps);
  const plans: Array<{ database: string; decisions: SnapshotDecision[] }> = [];
  /** Each differential's full, by label: a lock on a differential also holds its full (a chain restore reads both). */
  const baseOf = new Map<string, string>();
  for (const database of [...new Set(databases)].sort()) {
    const attempts = await deps.catalog.listAllSnapshots({ cluster: cluster.name, database });
    const chain = chainSnapshotsOf(attempts);
    for (const snapshot of chain)
      if (snapshot.baseLabel !== null) baseOf.set(snapshot.label, snapshot.baseLabel);
    const decisions = planRetention({ attempts, policy: retention, now, inUse });
    plans.push({ database, decisions: keepChainBases(decisions, chain) });
  }
  const candidates = plans.flatMap((plan) =>
    plan.decisions.filter((decision) => decision.action === 'remove'),
  );
  if (candidates.length === 0) return report(request, null, plans, [], null);

  const act = async (frontEnd: PruneFrontEnd | null, version: StarRocksVersion | null) => {
    const method = chooseRemovalMethod(
      retention,
      version === null ? null : { version: formatVersion(version), capabilities: capabilitiesOf(version) },
    );
    if (!request.apply) {
      return report(
        request,
        method,
        plans,
        candidates.map((c) => removal(c, 'planned', null)),
        null,
      );
    }
    if (method.kind === 'unavailable' || method.kind === 'unknown') {
      return report(
        request,
        method,
        plans,
        candidates.map((c) => removal(c, 'skipped', method.reason)),
        method.reason,
      );
    }
    const removals: RemovalOutcome[] = [];
    for (const candidate of candidates) {
      if (deps.shouldStop?.() === true) {
        removals.push(removal(candidate, 'deferred', 'out of time; the next prune goes on'));
        continue;
      }
      removals.push(await removeOne(candidate, method, { frontEnd, version }, cluster.name, baseOf, deps));
    }
    return report(request, method, plans, removals, null);
  };

  if (!methodNeedsVersion(retention.remove)) return act(null, null);
  try {
    return await deps.withFrontEnd(async (frontEnd) => act(frontEnd, await frontEnd.currentVersion()));
  } catch (error) {
    if (request.apply) throw error;
    // A dry run still shows the plan when the FE cannot say which method applies.
    const reason = `could not ask the FE for its version: ${error instanceof Error ? error.message : String(error)}`;
    return report(
      request,
      { kind: 'unknown', reason },
      plans,
      candidates.map((c) => removal(c, 'planned', null)),
      null,
    );
  }
}

async function removeOne(
  candidate: SnapshotDecision,
  method: Exclude<RemovalMethod, { kind: 'unavailable' | 'unknown' }>,
  fe: { frontEnd: PruneFrontEnd | null; version: StarRocksVersion | null },
  cluster: string,
  baseOf: ReadonlyMap<string, string>,
  deps: PruneDeps,
): Promise<RemovalOutcome> {
  const ref = { cluster, database: candidate.database, label: candidate.label };
  try {
    // The plan is minutes old at most, but a pin or a restore may have arrived since: ask again, per snapshot.
    const items = await deps.catalog.findSnapshot(ref);
    if (items.length === 0) return removal(candidate, 'skipped', 'the catalog no longer holds it');
    if (items.some((item) => item.pinned === true))
      return removal(candidate, 'skipped', 'pinned since the plan');
    if (items.some((item) => item.prunedAt !== undefined))
      return removal(candidate, 'already-gone', 'already pruned');
    const live = await liveLabels(cluster, deps);
    if (live.has(candidate.label)) {
      return removal(candidate, 'skipped', 'a restore or drill started using it');
    }
    // A drill or restore of a differential reads its full too, but its lock names the differential only.
    if ([...live].some((label) => baseOf.get(label) === candidate.label)) {
      return removal(candidate, 'skipped', 'a restore or drill of a differential of it started');
    }

    let outcome: RemovalOutcome;
    switch (method.kind) {
      case 'drop-snapshot': {
        if (fe.frontEnd === null) throw new Error('DROP SNAPSHOT needs an FE session');
        try {
          await fe.frontEnd.dropSnapshot(
            candidate.repository,
            candidate.label,
            fe.version === null ? {} : { version: fe.version },
          );
          outcome = removal(candidate, 'removed', 'DROP SNAPSHOT');
        } catch (error) {
          if (!(error instanceof SnapshotNotFoundError)) throw error;
          outcome = removal(candidate, 'already-gone', 'the repository no longer holds it');
        }
        break;
      }
      case 's3': {
        if (deps.objects === undefined) throw new Error('S3 removal needs retention.s3');
        const { deleted } = await deps.objects.deleteSnapshot({
          repository: candidate.repository,
          label: candidate.label,
        });
        outcome =
          deleted === 0
            ? removal(candidate, 'already-gone', 'no objects under its prefix', 0)
            : removal(candidate, 'removed', `${deleted} objects deleted`, deleted);
        break;
      }
      case 'catalog-only':
        outcome = removal(candidate, 'removed', 'marked in the catalog only (remove: none)');
        break;
    }
    // Nothing builds on a removed snapshot (not a base, not a point): its manifest only costs storage. Deleted before
    // the mark, so a deletion that fails is tried again by the next prune (a marked snapshot is never looked at again).
    await deps.manifests?.deleteManifest(ref);
    await deps.catalog.markPruned(ref);
    deps.logger.info('snapshot pruned', {
      cluster,
      database: candidate.database,
      label: candidate.label,
      outcome: outcome.outcome,
      method: method.kind,
    });
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    deps.logger.warn('snapshot not pruned', {
      cluster,
      database: candidate.database,
      label: candidate.label,
      error: message,
    });
    return removal(candidate, 'failed', message);
  }
}

/** Labels held by a live (unexpired) lock of the cluster: a restore or drill reading that snapshot. */
async function liveLabels(cluster: string, deps: Pick<PruneDeps, 'locks'>): Promise<Set<string>> {
  const { locks } = await deps.locks.inspectLocks(cluster);
  return new Set(
    locks
      .filter((lock) => lock.holder !== null && !lock.expired && lock.label !== null)
      .map((lock) => lock.label as string),
  );
}

function removal(
  candidate: SnapshotDecision,
  outcome: RemovalOutcome['outcome'],
  detail: string | null,
  objectsDeleted?: number,
): RemovalOutcome {
  return {
    database: candidate.database,
    label: candidate.label,
    repository: candidate.repository,
    outcome,
    detail,
    ...(objectsDeleted === undefined ? {} : { objectsDeleted }),
  };
}

function report(
  request: PruneRequest,
  method: RemovalMethod | null,
  databases: PruneReport['databases'],
  removals: readonly RemovalOutcome[],
  problem: string | null,
): PruneReport {
  const count = (outcome: RemovalOutcome['outcome']) => removals.filter((r) => r.outcome === outcome).length;
  const decisions = databases.flatMap((plan) => plan.decisions);
  return {
    cluster: request.cluster.name,
    apply: request.apply,
    method,
    databases,
    removals,
    counts: {
      kept: decisions.filter((d) => d.action === 'keep').length,
      toRemove: decisions.filter((d) => d.action === 'remove').length,
      removed: count('removed') + count('already-gone'),
      failed: count('failed'),
      skipped: count('skipped'),
      deferred: count('deferred'),
    },
    problem,
  };
}
