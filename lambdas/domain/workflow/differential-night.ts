/**
 * One run of a differential schedule (issue 20, EXPERIMENTAL until a real FE has confirmed the chain restore): which
 * full the run's snapshot is taken against, read from the catalog as it is now, and what the run backs up. The
 * chain rules are #domain/differential's; this module only gathers what they need (the database's recent attempts
 * and the manifests of the chain's snapshots) and turns their answer into a night.
 */
import { chainSnapshotsOf } from '#domain/catalog/chain-snapshots.ts';
import type { CatalogStore } from '#domain/catalog/index.ts';
import type { ManifestStore } from '#domain/catalog/manifest-store.ts';
import type { BackupAttempt } from '#domain/catalog/schema.ts';
import { type ChainSnapshot, unrestorableReason } from '#domain/differential/chain.ts';
import type { Manifest } from '#domain/differential/manifest.ts';
import type { DifferentialPlan } from '#domain/differential/plan.ts';
import { backupTableRefOf, type NightClient, planNight } from '#domain/differential/take.ts';
import type { BackupScope, SnapshotObjectKind } from '#domain/starrocks/backup-scope.ts';
import type { BackupTableRef } from '#domain/starrocks/statements.ts';
import type { JobChain } from './workflow-state.ts';

const DAY_MS = 86_400_000;
/**
 * A full is due when the chain's full is at least `fullEvery` days minus this older than the slot: a slot that moves
 * by an hour across a daylight-saving change still takes its weekly full on the same night.
 */
const FULL_DUE_TOLERANCE_MS = 3_600_000;
/** Attempts read per catalog page while looking for the chain. */
const PAGE_SIZE = 100;

/** Why a differential schedule's run takes a full. */
export type FullReason =
  /** The catalog holds no restorable full of the database with a manifest (the first run of the schedule). */
  | 'no-full'
  /** The chain's full is `fullEvery` days old. */
  | 'full-due'
  /** The chain's full has no manifest in the catalog (it was taken by a full-mode schedule or before 20). */
  | 'base-manifest-missing'
  /**
   * Only drops since the full: StarRocks refuses an empty ON list and a BACKUP without one is a full anyway; GUESS
   * (the issue leaves it open) that starting a new chain is better than a snapshot that records drops alone.
   */
  | 'drops-only';

/** What one run of a differential schedule does. */
export type DifferentialNight =
  | { readonly kind: 'full'; readonly why: FullReason; readonly manifest: Manifest }
  | {
      readonly kind: 'differential';
      readonly baseLabel: string;
      readonly manifest: Manifest;
      readonly plan: DifferentialPlan;
      /** The BACKUP's ON list (never empty). */
      readonly tables: readonly BackupTableRef[];
    }
  /** Nothing changed since `sinceLabel` (the chain's newest snapshot): SKIPPED `unchanged`, no BACKUP. */
  | { readonly kind: 'unchanged'; readonly sinceLabel: string };

/** The chain a run builds on: its full and the chain's newest restorable snapshot (the full itself, or later). */
export interface ChainBase {
  readonly baseLabel: string;
  readonly previousLabel: string;
}

/**
 * The chain a run of `scheduledTime` builds on, from the database's attempts (any order, any state): the newest
 * full a differential schedule took (`mode: full` on its item) that is a restorable point (verified, not pruned,
 * not lost) and younger than `fullEveryDays` before the slot,
 * and the newest restorable snapshot taken against it. Null when a full is due; `why` says which case.
 */
