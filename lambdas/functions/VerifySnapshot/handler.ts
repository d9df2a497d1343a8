import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { awsCatalog } from '#runtime/aws/dynamo.ts';
import { awsLocks } from '#runtime/aws/locks.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsWithStarRocks } from '#runtime/aws/starrocks.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { verifySnapshot } from './core.ts';

/** VerifySnapshot Task of BackupDatabase, over its host's runtime. */
export function createHandler(
  runtime: Pick<LambdaRuntime, 'logger' | 'withStarRocks' | 'locks' | 'catalog'>,
) {
  const logger = runtime.logger('verify-snapshot');
  return taskHandler({
    logger,
    input: backupDatabaseStateSchema,
    run: async (state) =>
      verifySnapshot(state, {
        starRocks: (work) => runtime.withStarRocks(state.cluster, work),
        locks: await runtime.locks(),
        catalog: await runtime.catalog(),
        logger,
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  withStarRocks: awsWithStarRocks,
  locks: awsLocks,
  catalog: awsCatalog,
});
