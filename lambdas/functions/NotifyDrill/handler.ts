import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { slack } from '#runtime/slack.ts';
import { notifyDrill } from './core.ts';

const logger = createLogger('drill-notify');

/** NotifyDrill Task of RestoreDrill. */
export const handler = taskHandler({
  logger,
  input: drillStateSchema,
  run: (state) => notifyDrill(state, { slack: slack(logger) }),
});
