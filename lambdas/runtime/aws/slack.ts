import { systemClock } from '#domain/clock.ts';
import { incidentWebhookSecretArn, type SlackRouting, webApiRoute } from '#domain/incidents/slack-routing.ts';
import type { AppLogger } from '#domain/logger.ts';
import type { SlackNotifier } from '#domain/notify/slack-notifier.ts';
import { createSlack } from '../slack.ts';
import { awsEnv } from './env.ts';
import { awsSecrets } from './secrets.ts';

/**
 * The Slack notifier of a deployed function: the deployment's webhook (SLACK_WEBHOOK_SECRET_ARN), or, given a
 * cluster's routing, its webhook and the Web API with the bot token of `slack.botTokenSecretArn`.
 */
export function awsSlack(logger: AppLogger, routing?: SlackRouting): SlackNotifier {
  const secrets = awsSecrets();
  const webApi = webApiRoute(routing);
  return createSlack({
    secrets,
    webhookSecretArn: incidentWebhookSecretArn(routing, awsEnv().slackWebhookSecretArn),
    webApi:
      webApi === undefined
        ? undefined
        : { channel: webApi.channel, token: () => secrets.slackBotToken(webApi.botTokenSecretArn) },
    clock: systemClock,
    logger,
  });
}
