/**
 * Resolves the two secrets the scheduler needs: the StarRocks FE password and the Slack webhook URL.
 *
 * Deployed (`aws`): read from Secrets Manager, plain text or JSON with a `password` / `url` key, cached per
 * resolver (one resolver per cold start) and dropped with `invalidate(arn)` so a caller can re-read once after
 * an authentication error (the secret may have been rotated).
 * Locally (`env`): `STARROCKS_PASSWORD_<CLUSTER>`, else `STARROCKS_PASSWORD`, else the empty password of
 * StarRocks' default root; `SLACK_WEBHOOK_URL`.
 *
 * Errors name the ARN or variable, never the value.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, SecretUnavailableError } from '#domain/errors.ts';
import type { EnvironmentVariables } from './env.ts';

/** Where secrets come from. */
export type SecretResolverOptions =
  | {
      readonly mode: 'aws';
      /** Reads secrets whose ARN names no Region, or all of them when `clientForRegion` is not given. */
      readonly client: SecretsManagerClient;
      /**
       * A client for the Region a secret's ARN names. Secrets Manager serves a secret only from its own Region's
       * endpoint, so a secret kept in another Region than the function's needs a client of that Region.
       */
      readonly clientForRegion?: (region: string) => SecretsManagerClient;
    }
  | { readonly mode: 'env'; readonly env?: EnvironmentVariables };

/** The Region of a Secrets Manager ARN (`arn:<partition>:secretsmanager:<region>:…`), or undefined. */
export function secretArnRegion(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

/** The cluster fields the resolver reads. */
export interface PasswordSource {
  readonly name: string;
  readonly passwordSecretArn?: string | undefined;
}

/** The Slack fields the resolver reads. */
export interface WebhookSource {
  readonly webhookSecretArn?: string | undefined;
}

/** Reads secrets for the cores; create one per cold start. */
export interface SecretResolver {
  /** The FE password of a cluster; the empty string when the cluster names no secret. */
  starRocksPassword(cluster: PasswordSource): Promise<string>;
  /** The Slack webhook URL, or `undefined` when Slack is not configured. */
  slackWebhookUrl(slack?: WebhookSource): Promise<string | undefined>;
  /** Forgets a cached secret so the next read goes to Secrets Manager again. */
  invalidate(arn: string): void;
}

/** Local fallback for every cluster's password. */
export const STARROCKS_PASSWORD_VARIABLE = 'STARROCKS_PASSWORD';
/** Local Slack webhook URL. */
export const SLACK_WEBHOOK_URL_VARIABLE = 'SLACK_WEBHOOK_URL';

/** The per-cluster password variable: `STARROCKS_PASSWORD_` + the name upper-cased, other characters as `_`. */
export function starRocksPasswordVariable(clusterName: string): string {
  return `${STARROCKS_PASSWORD_VARIABLE}_${clusterName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The usable value of a secret string: the `key` member when the secret is a JSON object, else the text itself.
 * A password that merely looks like JSON (a number, a quoted string) stays plain text.
 */
function secretValue(arn: string, secretString: string, key: 'password' | 'url'): string {
  if (secretString.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(secretString);
    } catch {
      parsed = undefined;
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const value = (parsed as Record<string, unknown>)[key];
      if (typeof value !== 'string' || value === '') {
        throw new SecretUnavailableError(
          `Secret ${arn} is a JSON object without a non-empty string "${key}" key (it has: ${Object.keys(parsed).join(', ') || 'no keys'})`,
        );
      }
      return value;
    }
  }
  if (secretString === '') throw new SecretUnavailableError(`Secret ${arn} is empty`);
  return secretString;
}

function awsResolver(
  client: SecretsManagerClient,
  clientForRegion: ((region: string) => SecretsManagerClient) | undefined,
): SecretResolver {
  // Promises, not values, so that concurrent first reads share one GetSecretValue call.
  const cache = new Map<string, Promise<string>>();
  const clientFor = (arn: string): SecretsManagerClient => {
    const region = secretArnRegion(arn);
    return region === undefined || clientForRegion === undefined ? client : clientForRegion(region);
  };

  const read = (arn: string): Promise<string> => {
    let pending = cache.get(arn);
    if (pending === undefined) {
      pending = fetchSecretString(clientFor(arn), arn);
      cache.set(arn, pending);
      // A failed read must not stick: the next call tries again.
      pending.catch(() => {
        if (cache.get(arn) === pending) cache.delete(arn);
      });
    }
    return pending;
  };

  return {
    async starRocksPassword(cluster) {
      if (cluster.passwordSecretArn === undefined) return '';
      return secretValue(cluster.passwordSecretArn, await read(cluster.passwordSecretArn), 'password');
    },
    async slackWebhookUrl(slack) {
      const arn = slack?.webhookSecretArn;
      if (arn === undefined) return undefined;
      const url = secretValue(arn, await read(arn), 'url').trim();
      if (!isHttpUrl(url)) throw new SecretUnavailableError(`Secret ${arn} does not hold an http(s) URL`);
      return url;
    },
    invalidate(arn) {
      cache.delete(arn);
    },
  };
}

async function fetchSecretString(client: SecretsManagerClient, arn: string): Promise<string> {
  let secretString: string | undefined;
  try {
    const response = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    secretString = response.SecretString;
  } catch (error) {
    const name = error instanceof Error ? error.name : 'unknown error';
    throw new SecretUnavailableError(`Could not read secret ${arn}: ${name}`, { cause: error });
  }
  if (secretString === undefined) {
    throw new SecretUnavailableError(`Secret ${arn} has no string value (binary secrets are not supported)`);
  }
  return secretString;
}

function envResolver(env: EnvironmentVariables): SecretResolver {
  return {
    async starRocksPassword(cluster) {
      return env[starRocksPasswordVariable(cluster.name)] ?? env[STARROCKS_PASSWORD_VARIABLE] ?? '';
    },
    async slackWebhookUrl() {
      const url = env[SLACK_WEBHOOK_URL_VARIABLE]?.trim();
      if (url === undefined || url === '') return undefined;
      if (!isHttpUrl(url)) {
        const message = `${SLACK_WEBHOOK_URL_VARIABLE}: is not an http(s) URL`;
        throw new ConfigError(message, [message]);
      }
      return url;
    },
    invalidate() {
      // Nothing is cached: the environment is read on every call.
    },
  };
}

/** Creates the resolver for one cold start (deployed) or one local process. */
export function createSecretResolver(options: SecretResolverOptions): SecretResolver {
  return options.mode === 'aws'
    ? awsResolver(options.client, options.clientForRegion)
    : envResolver(options.env ?? process.env);
}
