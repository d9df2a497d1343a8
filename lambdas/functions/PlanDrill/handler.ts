import { systemClock } from '#domain/clock.ts';
import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { awsCatalog, awsPauses } from '#runtime/aws/dynamo.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { planDrill } from './core.ts';

/** PlanDrill Task of RestoreDrill, over its host's runtime. */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'catalog' | 'pauses' | 'clock'>) {
  return taskHandler({
    logger: runtime.logger('drill-plan'),
    input: drillStateSchema,
    run: async (state) =>
      planDrill(state, {
        catalog: await runtime.catalog(),
        pauses: await runtime.pauses(),
        clock: runtime.clock,
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  catalog: awsCatalog,
  pauses: awsPauses,
  clock: systemClock,
});
