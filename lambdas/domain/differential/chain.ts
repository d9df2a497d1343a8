/**
 * Chains of one database: a full and the differentials taken against it. Each differential depends on its full
 * only (not on the differential before it), so a chain is one full plus any number of differentials.
 *
 * The shape is minimal on purpose: the catalog's BackupAttempt is one item per ATTEMPT (retention groups them by
 * label first) and carries fields a chain rule must not read. chainSnapshotsOf (#domain/catalog) maps a database's
 * attempts to ChainSnapshots, grouping a label as retention does (verified = some attempt is good, lost = lostAt
 * set; kind and base from the attempt items' `mode` / `baseLabel`, absent = full).
 */

export type SnapshotKind = 'full' | 'differential';

/** One snapshot (one label of one database) as the chain rules see it. */
export interface ChainSnapshot {
  readonly kind: SnapshotKind;
  readonly label: string;
  /** The full a differential was taken against; null for a full. */
  readonly baseLabel: string | null;
  /** StarRocks FINISHED it and SHOW SNAPSHOT confirmed it. */
  readonly verified: boolean;
  /** When retention dropped it from the repository (ISO), null while it is there. */
  readonly prunedAt: string | null;
  /** A later look found it gone from the repository. */
  readonly lost: boolean;
}

/** Why a snapshot is not a restorable point (null when it is). */
export type UnrestorableReason =
  | 'not-verified'
  | 'pruned'
  | 'lost'
  | 'no-base'
  | 'base-missing'
  | 'base-not-full'
  | 'base-not-verified'
  | 'base-pruned'
  | 'base-lost';

function ownDefect(snapshot: ChainSnapshot, prefix: '' | 'base-'): UnrestorableReason | null {
  if (snapshot.prunedAt !== null) return `${prefix}pruned`;
  if (snapshot.lost) return `${prefix}lost`;
  if (!snapshot.verified) return `${prefix}not-verified`;
  return null;
}

/**
 * Why `snapshot` cannot be restored, given the snapshots of its database (`chain`, any order, may include
 * `snapshot` itself), or null when it can: a snapshot must be verified and neither pruned nor lost; a
 * differential also needs its base to be a full of `chain` that is verified and neither pruned nor lost.
 */
export function unrestorableReason(
  snapshot: ChainSnapshot,
  chain: readonly ChainSnapshot[],
): UnrestorableReason | null {
  const own = ownDefect(snapshot, '');
  if (own !== null || snapshot.kind === 'full') return own;
  if (snapshot.baseLabel === null) return 'no-base';
  const base = chain.find((candidate) => candidate.label === snapshot.baseLabel);
  if (base === undefined) return 'base-missing';
  if (base.kind !== 'full') return 'base-not-full';
  return ownDefect(base, 'base-');
}

/** Whether `snapshot` is a point a restore can reach (see {@link unrestorableReason}). */
export function isRestorablePoint(snapshot: ChainSnapshot, chain: readonly ChainSnapshot[]): boolean {
  return unrestorableReason(snapshot, chain) === null;
}

/**
 * The labels of the fulls retention must keep because a kept differential needs them: the base of every
 * differential of `kept` that is neither pruned nor lost, when that base is a full of `all` not yet pruned (a
 * pruned one is gone; nothing can keep it). An unverified differential still holds its full: it may be verified
 * later, and pruning the full would make that impossible. Retention adds these to what it keeps, as it does with
 * labels in use.
 */
export function chainKeep(
  kept: readonly ChainSnapshot[],
  all: readonly ChainSnapshot[],
): ReadonlySet<string> {
  const fulls = new Map(
    all.filter((snapshot) => snapshot.kind === 'full').map((snapshot) => [snapshot.label, snapshot]),
  );
  const needed = new Set<string>();
  for (const snapshot of kept) {
    if (snapshot.kind !== 'differential' || snapshot.prunedAt !== null || snapshot.lost) continue;
    if (snapshot.baseLabel === null) continue;
    const base = fulls.get(snapshot.baseLabel);
    if (base !== undefined && base.prunedAt === null) needed.add(base.label);
  }
  return needed;
}
