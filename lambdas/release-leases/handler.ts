import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { locks } from '../shared/runtime/dynamo.ts';
import { backupDatabaseStateSchema } from '../shared/workflow-state.ts';
import { releaseLeases } from './core.ts';

const logger = createLogger('release-leases');

/** ReleaseAfter* Tasks of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) => releaseLeases(state, { locks: locks() }),
});
