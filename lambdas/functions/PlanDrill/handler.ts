import { systemClock } from '#domain/clock.ts';
import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { awsCatalog, awsManifests, awsPauses } from '#runtime/aws/dynamo.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { planDrill } from './core.ts';

/** PlanDrill Task of RestoreDrill, over its host's runtime. */
export function createHandler(
  runtime: Pick<LambdaRuntime, 'logger' | 'catalog' | 'pauses' | 'clock' | 'manifests'>,
) {
  const logger = runtime.logger('drill-plan');
  return taskHandler({
    logger,
    input: drillStateSchema,
    run: async (state) =>
      planDrill(state, {
        catalog: await runtime.catalog(),
        readManifest: async (ref) => (await runtime.manifests()).readManifest(ref),
        pauses: await runtime.pauses(),
        clock: runtime.clock,
        logger,
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  catalog: awsCatalog,
  pauses: awsPauses,
  manifests: awsManifests,
  clock: systemClock,
});
