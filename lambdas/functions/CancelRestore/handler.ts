import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { withStarRocks } from '#runtime/starrocks.ts';
import { cancelDrillRestore } from './core.ts';

const logger = createLogger('cancel-restore');

/** CancelRestoreAtDeadline and CancelRestoreIfOurs Tasks of RestoreDrill. */
export const handler = taskHandler({
  logger,
  input: drillStateSchema,
  run: (state) =>
    cancelDrillRestore(state, {
      starRocks: (work) => withStarRocks(state.cluster, work),
      locks: locks(),
      logger,
    }),
});
