import { describe, expect, it } from 'vitest';
import { PER_DATABASE_ALERT_LIMIT, shouldPostSummary } from '#domain/notify/alert-policy.ts';

describe('shouldPostSummary', () => {
  const limit = PER_DATABASE_ALERT_LIMIT;

  it('stays quiet after a clean run', () => {
    expect(shouldPostSummary({ failures: 0, perDatabaseLimit: limit, runFailedAsWhole: false })).toBe(false);
  });

  it('stays quiet when every failure already alerted on its own', () => {
    expect(shouldPostSummary({ failures: 1, perDatabaseLimit: limit, runFailedAsWhole: false })).toBe(false);
    expect(shouldPostSummary({ failures: limit, perDatabaseLimit: limit, runFailedAsWhole: false })).toBe(
      false,
    );
  });

  it('posts when alerts were held back', () => {
    expect(shouldPostSummary({ failures: limit + 1, perDatabaseLimit: limit, runFailedAsWhole: false })).toBe(
      true,
    );
  });

  it('posts when the run failed before any database', () => {
    expect(shouldPostSummary({ failures: 0, perDatabaseLimit: limit, runFailedAsWhole: true })).toBe(true);
  });

  it('posts for any failure when per-database alerts are off', () => {
    expect(shouldPostSummary({ failures: 1, perDatabaseLimit: 0, runFailedAsWhole: false })).toBe(true);
  });

  it('allows three alerts per run', () => {
    expect(PER_DATABASE_ALERT_LIMIT).toBe(3);
  });
});
