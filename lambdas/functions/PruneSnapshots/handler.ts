import { systemClock } from '#domain/clock.ts';
import { pruneTaskInputSchema } from '#domain/prune/prune-input.ts';
import { awsCatalog, awsManifests } from '#runtime/aws/dynamo.ts';
import { awsLocks } from '#runtime/aws/locks.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsSnapshotObjects } from '#runtime/aws/s3.ts';
import { awsWithStarRocks } from '#runtime/aws/starrocks.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { nightlyPrune } from './core.ts';

/** Stop starting removals this close to the Lambda timeout; the rest waits for the next prune. */
const STOP_BEFORE_TIMEOUT_MS = 60_000;

/** PruneSnapshots Task of NightlyBackup (applies the cluster's retention after the run), over its host's runtime. */
export function createHandler(
  runtime: Pick<
    LambdaRuntime,
    'logger' | 'catalog' | 'manifests' | 'locks' | 'withStarRocks' | 'snapshotObjects' | 'clock'
  >,
) {
  const logger = runtime.logger('prune-snapshots');
  return taskHandler({
    logger,
    input: pruneTaskInputSchema,
    run: async (input, { context }) =>
      nightlyPrune(input, {
        catalog: await runtime.catalog(),
        manifests: await runtime.manifests(),
        locks: await runtime.locks(),
        // The access hands out the full client; the core's type names only the backup half.
        withFrontEnd: (work) => runtime.withStarRocks(input.cluster, work),
        objects: await runtime.snapshotObjects(input.cluster.retention),
        clock: runtime.clock,
        logger,
        shouldStop: () => context.getRemainingTimeInMillis() < STOP_BEFORE_TIMEOUT_MS,
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  catalog: awsCatalog,
  manifests: awsManifests,
  locks: awsLocks,
  withStarRocks: awsWithStarRocks,
  snapshotObjects: awsSnapshotObjects,
  clock: systemClock,
});
