import { drillStateSchema } from '../restore/drill-state.ts';
import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { locks } from '../shared/runtime/dynamo.ts';
import { withStarRocks } from '../shared/runtime/starrocks.ts';
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
