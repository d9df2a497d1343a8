import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { releaseLeases } from './core.ts';

const logger = createLogger('release-leases');

/** ReleaseAfter* Tasks of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) => releaseLeases(state, { locks: locks() }),
});
