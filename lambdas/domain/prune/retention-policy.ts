/**
 * Which catalog snapshots retention removes: a pure function of the database's catalog items, the policy and
 * the time. Nothing here talks to StarRocks, S3 or DynamoDB.
 */
import { type BackupAttempt, isGoodSnapshot } from '#domain/catalog/index.ts';
import type { ClusterSettings } from '#domain/config/index.ts';

/** The retention settings of a cluster (defaults applied). */
export type RetentionSettings = NonNullable<ClusterSettings['retention']>;

/** The policy fields the plan reads. */
export type RetentionPolicy = Pick<
  RetentionSettings,
  'keepLast' | 'maxAgeDays' | 'daily' | 'weekly' | 'monthly'
>;

/** Why a verified snapshot stays (a snapshot may have several reasons). */
export type KeepReason =
  | 'pinned'
  | 'in-use'
  | 'keep-last'
  | 'only-verified'
  | 'daily'
  | 'weekly'
  | 'monthly'
  | 'within-max-age'
  /** The base full of a kept differential (prune/chain-retention.ts): a chain is never left without its full. */
  | 'chain-base';

/** Why a snapshot goes. */
export type RemoveReason = 'older-than-max-age' | 'beyond-keep-last';

/** Why a label is outside retention altogether (never removed, never counted). */
export type IgnoreReason = 'not-verified' | 'already-pruned';

/** The decision about one snapshot (one label of one database). */
export type SnapshotDecision = {
  readonly database: string;
  readonly label: string;
  readonly repository: string;
  /** The slot of the snapshot's newest attempt, ISO UTC. */
  readonly scheduledTime: string;
  readonly verified: boolean;
  readonly pinned: boolean;
} & (
  | { readonly action: 'keep'; readonly reasons: readonly KeepReason[] }
  | { readonly action: 'remove'; readonly reasons: readonly RemoveReason[] }
  | { readonly action: 'ignore'; readonly reasons: readonly IgnoreReason[] }
);

