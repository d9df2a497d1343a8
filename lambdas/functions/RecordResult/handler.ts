import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { runtimeClock, runtimeOverrides } from '#runtime/context.ts';
import { catalog, locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { emitBackupOutcome } from '#runtime/metrics.ts';
import { taskHandler } from '#runtime/middleware.ts';
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
