/**
 * A chain to restore (issue 20) on the workflow harness's parts: database `dw` on the emulator, a full and a
 * differential of it taken over SQL to FINISHED (planNight decides what each holds, as the eight-night scenario
 * does) and recorded in the catalog with their manifests, the source moved on after the differential. Tests of the
 * drill and the on-demand Restore machine restore this chain.
 */
import { expect } from 'vitest';
import { createManifestStore, type ManifestStore } from '#domain/catalog/manifest-store.ts';
import type { Manifest } from '#domain/differential/manifest.ts';
import { planNight } from '#domain/differential/take.ts';
import { createStarRocksClient, type FullStarRocksClient } from '#domain/starrocks/index.ts';
import type { EmulatorScenario, EmulatorTableContents } from '#local/emulator/index.ts';
import { startWorkflowHarness, type WorkflowHarness } from './workflow-harness.ts';

const MB = 1_000_000;
const DAY_MS = 86_400_000;
const BACKUP_MS = 60_000;

/** Each RESTORE of the chain takes this long on the emulator. */
export const CHAIN_RESTORE_MS = 10 * 60_000;
/** The chain's full and differential labels. */
export const CHAIN_FULL = 'dw_full_n1';
export const CHAIN_DIFFERENTIAL = 'dw_diff_n2';

function day(date: string): { from: string; to: string } {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return { from: date, to: next };
}

const SCENARIO: EmulatorScenario = {
  version: '3.3',
  feTimeZone: 'UTC',
  repositories: [{ name: 's3_repo', location: 's3a://chains/backups' }],
  databases: [
    {
      name: 'dw',
      tables: [
        {
          name: 'sales_fact',
          partitioning: 'RANGE',
          partitions: ['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'].map((date, index) => ({
            name: `p${date.replaceAll('-', '')}`,
            rows: 100 * (index + 1),
            sizeBytes: 10 * MB * (index + 1),
            range: day(date),
          })),
        },
        { name: 'dim_city', rows: 50, sizeBytes: 5 * MB },
      ],
    },
  ],
  defaultBackupDurationMs: BACKUP_MS,
  defaultRestoreDurationMs: CHAIN_RESTORE_MS,
};

/** Per table (by name), per partition (by name): rows, bytes and visible version; and the table's schema. */
export function comparable(tables: readonly EmulatorTableContents[] | undefined) {
  return [...(tables ?? [])]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((table) => ({
      name: table.name,
      schema: table.schema,
      rows: table.rows,
      partitions: [...table.partitions]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((partition) => ({
          name: partition.name,
          rows: partition.rows,
          sizeBytes: partition.sizeBytes,
          visibleVersion: partition.visibleVersion,
        })),
    }));
}

/** The harness with its chain. */
export interface ChainHarness {
  readonly harness: WorkflowHarness;
  readonly manifests: ManifestStore;
  readonly fullManifest: Manifest;
  readonly differentialManifest: Manifest;
  /** The source database when the differential's BACKUP was sent: what a restore of the chain must equal. */
  readonly atDifferential: ReturnType<typeof comparable>;
  /** The catalog key of a snapshot of `dw`. */
  readonly ref: (label: string) => { cluster: string; database: string; label: string };
}

/**
 * Starts the harness and takes the chain: the full, then (a day later, after changes) the differential.
 * `extraDatabases` join the scenario untouched (for a test's own chain).
 */
