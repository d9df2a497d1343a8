import { describe, expect, it } from 'vitest';
import {
  ERROR_CLASSES,
  ERROR_NAMES,
  isRetryable,
  LockHeldError,
  StarRocksUnavailableError,
} from '#domain/errors.ts';

describe('typed errors', () => {
  it('gives every class a distinct literal name that matches the class', () => {
    expect(ERROR_NAMES.size).toBe(ERROR_CLASSES.length);
    for (const ErrorClass of ERROR_CLASSES) {
      const error = new (ErrorClass as new (message: string) => Error)('x');
      expect(error.name).toBe(ErrorClass.name);
    }
  });

  it('marks transient errors as retryable and terminal ones as not', () => {
    expect(isRetryable(new StarRocksUnavailableError('fe down'))).toBe(true);
    expect(isRetryable(new Error('plain'))).toBe(false);
    const held = new LockHeldError('held', 'exec-1', 123);
    expect(held.holder).toBe('exec-1');
    expect(held.leaseExpiresAt).toBe(123);
  });
});
