import { systemClock } from '#domain/clock.ts';
import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { awsCatalog, awsManifests } from '#runtime/aws/dynamo.ts';
import { awsLocks } from '#runtime/aws/locks.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsWithStarRocks } from '#runtime/aws/starrocks.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { submitBackup } from './core.ts';

/** SubmitBackup Task of BackupDatabase, over its host's runtime. */
export function createHandler(
  runtime: Pick<LambdaRuntime, 'logger' | 'withStarRocks' | 'locks' | 'catalog' | 'manifests' | 'clock'>,
) {
  const logger = runtime.logger('submit-backup');
  return taskHandler({
    logger,
    input: backupDatabaseStateSchema,
    run: async (state) =>
      submitBackup(state, {
        starRocks: (work) => runtime.withStarRocks(state.cluster, work),
        locks: await runtime.locks(),
        catalog: await runtime.catalog(),
        manifests: await runtime.manifests(),
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
  catalog: awsCatalog,
  manifests: awsManifests,
  clock: systemClock,
});
