import { createSlackNotifier, type SlackNotifier } from '../../notify/slack-notifier.ts';
import type { AppLogger } from '../logger.ts';
import { onRuntimeReset, runtimeClock, runtimeEnv } from './context.ts';
import { secrets } from './secrets.ts';

let notifier: SlackNotifier | undefined;

onRuntimeReset(() => {
  notifier = undefined;
});

/** The Slack notifier; the webhook URL is read from its secret (or SLACK_WEBHOOK_URL locally) when first needed. */
export function slack(logger: AppLogger): SlackNotifier {
  notifier ??= createSlackNotifier({
    webhookUrl: () => {
      const webhookSecretArn = runtimeEnv().slackWebhookSecretArn;
      return secrets().slackWebhookUrl(webhookSecretArn === undefined ? {} : { webhookSecretArn });
    },
    logger,
    clock: runtimeClock(),
  });
  return notifier;
}
