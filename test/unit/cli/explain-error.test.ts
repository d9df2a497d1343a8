import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  StarRocksAuthError,
  StarRocksUnavailableError,
  UnknownDatabaseError,
} from '#domain/errors.ts';
import { CliError } from '#local/cli/support/cli-error.ts';
import { explainError } from '#local/cli/support/explain-error.ts';
import { StateDirBusyError } from '#local/dynamo/index.ts';

const cluster = { name: 'prod-eu', host: 'fe.internal', port: 9030, user: 'backup', index: 1 };

describe('explainError', () => {
  it('tells an unreachable FE by its socket error, with the config fields to check (exit 1)', () => {
    // Prepare
    const socketError = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:9030'), {
      code: 'ECONNREFUSED',
    });
    const error = new StarRocksUnavailableError('StarRocks FE fe.internal:9030 unavailable during CONNECT', {
      cause: socketError,
    });

    // Act
    const explained = explainError(error, { cluster, configPath: 'backup.yaml' });

    // Assess
    expect(explained.exitCode).toBe(1);
    expect(explained.message).toBe(
      'cannot reach the StarRocks FE of cluster "prod-eu" at fe.internal:9030: connection refused (nothing listens on that port)',
    );
    expect(explained.hint).toContain('clusters[1].host and clusters[1].port in backup.yaml');
  });

  it('points a refused login at the per-cluster password variable (exit 1)', () => {
    // Act
    const explained = explainError(new StarRocksAuthError('refused'), { cluster });

    // Assess
    expect(explained.exitCode).toBe(1);
    expect(explained.message).toContain('refused the login of user "backup"');
    expect(explained.hint).toContain('STARROCKS_PASSWORD_PROD_EU');
  });

  it('lists every configuration problem under one sentence (exit 2)', () => {
    // Prepare
    const error = new ConfigError(
      'Invalid configuration in c.yaml (2 problems):\n  - a: x (c.yaml:1:1)\n  - b: y (c.yaml:2:1)',
      ['a: x', 'b: y'],
    );

    // Act
    const explained = explainError(error, { configPath: 'c.yaml' });

    // Assess
    expect(explained.exitCode).toBe(2);
    expect(explained.message).toBe('Invalid configuration in c.yaml (2 problems)');
    expect(explained.details).toEqual(['- a: x (c.yaml:1:1)', '- b: y (c.yaml:2:1)']);
    expect(explained.hint).toContain('sr-backup validate --config c.yaml');
  });

  it('says a busy state directory is in use, with what to do (exit 2)', () => {
    // Act
    const explained = explainError(new StateDirBusyError('.sr-backup', '.sr-backup/dynamodb.lock/LOCK'));

    // Assess
    expect(explained.exitCode).toBe(2);
    expect(explained.message).toBe(
      'another sr-backup command is using the state directory .sr-backup right now',
    );
  });

  it('keeps its own errors, and calls anything else unexpected (exit 1)', () => {
    // Prepare
    const own = new CliError(2, 'already explained');

    // Assess
    expect(explainError(own)).toBe(own);
    expect(explainError(new UnknownDatabaseError('unknown database x')).exitCode).toBe(1);
    expect(explainError(new TypeError('boom')).message).toBe('unexpected error: boom');
    expect(explainError('text').exitCode).toBe(1);
  });
});
