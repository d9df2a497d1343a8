import type { CatalogStore } from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import { InvalidInputError } from '#domain/errors.ts';
import type { DrillPlan, DrillState } from '#domain/restore/drill-state.ts';
import { chooseSnapshot, restoreHistorySeconds } from '#domain/restore/restore-plan.ts';
import { assertValidIdentifier } from '#domain/starrocks/identifiers.ts';

/** What PlanRestore needs. */
export interface PlanRestoreDeps {
  readonly catalog: Pick<
    CatalogStore,
    'latestGoodSnapshots' | 'findSnapshot' | 'listSnapshots' | 'listDrills'
  >;
  readonly clock: Clock;
}

/**
 * Plans an operator's on-demand restore from `$.request`: the snapshot (by label, the newest captured at or before
 * `before`, or the latest verified one) as the catalog holds it now, not as the CLI saw it when it started the
 * execution (retention may have pruned it since), and the target database. Every name is checked here, before a
 * slot or lock is taken; a pause does not stop it (an operator asked for it).
 * @throws InvalidInputError (no request), InvalidIdentifierError (a name StarRocks would not take),
 * SnapshotNotFoundError.
 */
export async function planRestore(state: DrillState, deps: PlanRestoreDeps): Promise<DrillPlan> {
  const request = state.request;
  if (request === undefined) throw new InvalidInputError('PlanRestore needs $.request');
  const cluster = state.cluster.name;
  const targetDatabase = request.targetDatabase ?? request.database;
  assertValidIdentifier('database', request.database);
  assertValidIdentifier('database', targetDatabase);
  for (const table of request.tables ?? []) {
    assertValidIdentifier('table', table.name);
    if (table.alias !== undefined) assertValidIdentifier('table', table.alias);
  }
  const snapshot = await chooseSnapshot(deps.catalog, {
    cluster,
    database: request.database,
    label: request.label,
    before: request.before,
  });
  return {
    cluster,
    sourceDatabase: request.database,
    targetDatabase,
    snapshot,
    ...(request.tables === undefined ? {} : { tables: request.tables }),
    scheduledTime: new Date(state.execution.startTime ?? deps.clock.now()).toISOString(),
    historySeconds: await restoreHistorySeconds(deps.catalog, { cluster, database: request.database }),
  };
}
