import { pruneTaskInputSchema } from '#domain/prune/prune-input.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsSlack } from '#runtime/aws/slack.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { notifyPruneFailure } from './core.ts';

/** NotifyPruneFailure Task of NightlyBackup, over its host's runtime. */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'slack'>) {
  const logger = runtime.logger('notify-prune-failure');
  return taskHandler({
    logger,
    input: pruneTaskInputSchema,
    run: async (input) => notifyPruneFailure(input, { slack: runtime.slack(logger) }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({ logger: awsLogger, slack: awsSlack });
