import { pauses } from '../pause/runtime.ts';
import { drillStateSchema } from '../restore/drill-state.ts';
import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { runtimeClock } from '../shared/runtime/context.ts';
import { catalog } from '../shared/runtime/dynamo.ts';
import { planDrill } from './core.ts';

const logger = createLogger('drill-plan');

/** PlanDrill Task of RestoreDrill. */
export const handler = taskHandler({
  logger,
  input: drillStateSchema,
  run: (state) => planDrill(state, { catalog: catalog(), pauses: pauses(), clock: runtimeClock() }),
});
