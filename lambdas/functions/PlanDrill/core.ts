import type { CatalogStore } from '#domain/catalog/index.ts';
import type { ManifestStore } from '#domain/catalog/manifest-store.ts';
import type { Clock } from '#domain/clock.ts';
import { ClusterPausedError } from '#domain/errors.ts';
import type { AppLogger } from '#domain/logger.ts';
import type { PauseStore } from '#domain/pause/index.ts';
import { type DrillChain, planDrillChain } from '#domain/restore/drill-chain.ts';
import { type DrillPlan, type DrillState, drillSettings } from '#domain/restore/drill-state.ts';
import {
  chooseSnapshot,
  type RestoreSnapshot,
  restoreHistorySeconds,
  scratchDatabaseName,
} from '#domain/restore/restore-plan.ts';

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
  /** Partition manifests (read only when the newest restorable point is a differential). */
  readonly readManifest: ManifestStore['readManifest'];
  readonly pauses: Pick<PauseStore, 'activePause'>;
  readonly clock: Clock;
  readonly logger?: AppLogger | undefined;
}

/**
 * Chooses what the drill restores: the newest restorable point of `drill.database` in the catalog. A full is
 * restored alone; a differential (issue 20, EXPERIMENTAL) is restored as its chain (its full, the partition drops,
 * the differential), planned here from the two manifests the catalog recorded (drill-chain.ts planDrillChain).
 * When that chain cannot be drilled (a manifest missing, views or materialized views in it, more steps than the
 * state carries), the drill restores the newest restorable full instead, and `chainFallback` says why (it is
 * logged and recorded). It goes into the scratch database `<scratchPrefix><database>_<yyyyMMddHHmm>` of the drill's
 * slot. A cluster paused as a whole (`sr-backup pause --cluster C`) runs no drill: checked first, before anything
 * else is read or held.
 * @throws ClusterPausedError (the cluster is paused), ConfigError (no drill configured), SnapshotNotFoundError (no
 * verified snapshot to restore).
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
  const database = drill.database;
  const choice = await chooseSnapshot(deps.catalog, { cluster, database });
  let point: { snapshot: RestoreSnapshot; chain?: DrillChain; chainFallback?: string };
  if (choice.kind === 'full') {
    point = { snapshot: choice.snapshot };
  } else {
    const [differential, full] = await Promise.all([
      deps.readManifest({ cluster, database, label: choice.snapshot.label }),
      deps.readManifest({ cluster, database, label: choice.full.label }),
    ]);
    const planned = planDrillChain(choice, { differential, full });
    if (planned.kind === 'chain') {
      point = { snapshot: planned.snapshot, chain: planned.chain };
    } else {
      deps.logger?.warn('the newest point is not drilled as a chain; drilling the newest full', {
        database,
        why: planned.why,
      });
      const fallback = await chooseSnapshot(deps.catalog, { cluster, database, fullOnly: true });
      point = { snapshot: fallback.snapshot, chainFallback: planned.why };
    }
  }
  return {
    cluster,
    sourceDatabase: database,
    targetDatabase: scratchDatabaseName(drill.scratchPrefix, database, slot),
    ...point,
    scheduledTime: slot.toISOString(),
    historySeconds: await restoreHistorySeconds(
      deps.catalog,
      { cluster, database },
      point.chain === undefined ? 'full' : 'chain',
    ),
  };
}
