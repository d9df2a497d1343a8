import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { runtimeClock } from '#runtime/context.ts';
import { catalog, locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { withStarRocks } from '#runtime/starrocks.ts';
import { submitBackup } from './core.ts';

const logger = createLogger('submit-backup');

/** SubmitBackup Task of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) =>
    submitBackup(state, {
      starRocks: (work) => withStarRocks(state.cluster, work),
      locks: locks(),
      catalog: catalog(),
      clock: runtimeClock(),
      logger,
    }),
});
