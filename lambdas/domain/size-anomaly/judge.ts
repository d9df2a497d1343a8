/**
 * Whether a backup's size is far from its database's usual size. Pure.
 *
 * The usual size is the median of the earlier FINISHED backups' sizes (SHOW DATA at backup time), at most
 * {@link historyWindow} of them, newest first: a median ignores one odd night, and a short window follows steady
 * growth. A size below `(100 - dropPercent)%` of it is a drop (how data loss often shows first), above
 * `(100 + growthPercent)%` a growth; with fewer than `minHistory` earlier sizes nothing is judged.
 */

/** The thresholds of a cluster (`clusters[].sizeAnomaly`). */
export interface SizeThresholds {
  readonly enabled: boolean;
  readonly dropPercent: number;
  readonly growthPercent: number;
  readonly minHistory: number;
}

/** The verdict on one size. */
export type SizeVerdict =
  | {
      readonly kind: 'normal' | 'drop' | 'growth';
      readonly median: number;
      readonly ratio: number;
      readonly history: number;
    }
  | {
      readonly kind: 'not-judged';
      readonly why: 'disabled' | 'no-size' | 'too-little-history' | 'empty-history';
    };

/** How many earlier sizes the median looks at. */
export function historyWindow(thresholds: Pick<SizeThresholds, 'minHistory'>): number {
  return Math.max(thresholds.minHistory, 10);
}

/** The median of `values` (not empty). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Judges `sizeBytes` against `history` (earlier sizes, newest first). */
export function judgeSize(
  sizeBytes: number | null,
  history: readonly number[],
  thresholds: SizeThresholds,
): SizeVerdict {
  if (!thresholds.enabled) return { kind: 'not-judged', why: 'disabled' };
  if (sizeBytes === null) return { kind: 'not-judged', why: 'no-size' };
  const window = history.slice(0, historyWindow(thresholds));
  if (window.length < thresholds.minHistory) return { kind: 'not-judged', why: 'too-little-history' };
  const usual = median(window);
  // Nothing to compare with: a database that was empty at every earlier backup has no usual size.
  if (usual <= 0) return { kind: 'not-judged', why: 'empty-history' };
  const ratio = sizeBytes / usual;
  let kind: 'normal' | 'drop' | 'growth' = 'normal';
  if (ratio < (100 - thresholds.dropPercent) / 100) kind = 'drop';
  else if (ratio > (100 + thresholds.growthPercent) / 100) kind = 'growth';
  return { kind, median: usual, ratio, history: window.length };
}
