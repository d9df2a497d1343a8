import { systemClock } from '#domain/clock.ts';
import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { awsLocks } from '#runtime/aws/locks.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsWithStarRocks } from '#runtime/aws/starrocks.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { submitDrillRestore } from './core.ts';

/** SubmitRestore Task of RestoreDrill, over its host's runtime. */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'withStarRocks' | 'locks' | 'clock'>) {
  const logger = runtime.logger('submit-restore');
  return taskHandler({
    logger,
    input: drillStateSchema,
    run: async (state) =>
      submitDrillRestore(state, {
        starRocks: (work) => runtime.withStarRocks(state.cluster, work),
        locks: await runtime.locks(),
        clock: runtime.clock,
        logger,
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  withStarRocks: awsWithStarRocks,
  locks: awsLocks,
  clock: systemClock,
});
