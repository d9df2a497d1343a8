import { pruneTaskInputSchema } from '#domain/prune/prune-input.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { slack } from '#runtime/slack.ts';
import { notifyPruneFailure } from './core.ts';

const logger = createLogger('notify-prune-failure');

/** NotifyPruneFailure Task of NightlyBackup. */
export const handler = taskHandler({
  logger,
  input: pruneTaskInputSchema,
  run: (input) => notifyPruneFailure(input, { slack: slack(logger) }),
});
