import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { summarizeInputSchema } from '../shared/run-state.ts';
import { runtimeClock, runtimeOverrides } from '../shared/runtime/context.ts';
import { alerts, catalog } from '../shared/runtime/dynamo.ts';
import { slack } from '../shared/runtime/slack.ts';
import { summarizeRun } from './core.ts';

const logger = createLogger('summarize-run');

/** SummarizeRun and NotifyRunFailure Tasks of NightlyBackup. */
export const handler = taskHandler({
  logger,
  input: summarizeInputSchema,
  run: (input) =>
    summarizeRun(input, {
      catalog: catalog(),
      alerts: alerts(),
      slack: slack(logger),
      clock: runtimeClock(),
      logger,
      observe: runtimeOverrides().observeAlert,
    }),
});