export function chooseChainBase(
  attempts: readonly BackupAttempt[],
  request: { readonly scheduledTime: string; readonly fullEveryDays: number },
): { readonly base: ChainBase } | { readonly base: null; readonly why: 'no-full' | 'full-due' } {
  const chain = chainSnapshotsOf(attempts);
  const slotOf = new Map<string, string>();
  for (const attempt of attempts) {
    const known = slotOf.get(attempt.label);
    if (known === undefined || attempt.scheduledTime > known)
      slotOf.set(attempt.label, attempt.scheduledTime);
  }
  const newestFirst = (a: ChainSnapshot, b: ChainSnapshot) =>
    (slotOf.get(b.label) ?? '').localeCompare(slotOf.get(a.label) ?? '');
  const restorable = chain
    .filter((snapshot) => unrestorableReason(snapshot, chain) === null)
    .sort(newestFirst);
  // Only a full a differential schedule took (its item says `mode: full`) has a manifest: a full schedule's snapshot
  // beside it (no mode) would otherwise be chosen and turn every night into a full (`base-manifest-missing`).
  const takenAsChainFull = new Set(attempts.filter((item) => item.mode === 'full').map((item) => item.label));
  const fulls = restorable.filter(
    (snapshot) => snapshot.kind === 'full' && takenAsChainFull.has(snapshot.label),
  );
  const cutoff = Date.parse(request.scheduledTime) - request.fullEveryDays * DAY_MS + FULL_DUE_TOLERANCE_MS;
  const base = fulls.find((full) => Date.parse(slotOf.get(full.label) ?? '') > cutoff);
  if (base === undefined) return { base: null, why: fulls.length === 0 ? 'no-full' : 'full-due' };
  const previous = restorable.find(
    (snapshot) => snapshot.label === base.label || snapshot.baseLabel === base.label,
  ) as ChainSnapshot;
  return { base: { baseLabel: base.label, previousLabel: previous.label } };
}

/** What deciding a night reads. */
export interface DifferentialNightDeps {
  readonly client: NightClient;
  readonly catalog: Pick<CatalogStore, 'listSnapshots'>;
  readonly manifests: Pick<ManifestStore, 'readManifest'>;
}

/**
 * Decides one run of a differential schedule for `database`: reads the database's attempts back to `fullEveryDays`
 * before the slot (all a chain can reach), the manifests of the chain's full and newest snapshot, and the database's
 * manifest now; then a full, a differential, or nothing (unchanged since the newest snapshot).
 */
export async function decideDifferentialNight(
  request: {
    readonly cluster: string;
    readonly database: string;
    readonly scheduledTime: string;
    readonly fullEveryDays: number;
    /** What a full of the database holds now (the version's backup scope): the manifest records only that. */
    readonly scope: BackupScope;
  },
  deps: DifferentialNightDeps,
): Promise<DifferentialNight> {
  const attempts = await recentAttempts(request, deps.catalog);
  const chosen = chooseChainBase(attempts, request);
  const ref = (label: string) => ({ cluster: request.cluster, database: request.database, label });
  const baseManifest =
    chosen.base === null ? undefined : await deps.manifests.readManifest(ref(chosen.base.baseLabel));
  const select = (manifest: Manifest) => manifestWithin(manifest, request.scope);
  if (chosen.base === null || baseManifest === undefined) {
    const { manifest } = await planNight(deps.client, request.database, null, { select });
    return { kind: 'full', why: chosen.base === null ? chosen.why : 'base-manifest-missing', manifest };
  }
  const { baseLabel, previousLabel } = chosen.base;
  const previous =
    previousLabel === baseLabel ? undefined : await deps.manifests.readManifest(ref(previousLabel));
  const night = await planNight(deps.client, request.database, baseManifest, {
    select,
    ...(previous === undefined ? {} : { previous }),
  });
  const { manifest, plan } = night as typeof night & { plan: DifferentialPlan };
  if (night.unchanged) return { kind: 'unchanged', sinceLabel: previousLabel };
  if (night.backupRequest === null) return { kind: 'full', why: 'drops-only', manifest };
  return { kind: 'differential', baseLabel, manifest, plan, tables: plan.backup.map(backupTableRefOf) };
}

/**
 * The database's attempts from the newest down to `fullEveryDays` (plus a day) before the slot: the oldest full a
 * run may build on, and every differential taken against it, lie in that window.
 */
