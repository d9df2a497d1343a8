import type { CatalogStore } from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import { InvalidInputError, SnapshotNotFoundError } from '#domain/errors.ts';
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
 *
 * The Restore state machine restores ONE snapshot: a differential backup (issue 20) alone would leave out
 * everything its full holds, so a differential chosen here (named, or the newest restorable point) is refused;
 * chain restores run locally for now (`sr-backup restore` without `--stack`).
 * @throws InvalidInputError (no request), InvalidIdentifierError (a name StarRocks would not take),
 * SnapshotNotFoundError (no such restorable snapshot, or a differential).
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
  const choice = await chooseSnapshot(deps.catalog, {
    cluster,
    database: request.database,
    label: request.label,
    before: request.before,
  });
  if (choice.kind === 'differential') throw differentialRefused(request.database, choice);
  const { snapshot } = choice;
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

/** The refusal of a differential: the deployed Restore machine restores one snapshot, never a chain. */
function differentialRefused(
  database: string,
  choice: { readonly snapshot: { readonly label: string }; readonly full: { readonly label: string } },
): SnapshotNotFoundError {
  return new SnapshotNotFoundError(
    `snapshot "${choice.snapshot.label}" of database "${database}" is a differential backup (of full "${choice.full.label}"): the deployed Restore restores one snapshot, and chain restores (the full, then the differential) run locally for now`,
  );
}
