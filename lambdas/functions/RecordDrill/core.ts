import { type CatalogStore, DRILL_TABLE_NAMES_MAX, type NewDrillRecord } from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import type { DrillFigures } from '#domain/metrics.ts';
import {
  type DrillState,
  type DrillVerdict,
  decideDrillOutcome,
  scratchGone,
} from '#domain/restore/drill-state.ts';
import { measuredSeconds } from '#domain/restore/restore-job.ts';

/** What RecordDrill needs. */
export interface RecordDrillDeps {
  readonly catalog: Pick<CatalogStore, 'recordDrill'>;
  readonly clock: Clock;
  /** Publishes the measured restore time as a CloudWatch metric (deployed); absent locally. */
  readonly emitDrill?: ((drill: DrillFigures) => void) | undefined;
}

/** Written for the label, repository or scratch database of a drill that failed before choosing them. */
export const NOT_CHOSEN = '(none)';

/**
 * Records the drill in the catalog (kind `drill`), whatever its outcome: the snapshot restored, the scratch
 * database, the measured restore time (submit → the poll that saw FINISHED), what the check found and whether
 * the scratch database is gone. Keyed by the execution and its start, so a retried write replaces itself.
 */
export async function recordDrill(state: DrillState, deps: RecordDrillDeps): Promise<DrillVerdict> {
  const verdict = decideDrillOutcome(state);
  const plan = state.plan;
  const check = state.check;
  const now = new Date(deps.clock.now()).toISOString();
  const record: NewDrillRecord = {
    cluster: state.cluster.name,
    database: plan?.sourceDatabase ?? state.cluster.drill?.database ?? NOT_CHOSEN,
    label: plan?.snapshot.label ?? NOT_CHOSEN,
    repository: plan?.snapshot.repository ?? state.cluster.repository,
    snapshotTimestamp: plan?.snapshot.snapshotTimestamp ?? null,
    scratchDatabase: plan?.targetDatabase ?? NOT_CHOSEN,
    runId: state.execution.id,
    startedAt: state.execution.startTime ?? now,
    finishedAt: now,
    durationSeconds: state.restore ? measuredSeconds(state.restore) : null,
    state: verdict.state,
    reason: verdict.reason,
    tableCount: check?.tableCount ?? null,
    emptyTables: check ? [...check.missingTables, ...check.emptyTables].slice(0, DRILL_TABLE_NAMES_MAX) : [],
    rowCount: check?.rowCount ?? null,
    scratchDropped: scratchGone(state.cleanup),
  };
  await deps.catalog.recordDrill(record);
  deps.emitDrill?.({ cluster: record.cluster, durationSeconds: record.durationSeconds });
  return verdict;
}
