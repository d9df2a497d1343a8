import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { runtimeClock, runtimeOverrides } from '../shared/runtime/context.ts';
import { alerts } from '../shared/runtime/dynamo.ts';
import { slack } from '../shared/runtime/slack.ts';
import { backupDatabaseStateSchema } from '../shared/workflow-state.ts';
import { notifyFailure } from './core.ts';

const logger = createLogger('notify-failure');

/** NotifyFailure Task of BackupDatabase. */
export const handler = taskHandler({
  logger,
  input: backupDatabaseStateSchema,
  run: (state) =>
    notifyFailure(state, {
      slack: slack(logger),
      alerts: alerts(),
      clock: runtimeClock(),
      observe: runtimeOverrides().observeAlert,
    }),
});
