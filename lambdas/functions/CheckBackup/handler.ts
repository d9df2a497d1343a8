import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { runtimeClock } from '#runtime/context.ts';
import { locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { withStarRocks } from '#runtime/starrocks.ts';
import { checkBackup } from './core.ts';

const logger = createLogger('check-backup');

/** CheckBackup Task of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) =>
    checkBackup(state, {
      starRocks: (work) => withStarRocks(state.cluster, work),
      locks: locks(),
      clock: runtimeClock(),
      logger,
    }),
});
