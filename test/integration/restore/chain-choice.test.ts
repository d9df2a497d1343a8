// Choosing what a restore reaches once differential backups exist (issue 20): chooseSnapshot over a real catalog
// (dynalite), and the Lambda cores that use it (PlanRestore refuses a differential whose chain has no manifests,
// PlanDrill falls back to the newest full then). No FE is needed: nothing here talks to StarRocks. About 1 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CatalogStore, createCatalogStore, type NewBackupAttempt } from '#domain/catalog/index.ts';
import { createManifestStore } from '#domain/catalog/manifest-store.ts';
import { parseConfig, toClusterSettings } from '#domain/config/index.ts';
import { SnapshotNotFoundError } from '#domain/errors.ts';
import { createPauseStore } from '#domain/pause/index.ts';
import type { DrillState } from '#domain/restore/drill-state.ts';
import { chooseSnapshot } from '#domain/restore/restore-plan.ts';
import { planDrill } from '#functions/PlanDrill/core.ts';
import { planRestore } from '#functions/PlanRestore/core.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import { attemptOf, CLUSTER, labelOf, NOW, slotOf } from '../lifecycle/support/thirty-snapshots.ts';

/**
 * Two chains of `database`: full day 1 with differentials days 2 and 3, full day 4 with a differential day 5 (the
 * latest). Each test uses its own database, so marks (pruned, lost) stay in it.
 */
