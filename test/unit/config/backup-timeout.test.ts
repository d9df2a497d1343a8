import { describe, expect, it } from 'vitest';
import { backupTimeoutPropertySeconds } from '#domain/config/index.ts';

describe('backupTimeoutPropertySeconds', () => {
  it.each([
    [86_400, 90_000],
    [100_000, 103_600],
    [5_000, 5_500],
    [1_000.5, 1_301],
    [600, 900],
    [60, 600],
    [0.5, 600],
  ])('gives StarRocks %s s of deadline a timeout of %s s', (deadline, timeout) => {
    expect(backupTimeoutPropertySeconds(deadline)).toBe(timeout);
  });

  it('always leaves StarRocks more time than our own deadline', () => {
    for (let deadline = 1; deadline <= 200_000; deadline += 997) {
      const timeout = backupTimeoutPropertySeconds(deadline);
      expect(Number.isInteger(timeout)).toBe(true);
      expect(timeout).toBeGreaterThanOrEqual(Math.max(600, deadline + 300));
    }
  });

  it('refuses a deadline that is not a positive number', () => {
    expect(() => backupTimeoutPropertySeconds(0)).toThrow(RangeError);
    expect(() => backupTimeoutPropertySeconds(Number.NaN)).toThrow(RangeError);
  });
});
