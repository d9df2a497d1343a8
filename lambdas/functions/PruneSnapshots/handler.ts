import { pruneTaskInputSchema } from '#domain/prune/prune-input.ts';
import { runtimeClock } from '#runtime/context.ts';
import { catalog, locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { snapshotObjects } from '#runtime/prune.ts';
import { withStarRocks } from '#runtime/starrocks.ts';
import { nightlyPrune } from './core.ts';

const logger = createLogger('prune-snapshots');

/** Stop starting removals this close to the Lambda timeout; the rest waits for the next prune. */
const STOP_BEFORE_TIMEOUT_MS = 60_000;

/** PruneSnapshots Task of NightlyBackup: applies the cluster's retention after the run. */
export const handler = taskHandler({
  logger,
  input: pruneTaskInputSchema,
  run: (input, { context }) =>
    nightlyPrune(input, {
      catalog: catalog(),
      locks: locks(),
      // withStarRocks hands out the full client; its signature names only the backup half.
      withFrontEnd: (work) => withStarRocks(input.cluster, work),
      objects: snapshotObjects(input.cluster.retention),
      clock: runtimeClock(),
      logger,
      shouldStop: () => context.getRemainingTimeInMillis() < STOP_BEFORE_TIMEOUT_MS,
    }),
});
