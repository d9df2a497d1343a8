import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { locks } from '../shared/runtime/dynamo.ts';
import { backupDatabaseStateSchema } from '../shared/workflow-state.ts';
import { acquireLock } from './core.ts';

const logger = createLogger('acquire-lock');

/** AcquireLock Task of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) => acquireLock(state, { locks: locks() }),
});
