import { createSlackNotifier } from '../notify/slack-notifier.ts';
import { slackSchema } from '../shared/config/index.ts';
import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { runtimeClock, runtimeEnv, runtimeOverrides } from '../shared/runtime/context.ts';
import { dynamoDocumentClient } from '../shared/runtime/dynamo.ts';
import { secrets } from '../shared/runtime/secrets.ts';
import { z } from '../shared/zod.ts';
import { notifyIncidents } from './core.ts';
import { createIncidentStore } from './incident-store.ts';
import { webApiSource } from './slack-routing.ts';

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
