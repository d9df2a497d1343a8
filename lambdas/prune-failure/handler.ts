import { pruneTaskInputSchema } from '../prune/prune-input.ts';
import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { slack } from '../shared/runtime/slack.ts';
import { notifyPruneFailure } from './core.ts';

const logger = createLogger('notify-prune-failure');

/** NotifyPruneFailure Task of NightlyBackup. */
export const handler = taskHandler({
  logger,
  input: pruneTaskInputSchema,
  run: (input) => notifyPruneFailure(input, { slack: slack(logger) }),
});
