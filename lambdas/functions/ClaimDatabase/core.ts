import type { Claim, PlanStore } from '#domain/run-plan/plan-store.ts';

/** What ClaimDatabase needs. */
export interface ClaimDatabaseDeps {
  readonly plans: Pick<PlanStore, 'claimNext'>;
}

/**
 * A lane takes the next database of its run's queue (longest expected first). Retried after a lost answer, the same
 * lane and iteration get the same database back, so no database is skipped or backed up twice by the queue.
 */
export function claimDatabase(
  input: { readonly runId: string; readonly lane: number; readonly iteration: number },
  deps: ClaimDatabaseDeps,
): Promise<Claim> {
  return deps.plans.claimNext(input);
}
