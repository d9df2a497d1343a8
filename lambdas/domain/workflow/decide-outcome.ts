import { type BackupDatabaseState, causeMessage, type Outcome } from './workflow-state.ts';

/**
 * The terminal outcome of one BackupDatabase execution, from what the state machine gathered:
 * an explicit `$.outcome` (SKIPPED, StarRocks' CANCELLED, our deadline) wins; else a caught error means
 * FAILED; else a problem ResolveDatabases found in the database's plan entry (FAILED or SKIPPED with its reason);
 * else a verified snapshot means FINISHED (`adopted` when this slot had already produced it, `partial: …` when
 * StarRocks refused objects that hold data and the rest was backed up without them).
 */
export function decideOutcome(state: BackupDatabaseState): {
  state: Outcome['state'];
  reason: string | null;
} {
  if (state.outcome) {
    const reason = state.outcome.reason ?? (state.outcome.state === 'SKIPPED' ? skipReason(state) : null);
    return { state: state.outcome.state, reason };
  }
  if (state.error) return { state: 'FAILED', reason: causeMessage(state.error) };
  const problem = state.planned?.problem;
  if (problem) return { state: problem.state, reason: problem.reason };
  if (state.verification?.verified) {
    if (state.job && state.job.origin !== 'submitted') return { state: 'FINISHED', reason: 'adopted' };
    return { state: 'FINISHED', reason: partialReason(state) };
  }
  return {
    state: 'FAILED',
    reason: 'the workflow reached RecordResult without an outcome (a definition bug)',
  };
}

/** `partial: left out table t (list-partitioned), …` when refused objects that hold data were left out. */
function partialReason(state: BackupDatabaseState): string | null {
  const refused = (state.job?.scope?.omitted ?? []).filter(
    (object) =>
      (object.why === 'list-partitioned' || object.why === 'refused') &&
      (object.kind === 'OLAP' || object.kind === 'MATERIALIZED_VIEW'),
  );
  if (refused.length === 0) return null;
  const names = refused.map((object) => `${object.name} (${object.why})`).join(', ');
  const total = state.job?.scope?.omittedTotal ?? refused.length;
  const more = total > (state.job?.scope?.omitted.length ?? 0) ? ' and more' : '';
  return `partial: StarRocks refused ${names}${more}; the rest of the database was backed up`;
}

/** Why a database was skipped, in the outcome vocabulary (`empty`, `lock-held by <holder>`, …). */
function skipReason(state: BackupDatabaseState): string {
  if (!state.error) return 'skipped';
  switch (state.error.Error) {
    case 'EmptyDatabaseError':
      return 'empty';
    case 'UnchangedSinceSnapshotError':
      return 'unchanged';
    default:
      return causeMessage(state.error);
  }
}
