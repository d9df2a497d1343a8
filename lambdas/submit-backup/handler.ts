import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { runtimeClock } from '../shared/runtime/context.ts';
import { catalog, locks } from '../shared/runtime/dynamo.ts';
import { withStarRocks } from '../shared/runtime/starrocks.ts';
import { backupDatabaseStateSchema } from '../shared/workflow-state.ts';
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
