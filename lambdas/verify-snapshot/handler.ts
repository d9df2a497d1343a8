import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { locks } from '../shared/runtime/dynamo.ts';
import { withStarRocks } from '../shared/runtime/starrocks.ts';
import { backupDatabaseStateSchema } from '../shared/workflow-state.ts';
import { verifySnapshot } from './core.ts';

const logger = createLogger('verify-snapshot');

/** VerifySnapshot Task of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) =>
    verifySnapshot(state, {
      starRocks: (work) => withStarRocks(state.cluster, work),
      locks: locks(),
      logger,
    }),
});
