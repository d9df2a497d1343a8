import { systemClock } from '#domain/clock.ts';
import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { awsLocks } from '#runtime/aws/locks.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsWithStarRocks } from '#runtime/aws/starrocks.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { checkBackup } from './core.ts';

/** CheckBackup Task of BackupDatabase, over its host's runtime. */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'withStarRocks' | 'locks' | 'clock'>) {
  const logger = runtime.logger('check-backup');
  return taskHandler({
    logger,
    input: backupDatabaseStateSchema,
    run: async (state) =>
      checkBackup(state, {
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
