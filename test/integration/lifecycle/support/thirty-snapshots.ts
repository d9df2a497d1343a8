import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CatalogStore, NewBackupAttempt } from '#domain/catalog/index.ts';
import { buildSnapshotLabel } from '#domain/starrocks/index.ts';
import type { EmulatorScenario, ProfileId, ScenarioSnapshot } from '#local/emulator/index.ts';

/** The prune scenarios' "now": 1 December 2026, 06:00 UTC. */
export const NOW = Date.UTC(2026, 11, 1, 6, 0, 0);
export const CLUSTER = 'prod';
export const DATABASE = 'sales';
export const REPOSITORY = 's3_repo';
export const EMULATOR_CLUSTER_ID = 1_234_567_890;

/** The nightly slot of day `day` of November 2026 (18:00 UTC = 02:00 in Shanghai the next day). */
export const slotOf = (day: number) => new Date(Date.UTC(2026, 10, day, 18, 0, 0));

/** The label the scheduler gives day `day`'s snapshot. */
export const labelOf = (day: number) =>
  buildSnapshotLabel({
    cluster: CLUSTER,
    schedule: 'nightly',
    database: DATABASE,
    scheduledTime: slotOf(day),
  });

/** Days 1…30 of November. */
export const DAYS = Array.from({ length: 30 }, (_, index) => index + 1);

/** The policy of the scenario: keepLast 5, maxAgeDays 14 (Nov 17 06:00 Z), pins on days 3 and 10. */
export const RETENTION = { keepLast: 5, maxAgeDays: 14 } as const;
export const PINNED_DAYS = [3, 10] as const;

/**
 * What the policy must remove: older than 14 days (days 1–16; day 17's 18:00 slot is younger than Nov 17 06:00),
 * outside the newest five (26–30), and not pinned (3 and 10).
 */
export const EXPECTED_REMOVED_DAYS = [1, 2, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16] as const;

/** A snapshot directory the repository holds that the catalog has never heard of. */
export const UNKNOWN_SNAPSHOT = 'manual_before_upgrade';

/** One FINISHED, verified attempt of day `day`. */
export function attemptOf(day: number, overrides: Partial<NewBackupAttempt> = {}): NewBackupAttempt {
  const scheduledTime = slotOf(day).toISOString();
  return {
    cluster: CLUSTER,
    database: DATABASE,
    label: labelOf(day),
    repository: REPOSITORY,
    schedule: 'nightly',
    scheduledTime,
    runId: `run-${day}`,
    executionId: `exec-${day}`,
    attempt: 1,
    state: 'FINISHED',
    reason: null,
    startedAt: scheduledTime,
    finishedAt: new Date(slotOf(day).getTime() + 600_000).toISOString(),
    durationSeconds: 600,
    snapshotTimestamp: `2026-11-${String(day).padStart(2, '0')}-18-00-04-143`,
    verified: true,
    sizeBytes: 1024,
    tableCount: 2,
    starRocksJobId: String(10_000 + day),
    ...overrides,
  };
}

/**
 * Records the 30 nightly snapshots, a FAILED attempt on day 20 (a label with no verified snapshot), and pins
 * days 3 and 10.
 */
export async function seedCatalog(catalog: CatalogStore): Promise<void> {
  const failed = attemptOf(20, {
    label: `${labelOf(20)}_failed`,
    attempt: 2,
    state: 'FAILED',
    verified: false,
    reason: 'x',
  });
  await Promise.all([
    ...DAYS.map((day) => catalog.recordAttempt(attemptOf(day))),
    catalog.recordAttempt(failed),
  ]);
  await Promise.all(
    PINNED_DAYS.map((day) =>
      catalog.setPinned({ cluster: CLUSTER, database: DATABASE, label: labelOf(day), pinned: true }),
    ),
  );
}

/** The 30 snapshots (plus one the catalog does not know) in a StarRocks repository of the given version. */
export function emulatorScenario(
  version: ProfileId,
  extra: readonly ScenarioSnapshot[] = [],
): EmulatorScenario {
  const seeded: ScenarioSnapshot[] = DAYS.map((day) => ({
    repository: REPOSITORY,
    name: labelOf(day),
    database: DATABASE,
    createdAt: new Date(slotOf(day).getTime() + 4_143).toISOString(),
    clusterId: EMULATOR_CLUSTER_ID,
  }));
  seeded.push({
    repository: REPOSITORY,
    name: UNKNOWN_SNAPSHOT,
    database: DATABASE,
    createdAt: '2026-10-01T00:00:00.000Z',
    clusterId: EMULATOR_CLUSTER_ID,
  });
  return {
    version,
    repositories: [{ name: REPOSITORY, location: 's3a://sr-backups/prod/starrocks' }],
    databases: [{ name: DATABASE, tables: [{ name: 'orders', rows: 10, sizeBytes: 1024 }] }],
    snapshots: [...seeded, ...extra],
    clusterId: EMULATOR_CLUSTER_ID,
  };
}

/** The bucket and location prefix of the S3 scenario. */
export const BUCKET = 'sr-backups';
export const LOCATION_PREFIX = 'prod/starrocks';
export const REPOSITORY_DIR = `${LOCATION_PREFIX}/__starrocks_repository_${REPOSITORY}`;

/** Objects StarRocks writes for one snapshot (meta, info, and one tablet file, as Repository.java lays them out). */
export function snapshotKeys(directory: string, label: string): string[] {
  const base = `${directory}/__ss_${label}`;
  return [
    `${base}/__meta.9f2c4e1d6b7a8c3e5f1a2b3c4d5e6f70`,
    `${base}/__info_2026-11-24-18-00-04-143.0a1b2c3d4e5f60718293a4b5c6d7e8f9`,
    `${base}/__ss_content/__db_10001/__tbl_10002/__part_10003/__idx_10004/__10005/0.dat.1b2c3d4e5f60718293a4b5c6d7e8f90a`,
  ];
}

/**
 * Everything the S3 scenario puts in the bucket: the repository info file, the 30 snapshots, and decoys that
 * must survive any prune — a snapshot the catalog does not know, a directory whose name only starts with a
 * removable label, the same label in another repository, and the same label outside the location prefix.
 */
export function bucketKeys(): { snapshots: Map<number, string[]>; decoys: string[] } {
  const snapshots = new Map(DAYS.map((day) => [day, snapshotKeys(REPOSITORY_DIR, labelOf(day))]));
  const decoys = [
    `${REPOSITORY_DIR}/__repo_info`,
    ...snapshotKeys(REPOSITORY_DIR, UNKNOWN_SNAPSHOT),
    ...snapshotKeys(REPOSITORY_DIR, `${labelOf(1)}_copy`),
    ...snapshotKeys(`${LOCATION_PREFIX}/__starrocks_repository_other_repo`, labelOf(1)),
    ...snapshotKeys(`elsewhere/__starrocks_repository_${REPOSITORY}`, labelOf(2)),
  ];
  return { snapshots, decoys };
}

/** Uploads `keys` (tiny bodies) to the bucket. */
export async function putObjects(s3: S3Client, keys: readonly string[]): Promise<void> {
  await Promise.all(
    keys.map((Key) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: `object ${Key}` }))),
  );
}
