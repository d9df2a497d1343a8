import { PruneIncompleteError } from '#domain/errors.ts';
import type { PruneDeps, PruneReport } from '#domain/prune/prune-core.ts';
import { pruneCluster } from '#domain/prune/prune-core.ts';
import type { PruneTaskInput } from '#domain/prune/prune-input.ts';

/** `$.prune`: what the nightly prune did, in a few fields (the details are in the logs and the catalog). */
export interface NightlyPruneResult {
  readonly method: string | null;
  readonly kept: number;
  readonly removed: number;
  readonly deferred: number;
}

/** How many failed snapshots the error message names. */
const FAILURES_NAMED = 5;

/**
 * The prune step after a nightly run: applies the cluster's retention to every database the catalog holds
 * (not only the ones this run backed up, so a database dropped from the selection is still kept to its policy).
 * Without `retention` it does nothing.
 * @throws PruneIncompleteError when a snapshot could not be removed or no removal method is available; the
 * workflow turns it into one alert and the run keeps its own outcome.
 */
export async function nightlyPrune(input: PruneTaskInput, deps: PruneDeps): Promise<NightlyPruneResult> {
  const report = await pruneCluster({ cluster: input.cluster, apply: true }, deps);
  deps.logger.info('prune finished', {
    cluster: report.cluster,
    method: report.method?.kind ?? null,
    ...report.counts,
  });
  const problem = describeProblem(report);
  if (problem !== null) throw new PruneIncompleteError(problem);
  return {
    method: report.method?.kind ?? null,
    kept: report.counts.kept,
    removed: report.counts.removed,
    deferred: report.counts.deferred,
  };
}

/** One paragraph naming what was left and why, or null when the prune did everything it should. */
export function describeProblem(report: PruneReport): string | null {
  if (report.problem !== null) {
    return `retention of cluster ${report.cluster} cannot remove snapshots: ${report.problem} (${report.counts.toRemove} due).`;
  }
  const failed = report.removals.filter((removal) => removal.outcome === 'failed');
  if (failed.length === 0) return null;
  const named = failed
    .slice(0, FAILURES_NAMED)
    .map((removal) => `${removal.database}/${removal.label}: ${removal.detail ?? 'failed'}`)
    .join('; ');
  const more = failed.length > FAILURES_NAMED ? ` and ${failed.length - FAILURES_NAMED} more` : '';
  return `prune of cluster ${report.cluster} could not remove ${failed.length} snapshot(s): ${named}${more}. ${report.counts.removed} were removed.`;
}
