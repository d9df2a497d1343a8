import { systemClock } from '#domain/clock.ts';
import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { awsCatalog, awsManifests } from '#runtime/aws/dynamo.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { planRestore } from './core.ts';

/** PlanRestore Task of Restore (the on-demand restore), over its host's runtime. */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'catalog' | 'clock' | 'manifests'>) {
  return taskHandler({
    logger: runtime.logger('restore-plan'),
    input: drillStateSchema,
    run: async (state) =>
      planRestore(state, {
        catalog: await runtime.catalog(),
        readManifest: async (ref) => (await runtime.manifests()).readManifest(ref),
        clock: runtime.clock,
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  catalog: awsCatalog,
  manifests: awsManifests,
  clock: systemClock,
});
