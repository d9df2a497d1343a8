/**
 * Secrets on this machine, from environment variables: `STARROCKS_PASSWORD_<CLUSTER>`, else `STARROCKS_PASSWORD`,
 * else the empty password of StarRocks' default root; `SLACK_WEBHOOK_URL`; and, for incidents that thread,
 * `SLACK_BOT_TOKEN` with the channel of `slack.channel` or `SLACK_CHANNEL` (and `SLACK_API_URL` for a local Slack).
 * Errors name the variable, never the value.
 */
import { ConfigError } from '#domain/errors.ts';
import type { SlackRouting } from '#domain/incidents/slack-routing.ts';
import type { SlackWebApiSource } from '#domain/notify/slack-notifier.ts';
import { isHttpUrl } from '#domain/url.ts';
import type { EnvironmentVariables } from '#runtime/env.ts';
import type { SecretResolver } from '#runtime/secrets.ts';

/** Local fallback for every cluster's password. */
export const STARROCKS_PASSWORD_VARIABLE = 'STARROCKS_PASSWORD';
/** Local Slack webhook URL. */
export const SLACK_WEBHOOK_URL_VARIABLE = 'SLACK_WEBHOOK_URL';
/** Local Slack bot token (the Web API, for incidents answered in their alert's thread). */
export const SLACK_BOT_TOKEN_VARIABLE = 'SLACK_BOT_TOKEN';
/** The channel the bot posts to when the configuration names none. */
export const SLACK_CHANNEL_VARIABLE = 'SLACK_CHANNEL';
/** The Web API root (default https://slack.com/api/), so tests and dry runs can point at a local server. */
export const SLACK_API_URL_VARIABLE = 'SLACK_API_URL';

/** The per-cluster password variable: `STARROCKS_PASSWORD_` + the name upper-cased, other characters as `_`. */
export function starRocksPasswordVariable(clusterName: string): string {
  return `${STARROCKS_PASSWORD_VARIABLE}_${clusterName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The resolver over `env`, read on every call (nothing is cached, so invalidating changes nothing). */
export function createEnvSecretResolver(env: EnvironmentVariables): SecretResolver {
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

/** The Web API source from `env`, or undefined without a bot token or a channel. */
export function envWebApiSource(
  routing: SlackRouting | undefined,
  env: EnvironmentVariables,
): SlackWebApiSource | undefined {
  const token = env[SLACK_BOT_TOKEN_VARIABLE]?.trim();
  if (token === undefined || token === '') return undefined;
  const channel = routing?.channel ?? env[SLACK_CHANNEL_VARIABLE];
  if (channel === undefined || channel === '') return undefined;
  const baseUrl = env[SLACK_API_URL_VARIABLE]?.trim();
  return { token: async () => token, channel, ...(baseUrl ? { baseUrl } : {}) };
}
