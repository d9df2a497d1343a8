import { describe, expect, it } from 'vitest';
import * as shared from '#domain/errors.ts';
import * as starrocks from '#domain/starrocks/index.ts';

describe('errors of the StarRocks layer', () => {
  it('keeps StarRocksResultShapeError a shared, named, non-retryable workflow error, re-exported here', () => {
    // Act
    const error = new starrocks.StarRocksResultShapeError('SHOW BACKUP answered without column State');

    // Assess
    expect(starrocks.StarRocksResultShapeError).toBe(shared.StarRocksResultShapeError);
    expect(error.name).toBe('StarRocksResultShapeError');
    expect(shared.isRetryable(error)).toBe(false);
    expect(shared.ERROR_NAMES.has('StarRocksResultShapeError')).toBe(true);
  });

  it.each([
    ['SnapshotNotFoundError', false],
    ['SnapshotInUseError', true],
    ['SnapshotNotOwnedError', false],
    ['RestoreFailedError', false],
    ['UnsupportedVersionError', false],
  ])('lists %s for the ASL, retryable %s', (name, retryable) => {
    // Prepare
    const ErrorClass = shared.ERROR_CLASSES.find((candidate) => candidate.name === name);

    // Act
    const error =
      ErrorClass === undefined ? undefined : new (ErrorClass as new (message: string) => Error)('x');

    // Assess
    expect(error?.name).toBe(name);
    expect(shared.isRetryable(error)).toBe(retryable);
  });
});
