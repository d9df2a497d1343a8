import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, SecretUnavailableError } from '#domain/errors.ts';
import { createEnvSecretResolver, starRocksPasswordVariable } from '#local/runtime/env-secrets.ts';
import { createSecretsManagerResolver } from '#runtime/secrets.ts';

const PASSWORD_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:starrocks/backup-password-AbCdEf';
const SLACK_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:starrocks/slack-webhook-AbCdEf';
const SECRET_PASSWORD = 's3cr3t-Pa55';
// Not a Slack address: a resolver test needs only a URL that must never leak.
const SECRET_URL = 'https://webhook.example.invalid/test-only-not-a-secret';

const secretsManager = mockClient(SecretsManagerClient);

afterEach(() => {
  secretsManager.reset();
});

function awsResolver() {
  return createSecretsManagerResolver(
    (region) => new SecretsManagerClient({ region: region ?? 'us-east-1' }),
  );
}

function reads(): number {
  return secretsManager.commandCalls(GetSecretValueCommand).length;
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected a rejection');
}

describe('secrets from Secrets Manager', () => {
  it('reads a plain-text password', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: PASSWORD_ARN })
      .resolves({ SecretString: SECRET_PASSWORD });
    const resolver = awsResolver();
    expect(await resolver.starRocksPassword({ name: 'prod', passwordSecretArn: PASSWORD_ARN })).toBe(
      SECRET_PASSWORD,
    );
  });

  it('reads the password key of a JSON secret', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: PASSWORD_ARN })
      .resolves({ SecretString: JSON.stringify({ username: 'backup', password: SECRET_PASSWORD }) });
    expect(await awsResolver().starRocksPassword({ name: 'prod', passwordSecretArn: PASSWORD_ARN })).toBe(
      SECRET_PASSWORD,
    );
  });

  it('keeps a password that only looks like JSON', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: PASSWORD_ARN })
      .resolves({ SecretString: '{not json' });
    expect(await awsResolver().starRocksPassword({ name: 'prod', passwordSecretArn: PASSWORD_ARN })).toBe(
      '{not json',
    );
  });

  it('reads the url key of a JSON Slack secret, and a plain-text one', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: SLACK_ARN })
      .resolves({ SecretString: JSON.stringify({ url: SECRET_URL }) });
    secretsManager
      .on(GetSecretValueCommand, { SecretId: PASSWORD_ARN })
      .resolves({ SecretString: `${SECRET_URL}\n` });
    const resolver = awsResolver();
    expect(await resolver.slackWebhookUrl({ webhookSecretArn: SLACK_ARN })).toBe(SECRET_URL);
    expect(await resolver.slackWebhookUrl({ webhookSecretArn: PASSWORD_ARN })).toBe(SECRET_URL);
  });

  it('reads each secret once per cold start', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: PASSWORD_ARN })
      .resolves({ SecretString: SECRET_PASSWORD });
    const resolver = awsResolver();
    const cluster = { name: 'prod', passwordSecretArn: PASSWORD_ARN };
    await Promise.all([resolver.starRocksPassword(cluster), resolver.starRocksPassword(cluster)]);
    await resolver.starRocksPassword(cluster);
    expect(reads()).toBe(1);
  });

  it('reads the rotated value after invalidate', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: PASSWORD_ARN })
      .resolvesOnce({ SecretString: 'old-password' })
      .resolves({ SecretString: 'new-password' });
    const resolver = awsResolver();
    const cluster = { name: 'prod', passwordSecretArn: PASSWORD_ARN };
    expect(await resolver.starRocksPassword(cluster)).toBe('old-password');
    resolver.invalidate(PASSWORD_ARN);
    expect(await resolver.starRocksPassword(cluster)).toBe('new-password');
    expect(await resolver.starRocksPassword(cluster)).toBe('new-password');
    expect(reads()).toBe(2);
  });

  it('tries again after a failed read instead of caching the failure', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    secretsManager
      .on(GetSecretValueCommand, { SecretId: PASSWORD_ARN })
      .rejectsOnce(throttled)
      .resolves({ SecretString: SECRET_PASSWORD });
    const resolver = awsResolver();
    const cluster = { name: 'prod', passwordSecretArn: PASSWORD_ARN };
    const error = await rejectionOf(resolver.starRocksPassword(cluster));
    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(error.message).toBe(`Could not read secret ${PASSWORD_ARN}: ThrottlingException`);
    expect(await resolver.starRocksPassword(cluster)).toBe(SECRET_PASSWORD);
  });

  it('names the ARN but never the value when the JSON key is missing', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: PASSWORD_ARN })
      .resolves({ SecretString: JSON.stringify({ username: 'backup', pass: SECRET_PASSWORD }) });
    const error = await rejectionOf(
      awsResolver().starRocksPassword({ name: 'prod', passwordSecretArn: PASSWORD_ARN }),
    );
    expect(error).toBeInstanceOf(SecretUnavailableError);
    expect(error.name).toBe('SecretUnavailableError');
    expect(error.message).toBe(
      `Secret ${PASSWORD_ARN} is a JSON object without a non-empty string "password" key (it has: username, pass)`,
    );
    expect(error.message).not.toContain(SECRET_PASSWORD);
  });

  it('refuses a Slack secret that is not a URL without repeating it', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: SLACK_ARN })
      .resolves({ SecretString: SECRET_PASSWORD });
    const error = await rejectionOf(awsResolver().slackWebhookUrl({ webhookSecretArn: SLACK_ARN }));
    expect(error.message).toBe(`Secret ${SLACK_ARN} does not hold an http(s) URL`);
  });

  it('refuses binary and empty secrets', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: PASSWORD_ARN })
      .resolves({ SecretBinary: new Uint8Array([1]) });
    secretsManager.on(GetSecretValueCommand, { SecretId: SLACK_ARN }).resolves({ SecretString: '' });
    const resolver = awsResolver();
    expect(
      (await rejectionOf(resolver.starRocksPassword({ name: 'p', passwordSecretArn: PASSWORD_ARN }))).message,
    ).toBe(`Secret ${PASSWORD_ARN} has no string value (binary secrets are not supported)`);
    expect((await rejectionOf(resolver.slackWebhookUrl({ webhookSecretArn: SLACK_ARN }))).message).toBe(
      `Secret ${SLACK_ARN} is empty`,
    );
  });

  it('uses no secret when none is configured', async () => {
    const resolver = awsResolver();
    expect(await resolver.starRocksPassword({ name: 'prod' })).toBe('');
    expect(await resolver.slackWebhookUrl({})).toBeUndefined();
    expect(await resolver.slackWebhookUrl()).toBeUndefined();
    expect(reads()).toBe(0);
  });
});

