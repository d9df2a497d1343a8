import { slackSchema } from '#domain/config/index.ts';
import { createIncidentStore } from '#domain/incidents/incident-store.ts';
import { webApiSource } from '#domain/incidents/slack-routing.ts';
import { createSlackNotifier } from '#domain/notify/slack-notifier.ts';
import { z } from '#domain/zod.ts';
import { runtimeClock, runtimeEnv, runtimeOverrides } from '#runtime/context.ts';
import { dynamoDocumentClient } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { secrets } from '#runtime/secret-sources.ts';
import { notifyIncidents } from './core.ts';

const logger = createLogger('notify-incidents');

/** The notifier's input: the cluster's name and the Slack section of the check's input. */
export const notifyIncidentsInputSchema = z.looseObject({
  cluster: z.string().min(1).max(64),
  slack: slackSchema.optional(),
});

/** NotifyIncidents Task of FreshnessCheck: posts a cluster's pending incident messages to Slack (outside any VPC). */
export const handler = taskHandler({
  logger,
  input: notifyIncidentsInputSchema,
  run: (input) => {
    const env = runtimeEnv();
    const clock = runtimeClock();
    const webhookSecretArn = input.slack?.webhookSecretArn ?? env.slackWebhookSecretArn;
    const slack = createSlackNotifier({
      webhookUrl: () => secrets().slackWebhookUrl(webhookSecretArn === undefined ? {} : { webhookSecretArn }),
      webApi: webApiSource(input.slack, env.secretsMode, runtimeOverrides().secretEnv ?? process.env),
      logger,
      clock,
    });
    return notifyIncidents(input.cluster, {
      incidents: createIncidentStore({
        client: dynamoDocumentClient(),
        tableName: env.catalogTableName,
        clock,
      }),
      slack,
      clock,
      logger,
    });
  },
});
