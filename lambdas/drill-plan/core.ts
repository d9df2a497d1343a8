import type { CatalogStore } from '../catalog/index.ts';
import { type DrillPlan, type DrillState, drillSettings } from '../restore/drill-state.ts';
import { chooseSnapshot, scratchDatabaseName } from '../restore/restore-plan.ts';
import type { Clock } from '../shared/clock.ts';

/** Earlier drills whose measured durations aim the poll policy. */
const HISTORY_DEPTH = 7;

/** What PlanDrill needs. */
export interface PlanDrillDeps {
  readonly catalog: Pick<CatalogStore, 'latestGoodSnapshots' | 'findSnapshot' | 'listDrills'>;
  readonly clock: Clock;
}

/**
 * Chooses what the drill restores: the latest verified snapshot of `drill.database` in the catalog, into the
 * scratch database `<scratchPrefix><database>_<yyyyMMddHHmm>` of the drill's slot.
 * @throws ConfigError (no drill configured), SnapshotNotFoundError (no verified snapshot to restore).
 */
export async function planDrill(state: DrillState, deps: PlanDrillDeps): Promise<DrillPlan> {
  const drill = drillSettings(state);
  const cluster = state.cluster.name;
  const slot = new Date(state.scheduledTime ?? state.execution.startTime ?? deps.clock.now());
  const snapshot = await chooseSnapshot(deps.catalog, { cluster, database: drill.database });
  const earlier = await deps.catalog.listDrills({ cluster, database: drill.database, limit: HISTORY_DEPTH });
  return {
    cluster,
    sourceDatabase: drill.database,
    targetDatabase: scratchDatabaseName(drill.scratchPrefix, drill.database, slot),
    snapshot,
    scheduledTime: slot.toISOString(),
    historySeconds: earlier.flatMap((item) =>
      item.state === 'FINISHED' && item.durationSeconds !== null ? [item.durationSeconds] : [],
    ),
  };
}
