import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { runtimeClock } from '#runtime/context.ts';
import { catalog } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { recordDrill } from './core.ts';

const logger = createLogger('drill-record');

/** RecordDrill Task of RestoreDrill. */
export const handler = taskHandler({
  logger,
  input: drillStateSchema,
  run: (state) => recordDrill(state, { catalog: catalog(), clock: runtimeClock() }),
});
