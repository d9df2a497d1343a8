import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { awsLocks } from '#runtime/aws/locks.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { acquireSlot } from './core.ts';

/** AcquireSlot Task of BackupDatabase, over its host's runtime. */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'locks'>) {
  return taskHandler({
    logger: runtime.logger('acquire-slot'),
    input: backupDatabaseStateSchema,
    run: async (state) => acquireSlot(state, { locks: await runtime.locks() }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({ logger: awsLogger, locks: awsLocks });