export async function startChainHarness(
  options: { readonly extraDatabases?: EmulatorScenario['databases'] } = {},
): Promise<ChainHarness> {
  const harness = await startWorkflowHarness({
    ...SCENARIO,
    databases: [...SCENARIO.databases, ...(options.extraDatabases ?? [])],
  });
  const client: FullStarRocksClient = createStarRocksClient({
    host: harness.emulator.host,
    port: harness.emulator.port,
    user: 'root',
    password: '',
    connectTimeoutMs: 2000,
    statementTimeoutMs: 5000,
  });
  const manifests = createManifestStore({
    client: harness.dynamo.client,
    tableName: harness.dynamo.catalogTableName,
    clock: harness.clock,
  });
  const ref = (label: string) => ({ cluster: harness.clusterName, database: 'dw', label });

  /** Takes one snapshot over SQL to FINISHED and records it in the catalog (with its manifest), as a run would. */
  const takeSnapshot = async (
    label: string,
    base: { label: string; manifest: Manifest } | null,
  ): Promise<Manifest> => {
    const decision = await planNight(client, 'dw', base?.manifest ?? null);
    if (decision.backupRequest === null) throw new Error('nothing changed');
    const startedAt = new Date(harness.clock.now()).toISOString();
    await client.submitBackup({
      ...decision.backupRequest,
      label,
      repository: 's3_repo',
      timeoutSeconds: 3600,
    });
    harness.clock.advance(BACKUP_MS);
    expect(await client.showBackup('dw')).toMatchObject({ snapshotName: label, state: 'FINISHED' });
    const timestamp = (await client.showSnapshot('s3_repo', label))?.timestamps[0] ?? null;
    await harness.catalog.recordAttempt({
      cluster: harness.clusterName,
      database: 'dw',
      label,
      repository: 's3_repo',
      schedule: 'nightly',
      scheduledTime: startedAt,
      runId: `run-${label}`,
      executionId: `exec-${label}`,
      attempt: 1,
      state: 'FINISHED',
      reason: null,
      startedAt,
      finishedAt: new Date(harness.clock.now()).toISOString(),
      durationSeconds: BACKUP_MS / 1000,
      snapshotTimestamp: timestamp,
      verified: true,
      sizeBytes: 1,
      tableCount: decision.manifest.tables.length,
      starRocksJobId: null,
      ...(base === null ? { mode: 'full' } : { mode: 'differential', baseLabel: base.label }),
    });
    await manifests.writeManifest(ref(label), decision.manifest);
    return decision.manifest;
  };

  const state = harness.emulator.state;
  const fullManifest = await takeSnapshot(CHAIN_FULL, null);
  harness.clock.advance(DAY_MS);
  state.load('dw', 'sales_fact', 'p20261124', { rows: 40, sizeBytes: 4 * MB });
  state.dropPartition('dw', 'sales_fact', 'p20261121');
  state.replacePartition('dw', 'sales_fact', 'p20261123', { rows: 333, sizeBytes: 33 * MB }); // INSERT OVERWRITE
  state.addPartition('dw', 'sales_fact', {
    name: 'p20261125',
    rows: 500,
    sizeBytes: 50 * MB,
    range: day('2026-11-25'),
  });
  state.createTable('dw', {
    name: 'returns',
    partitioning: 'RANGE',
    partitions: [
      { name: 'p202611', rows: 7, sizeBytes: MB, range: { from: '2026-11-01', to: '2026-12-01' } },
    ],
  });
  const atDifferential = comparable(state.contents('dw'));
  const differentialManifest = await takeSnapshot(CHAIN_DIFFERENTIAL, {
    label: CHAIN_FULL,
    manifest: fullManifest,
  });
  // Loads after the differential: a restore must reach the differential's point, not the database now.
  harness.clock.advance(3_600_000);
  state.load('dw', 'sales_fact', 'p20261125', { rows: 9, sizeBytes: MB });
  state.load('dw', 'dim_city', 'dim_city', { rows: 5, sizeBytes: 500_000 });
  return { harness, manifests, fullManifest, differentialManifest, atDifferential, ref };
}

/** The chain's manifest of the differential with one partition's visible version changed (a check must fail). */
export function tamperedManifest(differential: Manifest, partition: string, version: string): Manifest {
  return {
    ...differential,
    tables: differential.tables.map((table) =>
      table.name !== 'sales_fact'
        ? table
        : {
            ...table,
            partitions: table.partitions.map((entry) =>
              entry.name === partition ? { ...entry, visibleVersion: version } : entry,
            ),
          },
    ),
  };
}
