import { systemClock } from '#domain/clock.ts';
import { checkRunSizes } from '#domain/size-anomaly/check-sizes.ts';
import { summarizeInputSchema } from '#domain/workflow/run-state.ts';
import { awsAlerts, awsCatalog, awsIncidents, awsPlans } from '#runtime/aws/dynamo.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsSlack } from '#runtime/aws/slack.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { summarizeRun } from './core.ts';

/** SummarizeRun and NotifyRunFailure Tasks of NightlyBackup, over their host's runtime. */
export function createHandler(
  runtime: Pick<
    LambdaRuntime,
    'logger' | 'catalog' | 'plans' | 'alerts' | 'incidents' | 'slack' | 'clock' | 'observeAlert'
  >,
) {
  const logger = runtime.logger('summarize-run');
  return taskHandler({
    logger,
    input: summarizeInputSchema,
    run: async (input, { context }) => {
      const catalog = await runtime.catalog();
      const slack = runtime.slack(logger);
      return summarizeRun(input, {
        catalog,
        plans: await runtime.plans(),
        alerts: await runtime.alerts(),
        slack,
        clock: runtime.clock,
        logger,
        observe: runtime.observeAlert,
        checkSizes: async (attempts) =>
          checkRunSizes(
            {
              cluster: input.cluster.name,
              thresholds: input.cluster.sizeAnomaly,
              attempts,
              timeLeftMs: () => context.getRemainingTimeInMillis(),
            },
            { catalog, once: await runtime.incidents(), slack, logger },
          ),
      });
    },
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  catalog: awsCatalog,
  plans: awsPlans,
  alerts: awsAlerts,
  incidents: awsIncidents,
  slack: awsSlack,
  clock: systemClock,
});
