import { describe, expect, it } from 'vitest';
import { type FailureHintInput, hintForFailure } from '#domain/notify/failure-hints.ts';

const failed = (reason: string, extra: Partial<FailureHintInput> = {}): string =>
  hintForFailure({ state: 'FAILED', reason, database: 'sales', ...extra });

describe('hintForFailure', () => {
  it('suggests raising the deadline when we cancelled the job', () => {
    const hint = hintForFailure({
      state: 'TIMED_OUT',
      reason: 'deadline',
      database: 'sales',
      timeoutSeconds: 7200,
    });
    expect(hint).toContain('Our deadline (2 h)');
    expect(hint).toContain('`timeoutSeconds`');
  });

  it("explains StarRocks' own timeout", () => {
    expect(hintForFailure({ state: 'TIMED_OUT', reason: '[TIMEOUT, msg: ]', database: 'sales' })).toContain(
      "StarRocks' own BACKUP timeout",
    );
  });

  it('gives the GRANT for a missing REPOSITORY privilege', () => {
    const hint = failed('Access denied; you need (at least one of) the REPOSITORY privilege(s) on SYSTEM', {
      user: 'backup',
    });
    expect(hint).toContain("GRANT REPOSITORY ON SYSTEM TO USER 'backup'@'%';");
  });

  it('gives the GRANT for a missing EXPORT privilege', () => {
    const hint = failed('Access denied; you need (at least one of) the EXPORT privilege(s) on TABLE t');
    expect(hint).toContain(
      "```GRANT EXPORT ON ALL TABLES IN DATABASE `sales` TO USER '<backup user>'@'%';```",
    );
  });

  it('quotes the names in a GRANT as every statement we send quotes them', () => {
    const hint = failed('Access denied; you need (at least one of) the EXPORT privilege(s) on TABLE t', {
      database: 'sales-eu',
      user: "o'brien",
    });
    expect(hint).toContain("GRANT EXPORT ON ALL TABLES IN DATABASE `sales-eu` TO USER 'o\\'brien'@'%';");
  });

  it('says what to grant in words when the database name cannot be written into a statement', () => {
    const hint = failed('Access denied; you need (at least one of) the EXPORT privilege(s) on TABLE t', {
      database: 'bad\u0001name',
    });
    expect(hint).toContain("grant EXPORT on the database's tables");
    expect(hint).not.toContain('GRANT');
  });

  it('points at the secret when the login is refused', () => {
    expect(failed('login refused', { errorName: 'StarRocksAuthError' })).toContain('password');
  });

  it('names the repository to list when the snapshot went missing', () => {
    expect(failed('no snapshot', { repository: 's3_repo' })).toContain('```SHOW SNAPSHOT ON `s3_repo`;```');
    expect(failed('no snapshot')).toContain("the repository's SHOW SNAPSHOT");
  });

  it('points at the network when the FE is unreachable', () => {
    expect(failed('connect ECONNREFUSED 10.0.0.5:9030')).toContain('security group');
  });

  it('recognises StarRocks cancellation reasons', () => {
    expect(failed('[COMMON_ERROR, msg: user cancelled]')).toContain('CANCEL BACKUP');
    expect(
      failed('[OLAP_VERSION_ALREADY_MERGED, msg: make snapshot failed, version already merged]'),
    ).toContain('Compaction');
    expect(failed("Table 'v_sales' is not a OLAP table")).toContain('cannot back up');
    expect(failed('Repository s3_repo is read only')).toContain('read only');
  });

  it('falls back to where to look', () => {
    expect(failed('something nobody foresaw')).toContain('```SHOW BACKUP FROM `sales`;```');
  });
});
