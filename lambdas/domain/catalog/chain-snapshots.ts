/**
 * Catalog attempts as the chain rules of differential backups see them (ChainSnapshot, #domain/differential), so
 * retention and restore can ask isRestorablePoint / chainKeep about what the catalog holds. Pure.
 */
import type { ChainSnapshot } from '#domain/differential/chain.ts';
import { type BackupAttempt, backupModeOf, isGoodSnapshot } from './schema.ts';

/**
 * One ChainSnapshot per label of `attempts` (the attempt items of ONE database, any order, any state), in order of
 * first appearance. A label may have several attempt items (a restarted child adopting the same label); it is
 * grouped the way retention groups it (retention-policy.ts), so the chain rules and the retention plan agree:
 * - `verified`: some attempt is good (FINISHED, verified, not lost);
 * - `lost`: some attempt carries `lostAt` (markLost marks every item of the label);
 * - `prunedAt`: the first `prunedAt` found (markPruned marks every item), else null;
 * - `kind` and `baseLabel`: from the newest good attempt, else the newest attempt (latest scheduled time, then the
 *   highest attempt number). An item without `mode` is a full (written before differentials existed).
 *
 * @throws RangeError when the attempts belong to more than one database (labels are compared within one).
 */
export function chainSnapshotsOf(attempts: readonly BackupAttempt[]): ChainSnapshot[] {
  const databases = new Set(attempts.map((attempt) => `${attempt.cluster}\u0000${attempt.database}`));
  if (databases.size > 1) {
    throw new RangeError(`chainSnapshotsOf: attempts of ${databases.size} databases; pass one database's`);
  }
  const byLabel = new Map<string, BackupAttempt[]>();
  for (const attempt of attempts) {
    const items = byLabel.get(attempt.label);
    if (items === undefined) byLabel.set(attempt.label, [attempt]);
    else items.push(attempt);
  }
  return [...byLabel.entries()].map(([label, items]) => {
    const good = items.filter(isGoodSnapshot);
    const dating = (good.length > 0 ? good : items).reduce((a, b) => (newer(b, a) ? b : a));
    const kind = backupModeOf(dating);
    return {
      kind,
      label,
      baseLabel: kind === 'differential' ? (dating.baseLabel ?? null) : null,
      verified: good.length > 0,
      prunedAt: items.find((item) => item.prunedAt !== undefined)?.prunedAt ?? null,
      lost: items.some((item) => item.lostAt !== undefined),
    };
  });
}

function newer(a: BackupAttempt, b: BackupAttempt): boolean {
  if (a.scheduledTime !== b.scheduledTime) return a.scheduledTime > b.scheduledTime;
  return a.attempt > b.attempt;
}
