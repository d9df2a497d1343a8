import { drillStateSchema } from '../restore/drill-state.ts';
import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { runtimeClock } from '../shared/runtime/context.ts';
import { locks } from '../shared/runtime/dynamo.ts';
import { withStarRocks } from '../shared/runtime/starrocks.ts';
import { submitDrillRestore } from './core.ts';

const logger = createLogger('submit-restore');

/** SubmitRestore Task of RestoreDrill. */
export const handler = taskHandler({
  logger,
  input: drillStateSchema,
  run: (state) =>
    submitDrillRestore(state, {
      starRocks: (work) => withStarRocks(state.cluster, work),
      locks: locks(),
      clock: runtimeClock(),
      logger,
    }),
});
