/**
 * The catalog record of a restore drill, from the RestoreDrill state: what RecordDrill writes, and what
 * `sr-backup drill --stack` shows of a deployed drill from its execution history.
 */
import { DRILL_TABLE_NAMES_MAX, type NewDrillRecord, REASON_MAX_CHARS } from '#domain/catalog/index.ts';
import { type DrillState, type DrillVerdict, scratchGone } from './drill-state.ts';
import { measuredSeconds, type TrackedRestore } from './restore-job.ts';

/** Written for the label, repository or scratch database of a drill that failed before choosing them. */
export const NOT_CHOSEN = '(none)';

/**
 * The drill as the catalog keeps it: the snapshot restored, the scratch database, the measured restore time
 * (submit → the poll that saw FINISHED), what the check found and whether the scratch database is gone; keyed by
 * the execution and its start. `finishedAt` is when the drill was recorded (ISO 8601).
 */
export function drillRecordOf(state: DrillState, verdict: DrillVerdict, finishedAt: string): NewDrillRecord {
  const plan = state.plan;
  const check = state.check;
  const chain = plan?.chain;
  return {
    cluster: state.cluster.name,
    database: plan?.sourceDatabase ?? state.cluster.drill?.database ?? NOT_CHOSEN,
    label: plan?.snapshot.label ?? NOT_CHOSEN,
    ...(plan === undefined ? {} : { pointKind: chain === undefined ? 'full' : 'chain' }),
    ...(chain === undefined ? {} : { fullLabel: chain.full.label }),
    ...(plan?.chainFallback === undefined ? {} : { chainFallback: truncate(plan.chainFallback) }),
    repository: plan?.snapshot.repository ?? state.cluster.repository,
    snapshotTimestamp: plan?.snapshot.snapshotTimestamp ?? null,
    scratchDatabase: plan?.targetDatabase ?? NOT_CHOSEN,
    runId: state.execution.id,
    startedAt: state.execution.startTime ?? finishedAt,
    finishedAt,
    durationSeconds: state.restore ? restoreSeconds(state.restore) : null,
    state: verdict.state,
    reason: verdict.reason,
    tableCount: check?.tableCount ?? null,
    emptyTables: check ? [...check.missingTables, ...check.emptyTables].slice(0, DRILL_TABLE_NAMES_MAX) : [],
    rowCount: check?.rowCount ?? null,
    scratchDropped: scratchGone(state.cleanup),
  };
}

/**
 * The measured restore time: one RESTORE's (submit → the poll that saw FINISHED), or a chain's, from its first
 * RESTORE's submit to the poll that saw its last FINISHED (the drops between them included); null until the whole
 * chain is restored.
 */
function restoreSeconds(job: TrackedRestore): number | null {
  if (job.chain === undefined) return measuredSeconds(job);
  if (job.chain.stepsLeft) return null;
  return measuredSeconds({ submittedAt: job.chain.startedAt, finishedAt: job.finishedAt });
}

function truncate(text: string): string {
  return text.length > REASON_MAX_CHARS ? `${text.slice(0, REASON_MAX_CHARS - 1)}…` : text;
}
