import { buildAlertMessage } from '#domain/notify/alert-message.ts';
import { renderMessageAsText } from '#domain/notify/render-text.ts';
import { createSlackNotifier, type SlackNotifier } from '#domain/notify/slack-notifier.ts';
import { onRuntimeReset, runtimeClock, runtimeEnv, runtimeOverrides } from './context.ts';
import type { AppLogger } from './logger.ts';
import { secrets } from './secret-sources.ts';

let notifier: SlackNotifier | undefined;

onRuntimeReset(() => {
  notifier = undefined;
});

/** The Slack notifier; the webhook URL is read from its secret (or SLACK_WEBHOOK_URL locally) when first needed. */
export function slack(logger: AppLogger): SlackNotifier {
  notifier ??= observedLocally(
    createSlackNotifier({
      webhookUrl: () => {
        const webhookSecretArn = runtimeEnv().slackWebhookSecretArn;
        return secrets().slackWebhookUrl(webhookSecretArn === undefined ? {} : { webhookSecretArn });
      },
      invalidateWebhookUrl: () => {
        const webhookSecretArn = runtimeEnv().slackWebhookSecretArn;
        if (webhookSecretArn !== undefined) secrets().invalidate(webhookSecretArn);
      },
      logger,
      clock: runtimeClock(),
    }),
  );
  return notifier;
}

/** Locally, generic alerts (size warnings, prune failures) are also shown on the terminal, delivered or not. */
function observedLocally(base: SlackNotifier): SlackNotifier {
  if (!runtimeOverrides().observeAlert) return base;
  return {
    ...base,
    async postAlert(alert, options) {
      const delivery = await base.postAlert(alert, options);
      // The observer of the run now in progress: the notifier outlives one local run.
      runtimeOverrides().observeAlert?.({
        kind: 'alert',
        text: renderMessageAsText(buildAlertMessage(alert)),
        delivered: delivery.delivered,
      });
      return delivery;
    },
  };
}
