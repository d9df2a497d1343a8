import { systemClock } from '#domain/clock.ts';
import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { awsCatalog } from '#runtime/aws/dynamo.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsMetrics } from '#runtime/aws/metrics.ts';
import { addDrillFigures } from '#runtime/metrics.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { recordDrill } from './core.ts';

/** RecordDrill Task of RestoreDrill, over its host's runtime. */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'metrics' | 'catalog' | 'clock'>) {
  const logger = runtime.logger('drill-record');
  const metrics = runtime.metrics?.(logger);
  return taskHandler({
    logger,
    metrics,
    input: drillStateSchema,
    run: async (state) =>
      recordDrill(state, {
        catalog: await runtime.catalog(),
        clock: runtime.clock,
        emitDrill: metrics && ((drill) => addDrillFigures(metrics, drill)),
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  metrics: awsMetrics,
  catalog: awsCatalog,
  clock: systemClock,
});
