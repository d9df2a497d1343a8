import { describe, expect, it } from 'vitest';
import * as shared from '#domain/errors.ts';
import { isTransient } from '#domain/retry-policy.ts';
import * as starrocks from '#domain/starrocks/index.ts';

describe('errors of the StarRocks layer', () => {
  it('keeps StarRocksResultShapeError a shared, named, non-transient workflow error, re-exported here', () => {
    // Act
    const error = new starrocks.StarRocksResultShapeError('SHOW BACKUP answered without column State');

    // Assess
    expect(starrocks.StarRocksResultShapeError).toBe(shared.StarRocksResultShapeError);
    expect(error.name).toBe('StarRocksResultShapeError');
    expect(isTransient(error)).toBe(false);
    expect(shared.ERROR_NAMES.has('StarRocksResultShapeError')).toBe(true);
  });

  // None is a dependency outage: a snapshot in use is left for the next prune, not retried by a Task.
  it.each([
    'SnapshotNotFoundError',
    'SnapshotInUseError',
    'SnapshotNotOwnedError',
    'RestoreFailedError',
    'UnsupportedVersionError',
  ])('lists %s for the ASL, not as transient', (name) => {
    // Prepare
    const ErrorClass = shared.ERROR_CLASSES.find((candidate) => candidate.name === name);

    // Act
    const error =
      ErrorClass === undefined ? undefined : new (ErrorClass as new (message: string) => Error)('x');

    // Assess
    expect(error?.name).toBe(name);
    expect(isTransient(error)).toBe(false);
  });
});
