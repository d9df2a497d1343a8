import { createIncidentStore } from '#domain/incidents/incident-store.ts';
import { checkRunSizes } from '#domain/size-anomaly/check-sizes.ts';
import { summarizeInputSchema } from '#domain/workflow/run-state.ts';
import { runtimeClock, runtimeEnv, runtimeOverrides } from '#runtime/context.ts';
import { alerts, catalog, dynamoDocumentClient, plans } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { slack } from '#runtime/slack.ts';
import { summarizeRun } from './core.ts';

const logger = createLogger('summarize-run');

/** SummarizeRun and NotifyRunFailure Tasks of NightlyBackup. */
export const handler = taskHandler({
  logger,
  input: summarizeInputSchema,
  run: (input, { context }) => {
    const clock = runtimeClock();
    return summarizeRun(input, {
      catalog: catalog(),
      plans: plans(),
      alerts: alerts(),
      slack: slack(logger),
      clock,
      logger,
      observe: runtimeOverrides().observeAlert,
      checkSizes: (attempts) =>
        checkRunSizes(
          {
            cluster: input.cluster.name,
            thresholds: input.cluster.sizeAnomaly,
            attempts,
            timeLeftMs: () => context.getRemainingTimeInMillis(),
          },
          {
            catalog: catalog(),
            once: createIncidentStore({
              client: dynamoDocumentClient(),
              tableName: runtimeEnv().catalogTableName,
              clock,
            }),
            slack: slack(logger),
            logger,
          },
        ),
    });
  },
});
