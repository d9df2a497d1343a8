import { systemClock } from '#domain/clock.ts';
import { slackSchema } from '#domain/config/index.ts';
import { z } from '#domain/zod.ts';
import { awsIncidents } from '#runtime/aws/dynamo.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsSlack } from '#runtime/aws/slack.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { notifyIncidents } from './core.ts';

/** The notifier's input: the cluster's name and the Slack section of the check's input. */
export const notifyIncidentsInputSchema = z.looseObject({
  cluster: z.string().min(1).max(64),
  slack: slackSchema.optional(),
});

/**
 * NotifyIncidents Task of FreshnessCheck: posts a cluster's pending incident messages to Slack (outside any VPC),
 * through the cluster's own Slack routing; over its host's runtime.
 */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'incidents' | 'slack' | 'clock'>) {
  const logger = runtime.logger('notify-incidents');
  return taskHandler({
    logger,
    input: notifyIncidentsInputSchema,
    run: async (input) =>
      notifyIncidents(input.cluster, {
        incidents: await runtime.incidents(),
        slack: runtime.slack(logger, input.slack),
        clock: runtime.clock,
        logger,
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  incidents: awsIncidents,
  slack: awsSlack,
  clock: systemClock,
});