describe('secrets from the environment', () => {
  it('prefers the per-cluster variable, then the shared one, then the empty root password', async () => {
    const cluster = { name: 'prod-eu.1', passwordSecretArn: PASSWORD_ARN };
    expect(starRocksPasswordVariable(cluster.name)).toBe('STARROCKS_PASSWORD_PROD_EU_1');
    const both = createEnvSecretResolver({
      STARROCKS_PASSWORD_PROD_EU_1: 'cluster-pw',
      STARROCKS_PASSWORD: 'shared-pw',
    });
    expect(await both.starRocksPassword(cluster)).toBe('cluster-pw');
    const shared = createEnvSecretResolver({ STARROCKS_PASSWORD: 'shared-pw' });
    expect(await shared.starRocksPassword(cluster)).toBe('shared-pw');
    const none = createEnvSecretResolver({});
    expect(await none.starRocksPassword(cluster)).toBe('');
    expect(reads()).toBe(0);
  });

  it('keeps an explicitly empty per-cluster password', async () => {
    const resolver = createEnvSecretResolver({
      STARROCKS_PASSWORD_PROD: '',
      STARROCKS_PASSWORD: 'shared-pw',
    });
    expect(await resolver.starRocksPassword({ name: 'prod' })).toBe('');
  });

  it('reads SLACK_WEBHOOK_URL, undefined when unset or empty', async () => {
    const slack = { webhookSecretArn: SLACK_ARN };
    expect(await createEnvSecretResolver({ SLACK_WEBHOOK_URL: SECRET_URL }).slackWebhookUrl(slack)).toBe(
      SECRET_URL,
    );
    expect(await createEnvSecretResolver({}).slackWebhookUrl(slack)).toBeUndefined();
    expect(await createEnvSecretResolver({ SLACK_WEBHOOK_URL: '' }).slackWebhookUrl()).toBeUndefined();
  });

  it('refuses a SLACK_WEBHOOK_URL that is not a URL without repeating it', async () => {
    const resolver = createEnvSecretResolver({ SLACK_WEBHOOK_URL: SECRET_PASSWORD });
    const error = await rejectionOf(resolver.slackWebhookUrl());
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('SLACK_WEBHOOK_URL: is not an http(s) URL');
  });
});
