import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsSlack } from '#runtime/aws/slack.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { notifyDrill } from './core.ts';

/** NotifyDrill Task of RestoreDrill, over its host's runtime. */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'slack'>) {
  const logger = runtime.logger('drill-notify');
  return taskHandler({
    logger,
    input: drillStateSchema,
    run: async (state) => notifyDrill(state, { slack: runtime.slack(logger) }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({ logger: awsLogger, slack: awsSlack });
