// Attempt items for the catalog unit tests (no I/O).
import type { BackupAttempt } from '#domain/catalog/index.ts';

/** A FINISHED, verified attempt of database `sales` on cluster `prod`, `day` days into November 2026. */
export function attemptItem(label: string, day: number, over: Partial<BackupAttempt> = {}): BackupAttempt {
  const scheduledTime = new Date(Date.UTC(2026, 10, day, 18)).toISOString();
  return {
    schemaVersion: 1,
    kind: 'backup',
    cluster: 'prod',
    database: 'sales',
    label,
    repository: 's3_repo',
    schedule: 'nightly',
    scheduledTime,
    runId: `run-${day}`,
    executionId: `exec-${label}`,
    attempt: 1,
    state: 'FINISHED',
    reason: null,
    startedAt: scheduledTime,
    finishedAt: scheduledTime,
    durationSeconds: 60,
    snapshotTimestamp: null,
    verified: true,
    sizeBytes: null,
    tableCount: null,
    starRocksJobId: null,
    recordedAt: scheduledTime,
    ...over,
  };
}

/** A differential of `base` (see attemptItem). */
export function differentialItem(
  label: string,
  base: string,
  day: number,
  over: Partial<BackupAttempt> = {},
): BackupAttempt {
  return attemptItem(label, day, { mode: 'differential', baseLabel: base, ...over });
}
