import { describe, expect, it } from 'vitest';
import { ConfigError } from '#domain/errors.ts';
import { parseEnv } from '#runtime/env.ts';

const TABLES = { LOCKS_TABLE_NAME: 'locks', CATALOG_TABLE_NAME: 'catalog' };
const SLACK_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack';

describe('parseEnv', () => {
  it('reads the table names', () => {
    expect(parseEnv({ ...TABLES, AWS_LAMBDA_FUNCTION_NAME: 'submit-backup' })).toEqual({
      locksTableName: 'locks',
      catalogTableName: 'catalog',
    });
  });

  it('takes no switch between hosts: SECRETS_MODE and DYNAMODB_ENDPOINT change nothing', () => {
    // Where secrets and tables live is the composition root's choice (lambdas/runtime/aws, local/runtime.ts).
    expect(parseEnv({ ...TABLES, SECRETS_MODE: 'env', DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567' })).toEqual({
      locksTableName: 'locks',
      catalogTableName: 'catalog',
    });
  });

  it('reads the Slack webhook secret ARN', () => {
    expect(parseEnv({ ...TABLES, SLACK_WEBHOOK_SECRET_ARN: SLACK_SECRET })).toEqual({
      locksTableName: 'locks',
      catalogTableName: 'catalog',
      slackWebhookSecretArn: SLACK_SECRET,
    });
  });

  it('treats an empty optional variable as unset', () => {
    expect(parseEnv({ ...TABLES, SLACK_WEBHOOK_SECRET_ARN: '' })).toEqual({
      locksTableName: 'locks',
      catalogTableName: 'catalog',
    });
  });

  it('names every missing or malformed variable', () => {
    let error: unknown;
    try {
      parseEnv({ CATALOG_TABLE_NAME: '', SLACK_WEBHOOK_SECRET_ARN: 'https://hooks.example.invalid/T0/B0/x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      'LOCKS_TABLE_NAME: is required',
      'CATALOG_TABLE_NAME: must not be empty',
      'SLACK_WEBHOOK_SECRET_ARN: must be a Secrets Manager secret ARN, not the URL itself',
    ]);
  });

  it('never repeats a malformed value, which may be a webhook URL put where its ARN belongs', () => {
    let error: unknown;
    try {
      parseEnv({ ...TABLES, SLACK_WEBHOOK_SECRET_ARN: 'https://hooks.example.invalid/T0/B0/secret-token' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('secret-token');
  });
});
