import type { CatalogStore } from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import type { DrillFigures } from '#domain/metrics.ts';
import { drillRecordOf } from '#domain/restore/drill-record.ts';
import { type DrillState, type DrillVerdict, decideDrillOutcome } from '#domain/restore/drill-state.ts';

/** What RecordDrill needs. */
export interface RecordDrillDeps {
  readonly catalog: Pick<CatalogStore, 'recordDrill'>;
  readonly clock: Clock;
  /** Publishes the measured restore time as a CloudWatch metric (deployed); absent locally. */
  readonly emitDrill?: ((drill: DrillFigures) => void) | undefined;
}

/**
 * Records the drill in the catalog (kind `drill`), whatever its outcome: the snapshot restored, the scratch
 * database, the measured restore time (submit → the poll that saw FINISHED), what the check found and whether
 * the scratch database is gone. Keyed by the execution and its start, so a retried write replaces itself.
 */
export async function recordDrill(state: DrillState, deps: RecordDrillDeps): Promise<DrillVerdict> {
  const verdict = decideDrillOutcome(state);
  const record = drillRecordOf(state, verdict, new Date(deps.clock.now()).toISOString());
  await deps.catalog.recordDrill(record);
  deps.emitDrill?.({
    cluster: record.cluster,
    durationSeconds: record.durationSeconds,
    ...(record.pointKind === undefined ? {} : { pointKind: record.pointKind }),
  });
  return verdict;
}
