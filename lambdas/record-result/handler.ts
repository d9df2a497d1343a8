import { createLogger } from '../shared/logger.ts';
import { emitBackupOutcome } from '../shared/metrics.ts';
import { taskHandler } from '../shared/middleware.ts';
import { runtimeClock, runtimeOverrides } from '../shared/runtime/context.ts';
import { catalog, locks } from '../shared/runtime/dynamo.ts';
import { backupDatabaseStateSchema } from '../shared/workflow-state.ts';
import { recordResult } from './core.ts';

const logger = createLogger('record-result');

/** RecordSuccess / RecordSkipped / RecordFailure Tasks of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) =>
    recordResult(state, {
      catalog: catalog(),
      locks: locks(),
      clock: runtimeClock(),
      // Locally there is no CloudWatch, and stdout belongs to the CLI.
      emitOutcome: runtimeOverrides().env ? undefined : emitBackupOutcome,
    }),
});
