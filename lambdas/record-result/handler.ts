import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { runtimeClock } from '../shared/runtime/context.ts';
import { catalog, locks } from '../shared/runtime/dynamo.ts';
import { backupDatabaseStateSchema } from '../shared/workflow-state.ts';
import { recordResult } from './core.ts';

const logger = createLogger('record-result');

/** RecordSuccess / RecordSkipped / RecordFailure Tasks of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) => recordResult(state, { catalog: catalog(), locks: locks(), clock: runtimeClock() }),
});
