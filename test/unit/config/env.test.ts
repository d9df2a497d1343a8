import { describe, expect, it } from 'vitest';
import { ConfigError } from '#domain/errors.ts';
import { parseEnv } from '#runtime/env.ts';

const TABLES = { LOCKS_TABLE_NAME: 'locks', CATALOG_TABLE_NAME: 'catalog' };

describe('parseEnv', () => {
  it('reads secrets from Secrets Manager by default inside Lambda', () => {
    expect(parseEnv({ ...TABLES, AWS_LAMBDA_FUNCTION_NAME: 'submit-backup' })).toEqual({
      locksTableName: 'locks',
      catalogTableName: 'catalog',
      secretsMode: 'aws',
    });
  });

  it('reads secrets from the environment by default outside Lambda', () => {
    expect(parseEnv(TABLES).secretsMode).toBe('env');
  });

  it('honours an explicit SECRETS_MODE', () => {
    expect(parseEnv({ ...TABLES, SECRETS_MODE: 'env', AWS_LAMBDA_FUNCTION_NAME: 'f' }).secretsMode).toBe(
      'env',
    );
  });

  it('reads the optional variables', () => {
    const env = parseEnv({
      ...TABLES,
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567',
      STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:BackupDatabase',
      SLACK_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack',
    });
    expect(env).toMatchObject({
      dynamodbEndpoint: 'http://127.0.0.1:4567',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:BackupDatabase',
      slackWebhookSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack',
    });
  });

  it('treats an empty optional variable as unset', () => {
    expect(parseEnv({ ...TABLES, DYNAMODB_ENDPOINT: '', SECRETS_MODE: '' })).toEqual({
      locksTableName: 'locks',
      catalogTableName: 'catalog',
      secretsMode: 'env',
    });
  });

  it('names every missing or malformed variable', () => {
    let error: unknown;
    try {
      parseEnv({ CATALOG_TABLE_NAME: '', SECRETS_MODE: 'vault', DYNAMODB_ENDPOINT: 'localhost:8000' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      'LOCKS_TABLE_NAME: is required',
      'CATALOG_TABLE_NAME: must not be empty',
      'SECRETS_MODE: must be one of "aws", "env"',
      'DYNAMODB_ENDPOINT: must be an http(s) URL, e.g. http://127.0.0.1:8000',
    ]);
  });
});
