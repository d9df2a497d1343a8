import { BackupSchedulerError } from '#domain/errors.ts';

/**
 * A prune ran but left snapshots it should have removed: a removal failed (S3 or StarRocks refused), or the
 * configured way of removing is not available on this cluster. Nothing was lost; the next prune tries again.
 * The nightly workflow catches it (States.ALL) and posts one alert; it never fails the backup run.
 */
export class PruneIncompleteError extends BackupSchedulerError {
  override readonly name = 'PruneIncompleteError';
}
