import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { acquireLock } from './core.ts';

const logger = createLogger('acquire-lock');

/** AcquireLock Task of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) => acquireLock(state, { locks: locks() }),
});