/** What {@link planRetention} decides from. */
export interface RetentionInput {
  /** Every catalog attempt of ONE database (any order, any state). */
  readonly attempts: readonly BackupAttempt[];
  readonly policy: RetentionPolicy;
  /** Epoch ms. */
  readonly now: number;
  /** Labels a restore or drill holds a live lock for (cluster-wide: a restore may target another database). */
  readonly inUse: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;

/**
 * Decides, for every label the catalog holds for the database, whether retention keeps, removes or ignores it.
 * Guarantees (tested as properties): only a verified, not yet pruned label is ever removed; never a pinned one,
 * one in use, one of the newest `keepLast` verified ones, the only verified one, the newest of each of the last
 * `daily` UTC days / `weekly` ISO weeks / `monthly` UTC months, or (with `maxAgeDays`) one younger than that.
 * Without `maxAgeDays` every verified snapshot no rule keeps is removed. Newest first.
 */
export function planRetention(input: RetentionInput): SnapshotDecision[] {
  const snapshots = groupByLabel(input.attempts);
  const decisions: SnapshotDecision[] = [];
  const verified: SnapshotFacts[] = [];
  for (const snapshot of snapshots) {
    if (snapshot.prunedAt !== null) {
      decisions.push({ ...publicFacts(snapshot), action: 'ignore', reasons: ['already-pruned'] });
    } else if (!snapshot.verified) {
      decisions.push({ ...publicFacts(snapshot), action: 'ignore', reasons: ['not-verified'] });
    } else {
      verified.push(snapshot);
    }
  }

  const { policy, now } = input;
  const tierKeeps = new Map<string, KeepReason[]>();
  const tiers: Array<[KeepReason, number | undefined, (ms: number) => string]> = [
    ['daily', policy.daily, dayKey],
    ['weekly', policy.weekly, isoWeekKey],
    ['monthly', policy.monthly, monthKey],
  ];
  for (const [reason, count, keyOf] of tiers) {
    if (count === undefined || count === 0) continue;
    for (const label of newestPerPeriod(verified, lastPeriods(now, count, keyOf), keyOf)) {
      tierKeeps.set(label, [...(tierKeeps.get(label) ?? []), reason]);
    }
  }
  const youngestRemovable =
    policy.maxAgeDays === undefined ? Number.POSITIVE_INFINITY : now - policy.maxAgeDays * DAY_MS;

  verified.forEach((snapshot, index) => {
    const reasons: KeepReason[] = [];
    if (snapshot.pinned) reasons.push('pinned');
    if (input.inUse.has(snapshot.label)) reasons.push('in-use');
    if (index < policy.keepLast) reasons.push('keep-last');
    if (verified.length === 1) reasons.push('only-verified');
    reasons.push(...(tierKeeps.get(snapshot.label) ?? []));
    if (snapshot.timeMs > youngestRemovable) reasons.push('within-max-age');
    decisions.push(
      reasons.length > 0
        ? { ...publicFacts(snapshot), action: 'keep', reasons }
        : {
            ...publicFacts(snapshot),
            action: 'remove',
            reasons: [policy.maxAgeDays === undefined ? 'beyond-keep-last' : 'older-than-max-age'],
          },
    );
  });
  return decisions.sort(newestFirst);
}

interface SnapshotFacts {
  readonly database: string;
  readonly label: string;
  readonly repository: string;
  readonly scheduledTime: string;
  readonly timeMs: number;
  readonly verified: boolean;
  readonly pinned: boolean;
  readonly prunedAt: string | null;
}

function publicFacts(snapshot: SnapshotFacts) {
  const { database, label, repository, scheduledTime, verified, pinned } = snapshot;
  return { database, label, repository, scheduledTime, verified, pinned };
}

/**
 * One entry per label. A label may have several attempt items (a restarted child adopting the same label); it is
 * verified when any attempt is good, pinned when any is pinned, pruned when any is marked pruned, and dated by its
 * newest good attempt (else its newest attempt).
 */
function groupByLabel(attempts: readonly BackupAttempt[]): SnapshotFacts[] {
  const byLabel = new Map<string, BackupAttempt[]>();
  for (const attempt of attempts)
    byLabel.set(attempt.label, [...(byLabel.get(attempt.label) ?? []), attempt]);
  const snapshots: SnapshotFacts[] = [];
  for (const [label, items] of byLabel) {
    const good = items.filter(isGoodSnapshot);
    const dating = (good.length > 0 ? good : items).reduce((a, b) =>
      b.scheduledTime > a.scheduledTime ? b : a,
    );
    snapshots.push({
      database: dating.database,
      label,
      repository: dating.repository,
      scheduledTime: dating.scheduledTime,
      timeMs: Date.parse(dating.scheduledTime),
      verified: good.length > 0,
      pinned: items.some((item) => item.pinned === true),
      prunedAt: items.find((item) => item.prunedAt !== undefined)?.prunedAt ?? null,
    });
  }
  return snapshots.sort(newestFirst);
}

function newestFirst(
  a: { scheduledTime: string; label: string },
  b: { scheduledTime: string; label: string },
) {
  if (a.scheduledTime !== b.scheduledTime) return a.scheduledTime < b.scheduledTime ? 1 : -1;
  return a.label < b.label ? 1 : a.label > b.label ? -1 : 0;
}

/** The keys of the `count` periods ending with the one `now` falls in. */
function lastPeriods(now: number, count: number, keyOf: (ms: number) => string): Set<string> {
  const keys = new Set<string>();
  // Walk back one day at a time: every period (day, ISO week, month) contains at least one day start.
  for (let ms = now; keys.size < count; ms -= DAY_MS) keys.add(keyOf(ms));
  return keys;
}

/** The label of the newest snapshot in each of `periods` (snapshots are newest first). */
function newestPerPeriod(
  snapshots: readonly SnapshotFacts[],
  periods: ReadonlySet<string>,
  keyOf: (ms: number) => string,
): string[] {
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const snapshot of snapshots) {
    const key = keyOf(snapshot.timeMs);
    if (!periods.has(key) || seen.has(key)) continue;
    seen.add(key);
    labels.push(snapshot.label);
  }
  return labels;
}

/** `2026-11-24` (UTC). */
export function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `2026-11` (UTC). */
export function monthKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** `2026-W48`: ISO 8601 week (Monday first; week 1 holds the year's first Thursday), UTC. */
export function isoWeekKey(ms: number): string {
  const date = new Date(ms);
  const day = (date.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
