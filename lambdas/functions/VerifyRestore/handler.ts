import { drillStateSchema } from '#domain/restore/drill-state.ts';
import { awsManifests } from '#runtime/aws/dynamo.ts';
import { awsLocks } from '#runtime/aws/locks.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsWithStarRocks } from '#runtime/aws/starrocks.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { verifyDrillRestore } from './core.ts';

/** VerifyRestore Task of RestoreDrill, over its host's runtime. */
export function createHandler(
  runtime: Pick<LambdaRuntime, 'logger' | 'withStarRocks' | 'locks' | 'manifests'>,
) {
  const logger = runtime.logger('verify-restore');
  return taskHandler({
    logger,
    input: drillStateSchema,
    run: async (state) =>
      verifyDrillRestore(state, {
        starRocks: (work) => runtime.withStarRocks(state.cluster, work),
        locks: await runtime.locks(),
        readManifest: async (ref) => (await runtime.manifests()).readManifest(ref),
        logger,
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  withStarRocks: awsWithStarRocks,
  locks: awsLocks,
  manifests: awsManifests,
});
