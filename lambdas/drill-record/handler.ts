import { drillStateSchema } from '../restore/drill-state.ts';
import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { runtimeClock } from '../shared/runtime/context.ts';
import { catalog } from '../shared/runtime/dynamo.ts';
import { recordDrill } from './core.ts';

const logger = createLogger('drill-record');

/** RecordDrill Task of RestoreDrill. */
export const handler = taskHandler({
  logger,
  input: drillStateSchema,
  run: (state) => recordDrill(state, { catalog: catalog(), clock: runtimeClock() }),
});
