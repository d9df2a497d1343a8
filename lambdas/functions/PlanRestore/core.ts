import type { CatalogStore } from '#domain/catalog/index.ts';
import type { ManifestStore } from '#domain/catalog/manifest-store.ts';
import type { Clock } from '#domain/clock.ts';
import { InvalidInputError, SnapshotNotFoundError } from '#domain/errors.ts';
import { type DrillChain, planDrillChain } from '#domain/restore/drill-chain.ts';
import type { DrillPlan, DrillState, RestoreRequest } from '#domain/restore/drill-state.ts';
import { chooseSnapshot, restoreHistorySeconds, type SnapshotChoice } from '#domain/restore/restore-plan.ts';
import { assertValidIdentifier } from '#domain/starrocks/identifiers.ts';

/** What PlanRestore needs. */
export interface PlanRestoreDeps {
  readonly catalog: Pick<
    CatalogStore,
    'latestGoodSnapshots' | 'findSnapshot' | 'listSnapshots' | 'listDrills'
  >;
  /** Partition manifests (read only when the chosen point is a differential). */
  readonly readManifest: ManifestStore['readManifest'];
  readonly clock: Clock;
}

/**
 * Plans an operator's on-demand restore from `$.request`: the snapshot (by label, the newest captured at or before
 * `before`, or the latest verified one) as the catalog holds it now, not as the CLI saw it when it started the
 * execution (retention may have pruned it since), and the target database. Every name is checked here, before a
 * slot or lock is taken; a pause does not stop it (an operator asked for it).
 *
 * A differential backup (issue 20, EXPERIMENTAL) is restored as its chain, into a NEW database, as restore drills
 * run it (drill-chain.ts: the full, the partition drops, the differential, one Task at a time): planned here from
 * both manifests of the catalog. Refused (SnapshotNotFoundError, nothing held or sent) when the chain cannot be run
 * (a manifest missing, views or materialized views, beyond the bounds the state carries) and, with `tables`
 * (InvalidInputError): a chain restores the whole database. The operator asked for that point, so unlike a drill
 * no other point is restored instead.
 * @throws InvalidInputError (no request, a chain with tables), InvalidIdentifierError (a name StarRocks would not
 * take), SnapshotNotFoundError (no such restorable snapshot, or a chain that cannot be run).
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
  const chain = choice.kind === 'differential' ? await chainOf(request, choice, deps, cluster) : undefined;
  const { snapshot } = choice;
  return {
    cluster,
    sourceDatabase: request.database,
    targetDatabase,
    snapshot,
    ...(chain === undefined ? {} : { chain }),
    ...(request.tables === undefined ? {} : { tables: request.tables }),
    scheduledTime: new Date(state.execution.startTime ?? deps.clock.now()).toISOString(),
    historySeconds: await restoreHistorySeconds(
      deps.catalog,
      { cluster, database: request.database },
      chain === undefined ? 'full' : 'chain',
    ),
  };
}

/** The chain of a differential the operator chose. @throws InvalidInputError, SnapshotNotFoundError. */
async function chainOf(
  request: RestoreRequest,
  choice: Extract<SnapshotChoice, { kind: 'differential' }>,
  deps: PlanRestoreDeps,
  cluster: string,
): Promise<DrillChain> {
  const point = `snapshot "${choice.snapshot.label}" of database "${request.database}" is a differential backup (of full "${choice.full.label}")`;
  if (request.tables !== undefined) {
    throw new InvalidInputError(`${point}: a chain restore restores the whole database, not some tables`);
  }
  const [differential, full] = await Promise.all([
    deps.readManifest({ cluster, database: request.database, label: choice.snapshot.label }),
    deps.readManifest({ cluster, database: request.database, label: choice.full.label }),
  ]);
  const planned = planDrillChain(choice, { differential, full });
  if (planned.kind === 'full') {
    throw new SnapshotNotFoundError(
      `${point} whose chain the deployed Restore cannot run: ${planned.why}; restore the full alone (--snapshot ${choice.full.label}) or the chain locally`,
    );
  }
  return planned.chain;
}
