import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { acquireSlot } from './core.ts';

const logger = createLogger('acquire-slot');

/** AcquireSlot Task of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) => acquireSlot(state, { locks: locks() }),
});
