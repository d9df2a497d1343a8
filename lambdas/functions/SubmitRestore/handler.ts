import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { runtimeClock } from '#runtime/context.ts';
import { locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { withStarRocks } from '#runtime/starrocks.ts';
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
