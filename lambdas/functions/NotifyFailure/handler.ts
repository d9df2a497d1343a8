import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { runtimeClock, runtimeOverrides } from '#runtime/context.ts';
import { alerts } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { slack } from '#runtime/slack.ts';
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
