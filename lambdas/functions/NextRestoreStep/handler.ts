import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { awsLocks } from '#runtime/aws/locks.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsWithStarRocks } from '#runtime/aws/starrocks.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { nextRestoreStep } from './core.ts';

/** NextRestoreStep Task of RestoreDrill (a chain's drops between two RESTOREs), over its host's runtime. */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'withStarRocks' | 'locks'>) {
  const logger = runtime.logger('next-restore-step');
  return taskHandler({
    logger,
    input: drillStateSchema,
    run: async (state) =>
      nextRestoreStep(state, {
        starRocks: (work) => runtime.withStarRocks(state.cluster, work),
        locks: await runtime.locks(),
        logger,
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({ logger: awsLogger, withStarRocks: awsWithStarRocks, locks: awsLocks });
