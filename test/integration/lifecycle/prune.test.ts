import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CatalogStore, createCatalogStore } from '#domain/catalog/index.ts';
import { createManifestStore, type ManifestStore } from '#domain/catalog/manifest-store.ts';
import { MANIFEST_FORMAT_VERSION, type Manifest } from '#domain/differential/manifest.ts';
import { createLockStore, type LockStore } from '#domain/lock/index.ts';
import { silentLogger } from '#domain/logger.ts';
import { type PruneDeps, type PruneReport, pruneCluster } from '#domain/prune/prune-core.ts';
import type { RetentionSettings } from '#domain/prune/retention-policy.ts';
import { createSnapshotObjectStore } from '#domain/prune/s3-snapshot-objects.ts';
import { withStarRocksClientSession } from '#domain/starrocks/index.ts';
import { ensureTables } from '#local/dynamo/index.ts';
import { createManualClock, type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import { type S3rverProcess, startS3rver } from './support/s3rver-process.ts';
import {
  attemptOf,
  BUCKET,
  bucketKeys,
  CLUSTER,
  DATABASE,
  DAYS,
  EMULATOR_CLUSTER_ID,
  EXPECTED_REMOVED_DAYS,
  emulatorScenario,
  LOCATION_PREFIX,
  labelOf,
  NOW,
  putObjects,
  RETENTION,
  seedCatalog,
  UNKNOWN_SNAPSHOT,
} from './support/thirty-snapshots.ts';

let dynamo: TestDynamo;
let s3: S3rverProcess;
let tableCounter = 0;

beforeAll(async () => {
  [dynamo, s3] = await Promise.all([startTestDynamo(), startS3rver([BUCKET])]);
});

afterAll(async () => {
  await Promise.all([dynamo.close(), s3.close()]);
});

/** A fresh catalog and locks table per test (same dynalite), so scenarios never see each other's marks. */
async function freshStores(): Promise<{ catalog: CatalogStore; locks: LockStore; manifests: ManifestStore }> {
  tableCounter += 1;
  const tables = { catalogTableName: `catalog-${tableCounter}`, locksTableName: `locks-${tableCounter}` };
  await ensureTables({ client: dynamo.client, ...tables });
  const clock = { now: () => NOW };
  const catalog = createCatalogStore({ client: dynamo.client, tableName: tables.catalogTableName, clock });
  const locks = createLockStore({
    client: dynamo.client,
    tableName: tables.locksTableName,
    clock,
    livenessOf: async () => 'running',
  });
  const manifests = createManifestStore({ client: dynamo.client, tableName: tables.catalogTableName, clock });
  return { catalog, locks, manifests };
}

/** A one-table manifest (its content does not matter to retention). */
const manifestOfDay = (day: number): Manifest => ({
  formatVersion: MANIFEST_FORMAT_VERSION,
  tables: [
    {
      name: 'orders',
      fingerprint: 'f1',
      partitioning: 'RANGE',
      partitions: [
        { name: `p${day}`, id: `${1000 + day}`, visibleVersion: `${day}`, visibleVersionTime: null },
      ],
    },
  ],
  others: [],
});

const removedLabels = (report: PruneReport) =>
  report.removals
    .filter((r) => r.outcome === 'removed')
    .map((r) => r.label)
    .sort();
const expectedRemoved = () => EXPECTED_REMOVED_DAYS.map(labelOf).sort();
const expectedKept = () =>
  DAYS.filter((day) => !(EXPECTED_REMOVED_DAYS as readonly number[]).includes(day)).map(labelOf);

async function prunedLabels(catalog: CatalogStore): Promise<string[]> {
  const all = await catalog.listAllSnapshots({ cluster: CLUSTER, database: DATABASE });
  return [...new Set(all.filter((a) => a.prunedAt !== undefined).map((a) => a.label))].sort();
}

describe('pruning with DROP SNAPSHOT (StarRocks 4.2)', () => {
  let emulator: EmulatorHandle;
  let catalog: CatalogStore;
  let locks: LockStore;
  let manifests: ManifestStore;

  beforeEach(async () => {
    emulator = await startEmulator({
      scenario: emulatorScenario('4.2', [
        {
          repository: 's3_repo',
          name: 'nightly_sales_foreign',
          database: DATABASE,
          createdAt: '2026-11-02T18:00:04.143Z',
          clusterId: EMULATOR_CLUSTER_ID + 1,
        },
      ]),
      clock: createManualClock(NOW),
    });
    ({ catalog, locks, manifests } = await freshStores());
  });

  afterEach(async () => {
    await emulator.close();
  });

  function deps(overrides: Partial<PruneDeps> = {}): PruneDeps {
    return {
      catalog,
      locks,
      manifests,
      withFrontEnd: (work) =>
        withStarRocksClientSession(
          {
            host: emulator.host,
            port: emulator.port,
            user: 'root',
            password: '',
            connectTimeoutMs: 2000,
            statementTimeoutMs: 2000,
            tls: false,
          },
          work,
        ),
      clock: { now: () => NOW },
      logger: silentLogger,
      ...overrides,
    };
  }
  const retention: RetentionSettings = { ...RETENTION, remove: 'auto' };
  const cluster = () => ({ name: CLUSTER, retention });
  const repositoryNames = () => emulator.state.snapshots('s3_repo').map((s) => s.name);

  it('removes exactly the snapshots outside keepLast, maxAgeDays and the two pins, and marks them pruned', async () => {
    // Prepare
    await seedCatalog(catalog);

    // Act
    const report = await pruneCluster({ cluster: cluster(), apply: true }, deps());

    // Assess
    expect(report.method).toEqual({ kind: 'drop-snapshot', version: '4.2.0' });
    expect(removedLabels(report)).toEqual(expectedRemoved());
    expect(report.counts).toMatchObject({ kept: 16, toRemove: 14, removed: 14, failed: 0 });
    expect(repositoryNames().sort()).toEqual(
      [...expectedKept(), UNKNOWN_SNAPSHOT, 'nightly_sales_foreign'].sort(),
    );
    expect(await prunedLabels(catalog)).toEqual(expectedRemoved());
    const drops = emulator.statements.filter((s) => s.sql.startsWith('DROP SNAPSHOT'));
    expect(drops).toHaveLength(14);
    expect(drops.every((s) => !s.sql.includes('FORCE'))).toBe(true);
  });
  it('changes nothing on a dry run, and says what would go and why the rest stays', async () => {
    // Prepare
    await seedCatalog(catalog);

    // Act
    const report = await pruneCluster({ cluster: cluster(), apply: false }, deps());

    // Assess
    expect(report.removals.map((r) => r.outcome)).toEqual(Array(14).fill('planned'));
    expect(report.removals.map((r) => r.label).sort()).toEqual(expectedRemoved());
    const decisions = report.databases[0]?.decisions ?? [];
    expect(decisions.find((d) => d.label === labelOf(3))).toMatchObject({
      action: 'keep',
      reasons: ['pinned'],
    });
    expect(decisions.find((d) => d.label === labelOf(30))).toMatchObject({
      action: 'keep',
      reasons: ['keep-last', 'within-max-age'],
    });
    expect(decisions.find((d) => d.label === labelOf(1))).toMatchObject({
      action: 'remove',
      reasons: ['older-than-max-age'],
    });
    expect(decisions.find((d) => d.label === `${labelOf(20)}_failed`)).toMatchObject({
      action: 'ignore',
      reasons: ['not-verified'],
    });
    expect(emulator.statements.filter((s) => s.sql.startsWith('DROP SNAPSHOT'))).toEqual([]);
    expect(repositoryNames()).toHaveLength(32);
    expect(await prunedLabels(catalog)).toEqual([]);
  });

  it('keeps a snapshot a restore or drill holds the lock for, on whichever database it restores into', async () => {
    // Prepare
    await seedCatalog(catalog);
    await locks.acquireLock({
      cluster: CLUSTER,
      database: 'drill_sales_202612010300',
      holder: 'arn:aws:states:us-east-1:123456789012:execution:RestoreDrill:d1',
      leaseSeconds: 900,
      label: labelOf(12),
    });

    // Act
    const report = await pruneCluster({ cluster: cluster(), apply: true }, deps());

    // Assess
    expect(removedLabels(report)).toEqual(expectedRemoved().filter((label) => label !== labelOf(12)));
    expect(report.databases[0]?.decisions.find((d) => d.label === labelOf(12))).toMatchObject({
      action: 'keep',
      reasons: ['in-use'],
    });
    expect(repositoryNames()).toContain(labelOf(12));
  });

  it('keeps the full of a differential a drill started restoring after the plan was made', async () => {
    // Prepare: day 2 is a differential of day 1's full, both due. A drill of day 2 takes its lock once the plan is
    // made (here: when the prune asks the FE for its version), so the plan itself never sees it.
    await Promise.all(
      DAYS.map((day) =>
        catalog.recordAttempt(
          attemptOf(day, day === 2 ? { mode: 'differential', baseLabel: labelOf(1) } : { mode: 'full' }),
        ),
      ),
    );
    const planned = deps();
    const racing: PruneDeps = {
      ...planned,
      withFrontEnd: async (work) => {
        await locks.acquireLock({
          cluster: CLUSTER,
          database: 'drill_sales_202612010300',
          holder: 'arn:aws:states:us-east-1:123456789012:execution:RestoreDrill:chain',
          leaseSeconds: 900,
          label: labelOf(2),
        });
        return planned.withFrontEnd(work);
      },
    };

    // Act
    const report = await pruneCluster({ cluster: cluster(), apply: true }, racing);

    // Assess: both planned for removal, both skipped; the rest of the plan goes.
    const outcome = (day: number) => report.removals.find((entry) => entry.label === labelOf(day));
    expect(outcome(2)).toMatchObject({ outcome: 'skipped', detail: 'a restore or drill started using it' });
    expect(outcome(1)).toMatchObject({
      outcome: 'skipped',
      detail: 'a restore or drill of a differential of it started',
    });
    expect(repositoryNames()).toEqual(expect.arrayContaining([labelOf(1), labelOf(2)]));
    // Nothing is pinned here, so days 3 and 10 go too.
    expect(removedLabels(report)).toEqual(
      [...EXPECTED_REMOVED_DAYS, 3, 10]
        .filter((day) => day !== 1 && day !== 2)
        .map(labelOf)
        .sort(),
    );
  });

  it('never leaves a kept differential without its full: the base full stays, the rest of the policy applies', async () => {
    // Prepare: the five kept snapshots (days 26–30) are differentials of day 14's full, which the policy alone
    // would remove (older than maxAgeDays, not among the newest five).
    const base = labelOf(14);
    await Promise.all(
      DAYS.map((day) =>
        catalog.recordAttempt(
          attemptOf(day, day >= 26 ? { mode: 'differential', baseLabel: base } : { mode: 'full' }),
        ),
      ),
    );

    await Promise.all(
      [3, 14, 26].map((day) =>
        manifests.writeManifest(
          { cluster: CLUSTER, database: DATABASE, label: labelOf(day) },
          manifestOfDay(day),
        ),
      ),
    );

    // Act
    const report = await pruneCluster({ cluster: cluster(), apply: true }, deps());

    // Assess
    const decisions = report.databases[0]?.decisions ?? [];
    // A pruned snapshot's manifest goes with it; the kept full's and differential's stay.
    const manifestOf = (day: number) =>
      manifests.readManifest({ cluster: CLUSTER, database: DATABASE, label: labelOf(day) });
    expect(await manifestOf(3)).toBeUndefined();
    expect(await manifestOf(14)).toEqual(manifestOfDay(14));
    expect(await manifestOf(26)).toEqual(manifestOfDay(26));
    expect(decisions.find((d) => d.label === base)).toMatchObject({
      action: 'keep',
      reasons: ['chain-base'],
    });
    expect(removedLabels(report)).toEqual(
      [...EXPECTED_REMOVED_DAYS, 3, 10]
        .filter((day) => day !== 14)
        .map(labelOf)
        .sort(),
    );
    expect(repositoryNames()).toContain(base);
  });

  it('marks a snapshot someone already dropped as pruned, and removes nothing more on a second prune', async () => {
    // Prepare
    await seedCatalog(catalog);
    emulator.state.deleteSnapshot('s3_repo', labelOf(1));

    // Act
    const first = await pruneCluster({ cluster: cluster(), apply: true }, deps());
    const second = await pruneCluster({ cluster: cluster(), apply: true }, deps());

    // Assess
    expect(first.removals.find((r) => r.label === labelOf(1))?.outcome).toBe('already-gone');
    expect(first.counts.removed).toBe(14);
    expect(await prunedLabels(catalog)).toEqual(expectedRemoved());
    expect(second.removals).toEqual([]);
    expect(second.method).toBeNull();
  });

  it('reports a snapshot another cluster owns as failed (never FORCE) and still removes the others', async () => {
    // Prepare
    await seedCatalog(catalog);
    await catalog.recordAttempt({
      ...attemptOf(2),
      label: 'nightly_sales_foreign',
      scheduledTime: '2026-10-30T18:00:00.000Z',
    });

    // Act
    const report = await pruneCluster({ cluster: cluster(), apply: true }, deps());

    // Assess
    const foreign = report.removals.find((r) => r.label === 'nightly_sales_foreign');
    expect(foreign?.outcome).toBe('failed');
    expect(foreign?.detail).toMatch(/^SnapshotNotOwnedError: .*FORCE/);
    expect(report.counts).toMatchObject({ removed: 14, failed: 1 });
    expect(repositoryNames()).toContain('nightly_sales_foreign');
    expect(await prunedLabels(catalog)).toEqual(expectedRemoved());
  });
});

describe('pruning where StarRocks has no DROP SNAPSHOT', () => {
  let emulator: EmulatorHandle;
  let catalog: CatalogStore;
  let locks: LockStore;

  beforeAll(async () => {
    emulator = await startEmulator({ scenario: emulatorScenario('3.3'), clock: createManualClock(NOW) });
  });

  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(async () => {
    ({ catalog, locks } = await freshStores());
    await seedCatalog(catalog);
  });

  const frontEnd = (): PruneDeps['withFrontEnd'] => (work) =>
    withStarRocksClientSession(
      {
        host: emulator.host,
        port: emulator.port,
        user: 'root',
        password: '',
        connectTimeoutMs: 2000,
        statementTimeoutMs: 2000,
        tls: false,
      },
      work,
    );

  async function bucketContents(): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.client.send(
        new ListObjectsV2Command({ Bucket: BUCKET, ...(token ? { ContinuationToken: token } : {}) }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys.sort();
  }

  async function resetBucket(): Promise<{ snapshots: Map<number, string[]>; decoys: string[] }> {
    const existing = await bucketContents();
    if (existing.length > 0) {
      const { DeleteObjectsCommand } = await import('@aws-sdk/client-s3');
      for (let i = 0; i < existing.length; i += 1000) {
        await s3.client.send(
          new DeleteObjectsCommand({
            Bucket: BUCKET,
            Delete: { Objects: existing.slice(i, i + 1000).map((Key) => ({ Key })) },
          }),
        );
      }
    }
    const keys = bucketKeys();
    await putObjects(s3.client, [...[...keys.snapshots.values()].flat(), ...keys.decoys]);
    return keys;
  }

  const s3Retention: RetentionSettings = {
    ...RETENTION,
    remove: 'auto',
    s3: { bucket: BUCKET, prefix: LOCATION_PREFIX },
  };

  it("deletes exactly the removed snapshots' objects, page by page, and nothing the catalog does not know", async () => {
    // Prepare
    const keys = await resetBucket();
    const objects = createSnapshotObjectStore({
      s3: s3.client,
      location: { bucket: BUCKET, prefix: LOCATION_PREFIX },
      pageSize: 2,
    });

    // Act
    const report = await pruneCluster(
      { cluster: { name: CLUSTER, retention: s3Retention }, apply: true },
      { catalog, locks, withFrontEnd: frontEnd(), objects, clock: { now: () => NOW }, logger: silentLogger },
    );

    // Assess
    expect(report.method).toEqual({ kind: 's3', bucket: BUCKET, prefix: LOCATION_PREFIX });
    expect(removedLabels(report)).toEqual(expectedRemoved());
    expect(report.removals.every((r) => r.objectsDeleted === 3)).toBe(true);
    const survivors = [
      ...DAYS.filter((day) => !(EXPECTED_REMOVED_DAYS as readonly number[]).includes(day)).flatMap(
        (day) => keys.snapshots.get(day) ?? [],
      ),
      ...keys.decoys,
    ].sort();
    expect(await bucketContents()).toEqual(survivors);
    expect(await prunedLabels(catalog)).toEqual(expectedRemoved());
  });

  it('leaves the bucket and the catalog untouched on a dry run', async () => {
    // Prepare
    const keys = await resetBucket();
    const before = await bucketContents();
    const objects = createSnapshotObjectStore({
      s3: s3.client,
      location: { bucket: BUCKET, prefix: LOCATION_PREFIX },
    });

    // Act
    const report = await pruneCluster(
      { cluster: { name: CLUSTER, retention: s3Retention }, apply: false },
      { catalog, locks, withFrontEnd: frontEnd(), objects, clock: { now: () => NOW }, logger: silentLogger },
    );

    // Assess
    expect(report.removals).toHaveLength(14);
    expect(before).toHaveLength(30 * 3 + keys.decoys.length);
    expect(await bucketContents()).toEqual(before);
    expect(await prunedLabels(catalog)).toEqual([]);
  });

  it('removes by S3 without asking the FE when remove is "s3"', async () => {
    // Prepare
    const objects = createSnapshotObjectStore({
      s3: s3.client,
      location: { bucket: BUCKET, prefix: LOCATION_PREFIX },
    });
    let feAsked = false;

    // Act
    const report = await pruneCluster(
      { cluster: { name: CLUSTER, retention: { ...s3Retention, remove: 's3' } }, apply: true },
      {
        catalog,
        locks,
        withFrontEnd: async () => {
          feAsked = true;
          throw new Error('the FE must not be asked');
        },
        objects,
        clock: { now: () => NOW },
        logger: silentLogger,
      },
    );

    // Assess
    expect(feAsked).toBe(false);
    expect(report.counts.removed).toBe(14);
  });

  it('removes nothing and names the problem when neither DROP SNAPSHOT nor S3 is available', async () => {
    // Act
    const report = await pruneCluster(
      { cluster: { name: CLUSTER, retention: { ...RETENTION, remove: 'auto' } }, apply: true },
      { catalog, locks, withFrontEnd: frontEnd(), clock: { now: () => NOW }, logger: silentLogger },
    );

    // Assess
    expect(report.method?.kind).toBe('unavailable');
    expect(report.problem).toMatch(
      /StarRocks 3\.3\.9 has no DROP SNAPSHOT \(4\.2\+\) and retention\.s3 is not set/,
    );
    expect(report.removals.every((r) => r.outcome === 'skipped')).toBe(true);
    expect(await prunedLabels(catalog)).toEqual([]);
  });
});
