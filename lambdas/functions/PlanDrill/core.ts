import type { CatalogStore } from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import { ClusterPausedError } from '#domain/errors.ts';
import type { PauseStore } from '#domain/pause/index.ts';
import { type DrillPlan, type DrillState, drillSettings } from '#domain/restore/drill-state.ts';
import { chooseSnapshot, restoreHistorySeconds, scratchDatabaseName } from '#domain/restore/restore-plan.ts';

/**
 * Drills are not one of the cluster's schedules, so only a pause of the whole cluster stops them (a pause of one
 * backup schedule leaves the drill alone); no schedule is named this.
 */
const NO_SCHEDULE = '';

/** What PlanDrill needs. */
export interface PlanDrillDeps {
  readonly catalog: Pick<
    CatalogStore,
    'latestGoodSnapshots' | 'findSnapshot' | 'listSnapshots' | 'listDrills'
  >;
  readonly pauses: Pick<PauseStore, 'activePause'>;
  readonly clock: Clock;
}

/**
 * Chooses what the drill restores: the newest restorable FULL snapshot of `drill.database` in the catalog, never a
 * differential (issue 20): a drill restores one snapshot, and a differential alone holds only what changed since
 * its full. It goes into the scratch database `<scratchPrefix><database>_<yyyyMMddHHmm>` of the drill's slot. A cluster paused as a whole
 * (`sr-backup pause --cluster C`) runs no drill: checked first, before anything else is read or held.
 * @throws ClusterPausedError (the cluster is paused), ConfigError (no drill configured), SnapshotNotFoundError (no
 * verified full snapshot to restore).
 */
export async function planDrill(state: DrillState, deps: PlanDrillDeps): Promise<DrillPlan> {
  const drill = drillSettings(state);
  const cluster = state.cluster.name;
  const pause = await deps.pauses.activePause({ cluster, schedule: NO_SCHEDULE });
  if (pause !== null) {
    const until = pause.until === null ? 'until resumed' : `until ${pause.until}`;
    throw new ClusterPausedError(
      `cluster ${cluster} is paused (${until}): ${pause.reason}; the restore drill did not run`,
    );
  }
  const slot = new Date(state.scheduledTime ?? state.execution.startTime ?? deps.clock.now());
  const { snapshot } = await chooseSnapshot(deps.catalog, {
    cluster,
    database: drill.database,
    fullOnly: true,
  });
  return {
    cluster,
    sourceDatabase: drill.database,
    targetDatabase: scratchDatabaseName(drill.scratchPrefix, drill.database, slot),
    snapshot,
    scheduledTime: slot.toISOString(),
    historySeconds: await restoreHistorySeconds(deps.catalog, { cluster, database: drill.database }),
  };
}
