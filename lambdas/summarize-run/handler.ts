import { createIncidentStore } from '../incidents/incident-store.ts';
import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { summarizeInputSchema } from '../shared/run-state.ts';
import { runtimeClock, runtimeEnv, runtimeOverrides } from '../shared/runtime/context.ts';
import { alerts, catalog, dynamoDocumentClient, plans } from '../shared/runtime/dynamo.ts';
import { slack } from '../shared/runtime/slack.ts';
import { checkRunSizes } from '../size-anomaly/check-sizes.ts';
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