async function recentAttempts(
  request: {
    readonly cluster: string;
    readonly database: string;
    readonly scheduledTime: string;
    readonly fullEveryDays: number;
  },
  catalog: Pick<CatalogStore, 'listSnapshots'>,
): Promise<BackupAttempt[]> {
  const oldest = new Date(
    Date.parse(request.scheduledTime) - (request.fullEveryDays + 1) * DAY_MS,
  ).toISOString();
  const attempts: BackupAttempt[] = [];
  let cursor: string | null = null;
  do {
    const page = await catalog.listSnapshots({
      cluster: request.cluster,
      database: request.database,
      limit: PAGE_SIZE,
      cursor,
    });
    attempts.push(...page.items.filter((item) => item.scheduledTime >= oldest));
    const reachedOldest = page.items.some((item) => item.scheduledTime < oldest);
    cursor = reachedOldest ? null : page.nextCursor;
  } while (cursor !== null);
  return attempts;
}

/**
 * A full backup scope narrowed to a differential's ON list: only the objects the version can back up (those of
 * `scope`), with their partitions. Functions stay with the full (a chain restore takes them from it). Null when
 * none is left (only objects this version refuses changed).
 */
export function differentialScope(scope: BackupScope, tables: readonly BackupTableRef[]): BackupScope | null {
  const allowed = scope.on === undefined ? null : new Set(scope.on.map((ref) => ref.name));
  const on = tables.filter((ref) => allowed === null || allowed.has(ref.name));
  if (on.length === 0) return null;
  const objects = [...new Set(on.map((ref) => ref.type ?? 'TABLE'))] as SnapshotObjectKind[];
  return { on, allFunctions: false, objects, omitted: scope.omitted };
}

/**
 * The part of `manifest` a full of `scope` holds: every object when the BACKUP names the whole database, else the
 * objects of its ON list. A chain restore restores the full's objects by name from its manifest, so an object the
 * version refused (a view before 3.4, a list-partitioned table on older patches) must not be in it.
 */
export function manifestWithin(manifest: Manifest, scope: BackupScope): Manifest {
  if (scope.on === undefined) return manifest;
  const names = new Set(scope.on.map((ref) => ref.name));
  return {
    ...manifest,
    tables: manifest.tables.filter((table) => names.has(table.name)),
    others: manifest.others.filter((other) => names.has(other.name)),
  };
}

/** `$.job.chain` for a night that sends a BACKUP. */
export function jobChainOf(
  night: Exclude<DifferentialNight, { kind: 'unchanged' }>,
  scope: BackupScope,
): JobChain {
  if (night.kind === 'full') {
    return {
      mode: 'full',
      why: night.why,
      objects: night.manifest.tables.length + night.manifest.others.length,
      partitions: partitionCount(night.manifest.tables),
    };
  }
  const sent = new Set((scope.on ?? []).map((ref) => ref.name));
  const tablesByName = new Map(night.manifest.tables.map((table) => [table.name, table]));
  let partitions = 0;
  for (const ref of scope.on ?? []) {
    partitions += ref.partitions?.length ?? tablesByName.get(ref.name)?.partitions.length ?? 0;
  }
  return { mode: 'differential', baseLabel: night.baseLabel, objects: sent.size, partitions };
}

function partitionCount(tables: Manifest['tables']): number {
  return tables.reduce((sum, table) => sum + table.partitions.length, 0);
}

/**
 * `$.job.chain` for a job or snapshot of this slot adopted rather than submitted now (a retried SubmitBackup after a
 * lost answer, an heir of an ended holder): what the submitter recorded in the label's manifest head before it sent
 * the BACKUP. Undefined for a label without one: not taken by a differential schedule (recorded without a mode, a
 * full no chain builds on).
 */
export async function adoptedJobChain(
  ref: { readonly cluster: string; readonly database: string; readonly label: string },
  deps: { readonly manifests: Pick<ManifestStore, 'readChain'> },
): Promise<JobChain | undefined> {
  const chain = await deps.manifests.readChain(ref);
  if (chain === undefined) return undefined;
  return {
    mode: chain.mode,
    ...(chain.baseLabel === undefined ? {} : { baseLabel: chain.baseLabel }),
    why: 'adopted',
    objects: 0,
    partitions: 0,
  };
}
