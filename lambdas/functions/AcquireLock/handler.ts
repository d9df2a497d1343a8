import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { awsLocks } from '#runtime/aws/locks.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { acquireLock } from './core.ts';

/** AcquireLock Task of BackupDatabase, over its host's runtime. */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'locks'>) {
  return taskHandler({
    logger: runtime.logger('acquire-lock'),
    input: backupDatabaseStateSchema,
    run: async (state) => acquireLock(state, { locks: await runtime.locks() }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({ logger: awsLogger, locks: awsLocks });
