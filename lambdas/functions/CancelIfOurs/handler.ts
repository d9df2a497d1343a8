import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { withStarRocks } from '#runtime/starrocks.ts';
import { cancelIfOurs } from './core.ts';

const logger = createLogger('cancel-if-ours');

/** CancelIfOurs Task of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) =>
    cancelIfOurs(state, {
      starRocks: (work) => withStarRocks(state.cluster, work),
      locks: locks(),
      logger,
    }),
});
