/**
 * The secrets the scheduler reads, from Secrets Manager through Powertools Parameters: the StarRocks FE password,
 * the Slack webhook URL and the Slack bot token (plain text, or JSON with a `password` / `url` / `token` key; see
 * lambdas/domain/secrets.ts). Each value is cached for {@link SECRET_MAX_AGE_SECONDS}, and read again at once after
 * `invalidate` (a refused login or a revoked webhook: the secret may have been rotated). Errors name the ARN, never
 * the value. Locally the same {@link SecretResolver} reads environment variables instead (local/runtime/).
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretUnavailableError } from '#domain/errors.ts';
import { botTokenOf, secretArnRegion, secretField, webhookUrlOf } from '#domain/secrets.ts';

/** How long a secret read from Secrets Manager is reused before it is read again. */
export const SECRET_MAX_AGE_SECONDS = 900;

/** The cluster fields a resolver reads. */
export interface PasswordSource {
  readonly name: string;
  readonly passwordSecretArn?: string | undefined;
}

/** The Slack fields a resolver reads. */
export interface WebhookSource {
  readonly webhookSecretArn?: string | undefined;
}

/** Reads the secrets the cores need. */
export interface SecretResolver {
  /** The FE password of a cluster; the empty string when the cluster names no secret. */
  starRocksPassword(cluster: PasswordSource): Promise<string>;
  /** The Slack webhook URL, or `undefined` when Slack is not configured. */
  slackWebhookUrl(slack?: WebhookSource): Promise<string | undefined>;
  /** The next read of this secret goes to the store again instead of the cache. */
  invalidate(arn: string): void;
}

/** The Secrets Manager resolver, which also reads bot tokens by ARN. */
export interface SecretsManagerResolver extends SecretResolver {
  /** The Slack bot token kept in the secret `arn`. */
  slackBotToken(arn: string): Promise<string>;
}

/**
 * The Secrets Manager client for a secret in `region` (undefined when its ARN names none). Secrets Manager serves a
 * secret only from its own Region's endpoint, so a secret kept in another Region needs a client of that Region.
 */
export type SecretsClientFor = (
  region: string | undefined,
) => SecretsManagerClient | Promise<SecretsManagerClient>;

/** Creates the resolver over Secrets Manager; keep one per cold start (its cache is the point). */
export function createSecretsManagerResolver(clientFor: SecretsClientFor): SecretsManagerResolver {
  const providers = new Map<string, Promise<SecretsProvider>>();
  // Powertools caches a value only once its read resolved: concurrent first reads share one call through this.
  const reading = new Map<string, Promise<string>>();
  const stale = new Set<string>();

  const providerFor = (arn: string): Promise<SecretsProvider> => {
    const region = secretArnRegion(arn);
    let provider = providers.get(region ?? '');
    if (provider === undefined) {
      provider = Promise.resolve(clientFor(region)).then(
        (awsSdkV3Client) => new SecretsProvider({ awsSdkV3Client }),
      );
      providers.set(region ?? '', provider);
    }
    return provider;
  };

  const text = (arn: string): Promise<string> => {
    let pending = reading.get(arn);
    if (pending === undefined) {
      const forceFetch = stale.delete(arn);
      pending = providerFor(arn)
        .then((provider) => readSecretString(provider, arn, forceFetch))
        .finally(() => reading.delete(arn));
      reading.set(arn, pending);
    }
    return pending;
  };

  // Powertools' `json` transform throws on a plain-text secret, which the design accepts: the key is picked after one raw read.
  return {
    async starRocksPassword(cluster) {
      const arn = cluster.passwordSecretArn;
      return arn === undefined ? '' : secretField(arn, await text(arn), 'password');
    },
    async slackWebhookUrl(slack) {
      const arn = slack?.webhookSecretArn;
      return arn === undefined ? undefined : webhookUrlOf(arn, await text(arn));
    },
    async slackBotToken(arn) {
      return botTokenOf(arn, await text(arn));
    },
    invalidate(arn) {
      stale.add(arn);
    },
  };
}

async function readSecretString(
  provider: SecretsProvider,
  arn: string,
  forceFetch: boolean,
): Promise<string> {
  let value: unknown;
  try {
    value = await provider.get(arn, { maxAge: SECRET_MAX_AGE_SECONDS, forceFetch });
  } catch (error) {
    // Powertools wraps the SDK's error (GetParameterError); its cause names what went wrong.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const name = cause instanceof Error ? cause.name : 'unknown error';
    throw new SecretUnavailableError(`Could not read secret ${arn}: ${name}`, { cause: error });
  }
  // Powertools answers an empty SecretString as no value, and a binary secret with its bytes.
  if (value === undefined || value === '') throw new SecretUnavailableError(`Secret ${arn} is empty`);
  if (typeof value !== 'string') {
    throw new SecretUnavailableError(`Secret ${arn} has no string value (binary secrets are not supported)`);
  }
  return value;
}
