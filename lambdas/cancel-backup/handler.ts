import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { runtimeClock } from '../shared/runtime/context.ts';
import { locks } from '../shared/runtime/dynamo.ts';
import { withStarRocks } from '../shared/runtime/starrocks.ts';
import { backupDatabaseStateSchema } from '../shared/workflow-state.ts';
import { cancelBackup } from './core.ts';

const logger = createLogger('cancel-backup');

/** CancelBackup Task of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) =>
    cancelBackup(state, {
      starRocks: (work) => withStarRocks(state.cluster, work),
      locks: locks(),
      clock: runtimeClock(),
      logger,
    }),
});
