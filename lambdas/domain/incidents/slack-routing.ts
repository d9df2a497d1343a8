/**
 * Where the incident notifier posts: the Slack webhook (as every alert) and, when configured, the Web API with a bot
 * token (so a recovery can answer in its alert's thread).
 *
 * Deployed, the bot token is read from Secrets Manager (`slack.botTokenSecretArn`: plain text, or JSON with a
 * `token` key), once per cold start and again after a failed read. Locally, from SLACK_BOT_TOKEN, with the Web API
 * root in SLACK_API_URL (default https://slack.com/api/) so tests and dry runs can point at a local server.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretUnavailableError } from '#domain/errors.ts';
import type { SlackWebApiSource } from '#domain/notify/slack-notifier.ts';
import type { EnvironmentVariables } from '#runtime/env.ts';

/** The local variables. */
export const SLACK_BOT_TOKEN_VARIABLE = 'SLACK_BOT_TOKEN';
export const SLACK_API_URL_VARIABLE = 'SLACK_API_URL';

/** The Slack settings that reach the notifier (ARNs and a channel, never a secret). */
export interface SlackRouting {
  readonly webhookSecretArn?: string | undefined;
  readonly botTokenSecretArn?: string | undefined;
  readonly channel?: string | undefined;
}

let secretsClient: SecretsManagerClient | undefined;
const cachedTokens = new Map<string, Promise<string>>();

function tokenOf(arn: string, secretString: string | undefined): string {
  if (secretString === undefined || secretString.trim() === '') {
    throw new SecretUnavailableError(`Secret ${arn} has no string value`);
  }
  if (!secretString.trimStart().startsWith('{')) return secretString.trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new SecretUnavailableError(`Secret ${arn} looks like JSON but does not parse`);
  }
  const token = (parsed as Record<string, unknown> | null)?.token;
  if (typeof token !== 'string' || token.trim() === '') {
    throw new SecretUnavailableError(`Secret ${arn} is a JSON object without a non-empty string "token" key`);
  }
  return token.trim();
}

async function readTokenSecret(arn: string): Promise<string> {
  secretsClient ??= new SecretsManagerClient({});
  try {
    const response = await secretsClient.send(new GetSecretValueCommand({ SecretId: arn }));
    return tokenOf(arn, response.SecretString);
  } catch (error) {
    if (error instanceof SecretUnavailableError) throw error;
    const name = error instanceof Error ? error.name : 'unknown error';
    throw new SecretUnavailableError(`Could not read secret ${arn}: ${name}`, { cause: error });
  }
}

/**
 * The Web API source for the notifier, or undefined when no channel is configured. Deployed (`aws`) the token comes
 * from its secret; locally (`env`) from SLACK_BOT_TOKEN.
 */
export function webApiSource(
  routing: SlackRouting | undefined,
  mode: 'aws' | 'env',
  env: EnvironmentVariables,
): SlackWebApiSource | undefined {
  if (mode === 'env') {
    const token = env[SLACK_BOT_TOKEN_VARIABLE]?.trim();
    if (token === undefined || token === '') return undefined;
    const channel = routing?.channel ?? env.SLACK_CHANNEL;
    if (channel === undefined || channel === '') return undefined;
    const baseUrl = env[SLACK_API_URL_VARIABLE]?.trim();
    return { token: async () => token, channel, ...(baseUrl ? { baseUrl } : {}) };
  }
  const arn = routing?.botTokenSecretArn;
  const channel = routing?.channel;
  if (arn === undefined || channel === undefined) return undefined;
  return {
    channel,
    token: () => {
      let pending = cachedTokens.get(arn);
      if (pending === undefined) {
        pending = readTokenSecret(arn);
        cachedTokens.set(arn, pending);
        pending.catch(() => cachedTokens.delete(arn));
      }
      return pending;
    },
  };
}
