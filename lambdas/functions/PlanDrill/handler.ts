import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { runtimeClock } from '#runtime/context.ts';
import { catalog } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { pauses } from '#runtime/pause.ts';
import { planDrill } from './core.ts';

const logger = createLogger('drill-plan');

/** PlanDrill Task of RestoreDrill. */
export const handler = taskHandler({
  logger,
  input: drillStateSchema,
  run: (state) => planDrill(state, { catalog: catalog(), pauses: pauses(), clock: runtimeClock() }),
});
