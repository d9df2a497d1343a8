import { systemClock } from '#domain/clock.ts';
import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { awsAlerts } from '#runtime/aws/dynamo.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsSlack } from '#runtime/aws/slack.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { notifyFailure } from './core.ts';

/** NotifyFailure Task of BackupDatabase, over its host's runtime. */
export function createHandler(
  runtime: Pick<LambdaRuntime, 'logger' | 'slack' | 'alerts' | 'clock' | 'observeAlert'>,
) {
  const logger = runtime.logger('notify-failure');
  return taskHandler({
    logger,
    input: backupDatabaseStateSchema,
    run: async (state) =>
      notifyFailure(state, {
        slack: runtime.slack(logger),
        alerts: await runtime.alerts(),
        clock: runtime.clock,
        observe: runtime.observeAlert,
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  slack: awsSlack,
  alerts: awsAlerts,
  clock: systemClock,
});
