/**
 * Retention with differential chains: never let a full go that a kept differential needs. pruneCluster applies it
 * to planRetention's decisions of every database (a catalog of fulls only comes out unchanged).
 */
// The chain rules alone: the differential index would bring its zod manifest schemas into the prune's bundle.
import { type ChainSnapshot, chainKeep } from '#domain/differential/chain.ts';
import type { SnapshotDecision } from './retention-policy.ts';

/** Why a full stays although the retention policy alone would let it go (or also stays). */
export const CHAIN_BASE_REASON = 'chain-base';

/** A decision after the chain rule: the policy's reasons, plus `chain-base` where a kept differential needs the full. */
export type ChainedDecision =
  | Exclude<SnapshotDecision, { action: 'keep' }>
  | (Omit<Extract<SnapshotDecision, { action: 'keep' }>, 'reasons'> & {
      readonly reasons: readonly (
        | Extract<SnapshotDecision, { action: 'keep' }>['reasons'][number]
        | 'chain-base'
      )[];
    });

/**
 * `decisions` (planRetention's, for ONE database) with every full that a kept differential needs kept:
 * - a `remove` decision whose label chainKeep names becomes `keep` with the reason `chain-base` (its other facts
 *   unchanged);
 * - a `keep` decision whose label chainKeep names gets `chain-base` added to its reasons (so the report says why
 *   it would stay once its own reasons lapse);
 * - `ignore` decisions are left alone (a pruned full is gone; an unverified one is never removed).
 *
 * "Kept" differentials are the `keep` decisions (pinned, in use, or kept by the policy); an unverified differential
 * (`ignore`/`not-verified`) holds no full, so a failed differential cannot keep a full forever. `chain` is the
 * database's snapshots as chainSnapshotsOf (catalog) makes them; a label of `decisions` missing from `chain` is
 * treated as a full and holds nothing. Order is kept.
 */
export function keepChainBases(
  decisions: readonly SnapshotDecision[],
  chain: readonly ChainSnapshot[],
): ChainedDecision[] {
  const byLabel = new Map(chain.map((snapshot) => [snapshot.label, snapshot]));
  const kept = decisions
    .filter((decision) => decision.action === 'keep')
    .flatMap((decision) => {
      const snapshot = byLabel.get(decision.label);
      return snapshot === undefined ? [] : [snapshot];
    });
  const needed = chainKeep(kept, chain);
  return decisions.map((decision): ChainedDecision => {
    if (!needed.has(decision.label)) return decision;
    if (decision.action === 'remove') return { ...decision, action: 'keep', reasons: [CHAIN_BASE_REASON] };
    if (decision.action === 'keep') return { ...decision, reasons: [...decision.reasons, CHAIN_BASE_REASON] };
    return decision;
  });
}
