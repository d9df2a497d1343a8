import { type BackupDatabaseState, causeMessage, type Outcome } from '../shared/workflow-state.ts';

/**
 * The terminal outcome of one BackupDatabase execution, from what the state machine gathered:
 * an explicit `$.outcome` (SKIPPED, StarRocks' CANCELLED, our deadline) wins; else a caught error means
 * FAILED; else a verified snapshot means FINISHED (`adopted` when this slot had already produced it).
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
  if (state.verification?.verified) {
    return { state: 'FINISHED', reason: state.job && state.job.origin !== 'submitted' ? 'adopted' : null };
  }
  return {
    state: 'FAILED',
    reason: 'the workflow reached RecordResult without an outcome (a definition bug)',
  };
}

/** Why a database was skipped, in the outcome vocabulary (`empty`, `lock-held by <holder>`, …). */
function skipReason(state: BackupDatabaseState): string {
  if (!state.error) return 'skipped';
  switch (state.error.Error) {
    case 'EmptyDatabaseError':
      return 'empty';
    default:
      return causeMessage(state.error);
  }
}
