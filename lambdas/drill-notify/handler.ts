import { drillStateSchema } from '../restore/drill-state.ts';
import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { slack } from '../shared/runtime/slack.ts';
import { notifyDrill } from './core.ts';

const logger = createLogger('drill-notify');

/** NotifyDrill Task of RestoreDrill. */
export const handler = taskHandler({
  logger,
  input: drillStateSchema,
  run: (state) => notifyDrill(state, { slack: slack(logger) }),
});
