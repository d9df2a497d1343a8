import { systemClock } from '#domain/clock.ts';
import { resolveInputSchema } from '#domain/workflow/run-state.ts';
import { awsCatalog, awsPauses, awsPlans } from '#runtime/aws/dynamo.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsWithStarRocks } from '#runtime/aws/starrocks.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';

/** ResolveDatabases Task of NightlyBackup, over its host's runtime. */
export function createHandler(
  runtime: Pick<LambdaRuntime, 'logger' | 'withStarRocks' | 'catalog' | 'plans' | 'pauses' | 'clock'>,
) {
  const logger = runtime.logger('resolve-databases');
  return taskHandler({
    logger,
    input: resolveInputSchema,
    // The core (cluster detection, planning, labels) is evaluated on the first invocation, not at cold start: the
    // function's initialisation stays within 1.5× a bare handler (bench §2).
    run: async (input) =>
      (await import('./core.ts')).resolveDatabases(input, {
        // The access hands out the full client (backup and maintenance calls over one session); the core's type
        // names only the backup half, and run-mode detection needs the other.
        starRocks: (work) => runtime.withStarRocks(input.cluster, work),
        catalog: await runtime.catalog(),
        plans: await runtime.plans(),
        pauses: await runtime.pauses(),
        clock: runtime.clock,
        logger,
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  withStarRocks: awsWithStarRocks,
  catalog: awsCatalog,
  plans: awsPlans,
  pauses: awsPauses,
  clock: systemClock,
});