async function seedChains(catalog: CatalogStore, database: string): Promise<void> {
  const of = (day: number, overrides: Partial<NewBackupAttempt>) =>
    attemptOf(day, { database, runId: `run-${database}-${day}`, ...overrides });
  // In slot order, so the latest-good pointer ends at day 5 as the nightly runs would leave it.
  for (const attempt of [
    of(1, { mode: 'full' }),
    of(2, { mode: 'differential', baseLabel: labelOf(1) }),
    of(3, { mode: 'differential', baseLabel: labelOf(1) }),
    of(4, {}),
    of(5, { mode: 'differential', baseLabel: labelOf(4) }),
  ]) {
    await catalog.recordAttempt(attempt);
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

const timestampOf = (day: number) => `2026-11-${String(day).padStart(2, '0')}-18-00-04-143`;
/** An hour after day `day`'s backup started (its slot): a `--before` that lands on that day's snapshot. */
const afterDay = (day: number) => new Date(slotOf(day).getTime() + 3_600_000).toISOString();

describe('choosing a restore point among full and differential snapshots', () => {
  let dynamo: TestDynamo;
  let catalog: CatalogStore;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    catalog = createCatalogStore({
      client: dynamo.client,
      tableName: dynamo.catalogTableName,
      clock: { now: () => NOW },
    });
  });

  afterAll(async () => {
    await dynamo.close();
  });

  it('takes a latest differential as the point, with its full', async () => {
    // Prepare
    await seedChains(catalog, 'latest');

    // Act
    const choice = await chooseSnapshot(catalog, { cluster: CLUSTER, database: 'latest' });

    // Assess
    expect(choice).toMatchObject({
      kind: 'differential',
      snapshot: { label: labelOf(5), snapshotTimestamp: timestampOf(5) },
      full: { label: labelOf(4), snapshotTimestamp: timestampOf(4) },
    });
  });

  it('lands --before on a differential or a full, whichever is newest at that time', async () => {
    // Prepare
    await seedChains(catalog, 'before');

    // Act
    const onDifferential = await chooseSnapshot(catalog, {
      cluster: CLUSTER,
      database: 'before',
      before: afterDay(3),
    });
    const onFull = await chooseSnapshot(catalog, {
      cluster: CLUSTER,
      database: 'before',
      before: afterDay(4),
    });

    // Assess
    expect(onDifferential).toMatchObject({
      kind: 'differential',
      snapshot: { label: labelOf(3) },
      full: { label: labelOf(1), snapshotTimestamp: timestampOf(1) },
    });
    expect(onFull).toEqual({ kind: 'full', snapshot: expect.objectContaining({ label: labelOf(4) }) });
  });

  it('refuses a named differential whose full was pruned, saying so, and passes over it for --before', async () => {
    // Prepare
    await seedChains(catalog, 'pruned');
    const [pruned] = await catalog.markPruned({ cluster: CLUSTER, database: 'pruned', label: labelOf(1) });

    // Act
    const named = await rejection(
      chooseSnapshot(catalog, { cluster: CLUSTER, database: 'pruned', label: labelOf(3) }),
    );
    const before = await rejection(
      chooseSnapshot(catalog, { cluster: CLUSTER, database: 'pruned', before: afterDay(3) }),
    );
    const later = await chooseSnapshot(catalog, { cluster: CLUSTER, database: 'pruned' });

    // Assess
    expect(named).toBeInstanceOf(SnapshotNotFoundError);
    expect(named.message).toBe(
      `snapshot "${labelOf(3)}" of database "pruned" is a differential backup that cannot be restored: its full "${labelOf(1)}" was pruned from the repository at ${pruned?.prunedAt}; a differential is restored on top of its full`,
    );
    expect(before).toBeInstanceOf(SnapshotNotFoundError);
    expect(before.message).toContain(
      `the catalog holds no verified snapshot of database "pruned" of cluster "${CLUSTER}" taken at or before ${afterDay(3)}; passed over 2 that cannot be restored: differential "${labelOf(3)}" (its full "${labelOf(1)}" was pruned`,
    );
    // The other chain is whole: the latest point is still its differential.
    expect(later).toMatchObject({ kind: 'differential', snapshot: { label: labelOf(5) } });
  });

  it('falls back from a latest differential whose full is lost to the newest point that restores', async () => {
    // Prepare
    await seedChains(catalog, 'lost');
    await catalog.markLost({ cluster: CLUSTER, database: 'lost', label: labelOf(4) });

    // Act
    const choice = await chooseSnapshot(catalog, { cluster: CLUSTER, database: 'lost' });
    const named = await rejection(
      chooseSnapshot(catalog, { cluster: CLUSTER, database: 'lost', label: labelOf(5) }),
    );

    // Assess
    expect(choice).toMatchObject({
      kind: 'differential',
      snapshot: { label: labelOf(3) },
      full: { label: labelOf(1) },
    });
    expect(named.message).toContain(`its full "${labelOf(4)}" is gone from the repository`);
  });

  it('keeps a full-only database as before, and gives a drill (fullOnly) the newest full', async () => {
    // Prepare
    await seedChains(catalog, 'drilled');
    await catalog.recordAttempt(attemptOf(6, { database: 'fulls' }));
    await catalog.recordAttempt(attemptOf(7, { database: 'fulls' }));

    // Act
    const fulls = await chooseSnapshot(catalog, { cluster: CLUSTER, database: 'fulls' });
    const drill = await chooseSnapshot(catalog, { cluster: CLUSTER, database: 'drilled', fullOnly: true });
    const namedDifferential = await rejection(
      chooseSnapshot(catalog, { cluster: CLUSTER, database: 'drilled', label: labelOf(2), fullOnly: true }),
    );

    // Assess
    expect(fulls).toEqual({ kind: 'full', snapshot: expect.objectContaining({ label: labelOf(7) }) });
    expect(drill).toEqual({ kind: 'full', snapshot: expect.objectContaining({ label: labelOf(4) }) });
    expect(namedDifferential.message).toContain('only a full snapshot is restored alone');
  });

  describe('the deployed planners', () => {
    const config = parseConfig({
      clusters: [
        {
          name: CLUSTER,
          host: '127.0.0.1',
          port: 1,
          repository: 's3_repo',
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
          drill: { database: 'planned', cron: '0 3 * * ? *', timezone: 'UTC', timeoutSeconds: 3600 },
        },
      ],
    });
    const state = (request?: DrillState['request']): DrillState => ({
      cluster: toClusterSettings(config, CLUSTER),
      execution: { id: 'arn:execution', name: 'execution', startTime: new Date(NOW).toISOString() },
      ...(request === undefined ? {} : { request }),
    });
    const deps = () => ({
      catalog,
      readManifest: createManifestStore({
        client: dynamo.client,
        tableName: dynamo.catalogTableName,
        clock: { now: () => NOW },
      }).readManifest,
      clock: { now: () => NOW },
      pauses: createPauseStore({
        client: dynamo.client,
        tableName: dynamo.catalogTableName,
        clock: { now: () => NOW },
      }),
    });

    it('PlanRestore never plans a differential alone: without the manifests its chain needs, named or the latest point, it refuses; a full it plans', async () => {
      // Prepare
      await seedChains(catalog, 'planned');

      // Act
      const named = await rejection(planRestore(state({ database: 'planned', label: labelOf(5) }), deps()));
      const latest = await rejection(planRestore(state({ database: 'planned' }), deps()));
      const full = await planRestore(state({ database: 'planned', label: labelOf(4) }), deps());

      // Assess
      for (const refusal of [named, latest]) {
        expect(refusal).toBeInstanceOf(SnapshotNotFoundError);
        expect(refusal.message).toBe(
          `snapshot "${labelOf(5)}" of database "planned" is a differential backup (of full "${labelOf(4)}") whose chain the deployed Restore cannot run: differential ${labelOf(5)} (of full ${labelOf(4)}): the catalog holds no partition manifest of the full ${labelOf(4)} nor of the differential ${labelOf(5)}; restore the full alone (--snapshot ${labelOf(4)}) or the chain locally`,
        );
      }
      // The plan's snapshot is the one the state machine always carried: no chain fields leak into it.
      expect(Object.keys(full.snapshot).sort()).toEqual(
        [
          'finishedAt',
          'label',
          'repository',
          'scheduledTime',
          'sizeBytes',
          'snapshotTimestamp',
          'tableCount',
        ].sort(),
      );
      expect(full.snapshot.label).toBe(labelOf(4));
    });

    it('PlanDrill falls back to the newest full, saying why, when the catalog holds no manifest of the newest chain', async () => {
      // Prepare: "planned" is seeded by the test above when run in order; seeding twice is idempotent.
      await seedChains(catalog, 'planned');

      // Act
      const plan = await planDrill(state(), deps());

      // Assess
      expect(plan.snapshot).toMatchObject({ label: labelOf(4), snapshotTimestamp: timestampOf(4) });
      expect(plan.sourceDatabase).toBe('planned');
      expect(plan.chain).toBeUndefined();
      expect(plan.chainFallback).toBe(
        `differential ${labelOf(5)} (of full ${labelOf(4)}): the catalog holds no partition manifest of the full ${labelOf(4)} nor of the differential ${labelOf(5)}`,
      );
    });
  });
});
