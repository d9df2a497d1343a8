import { describe, expect, it } from 'vitest';
import {
  BackupSchedulerError,
  ERROR_CLASSES,
  ERROR_NAMES,
  LockHeldError,
  StarRocksUnavailableError,
} from '#domain/errors.ts';
import { CONTENTION_ERRORS, isTransient, TRANSIENT_ERRORS } from '#domain/retry-policy.ts';

describe('typed errors', () => {
  it('gives every class a distinct literal name that matches the class', () => {
    expect(ERROR_NAMES.size).toBe(ERROR_CLASSES.length);
    for (const ErrorClass of ERROR_CLASSES) {
      const error = new (ErrorClass as new (message: string) => Error)('x');
      expect(error.name).toBe(ErrorClass.name);
    }
  });

  it('puts every class in the one hierarchy', () => {
    for (const ErrorClass of ERROR_CLASSES) {
      expect(new (ErrorClass as new (message: string) => Error)('x'), ErrorClass.name).toBeInstanceOf(
        BackupSchedulerError,
      );
    }
  });

  it('tells transient errors from contention and terminal ones by the retry policy', () => {
    expect(isTransient(new StarRocksUnavailableError('fe down'))).toBe(true);
    expect(isTransient(new Error('plain'))).toBe(false);
    const held = new LockHeldError('held', 'exec-1', 123);
    expect(isTransient(held)).toBe(false);
    expect(held.holder).toBe('exec-1');
    expect(held.leaseExpiresAt).toBe(123);
  });

  it('names in the retry policy only errors that exist as classes', () => {
    for (const name of [...TRANSIENT_ERRORS, ...CONTENTION_ERRORS])
      expect(ERROR_NAMES.has(name), name).toBe(true);
  });
});
