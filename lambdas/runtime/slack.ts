import type { Clock } from '#domain/clock.ts';
import type { AppLogger } from '#domain/logger.ts';
import {
  createSlackNotifier,
  type SlackNotifier,
  type SlackWebApiSource,
} from '#domain/notify/slack-notifier.ts';
import type { SecretResolver } from './secrets.ts';

/** What a notifier is built from. */
export interface SlackSettings {
  readonly secrets: SecretResolver;
  /** The webhook's secret; undefined means no webhook (locally the resolver may still know one). */
  readonly webhookSecretArn?: string | undefined;
  /** The Web API route with its bot token, when incidents should thread. */
  readonly webApi?: SlackWebApiSource | undefined;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

/**
 * The Slack notifier over a secret resolver: the webhook URL is read when first needed, and read again (past the
 * cache) after Slack answers that the webhook was revoked.
 */
export function createSlack(settings: SlackSettings): SlackNotifier {
  const { secrets, webhookSecretArn } = settings;
  return createSlackNotifier({
    webhookUrl: () => secrets.slackWebhookUrl(webhookSecretArn === undefined ? {} : { webhookSecretArn }),
    invalidateWebhookUrl: () => {
      if (webhookSecretArn !== undefined) secrets.invalidate(webhookSecretArn);
    },
    webApi: settings.webApi,
    logger: settings.logger,
    clock: settings.clock,
  });
}
