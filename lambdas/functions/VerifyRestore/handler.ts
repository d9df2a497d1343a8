import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { withStarRocks } from '#runtime/starrocks.ts';
import { verifyDrillRestore } from './core.ts';

const logger = createLogger('verify-restore');

/** VerifyRestore Task of RestoreDrill. */
export const handler = taskHandler({
  logger,
  input: drillStateSchema,
  run: (state) =>
    verifyDrillRestore(state, {
      starRocks: (work) => withStarRocks(state.cluster, work),
      locks: locks(),
      logger,
    }),
});
