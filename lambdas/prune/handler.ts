import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { runtimeClock } from '../shared/runtime/context.ts';
import { catalog, locks } from '../shared/runtime/dynamo.ts';
import { withStarRocks } from '../shared/runtime/starrocks.ts';
import { nightlyPrune } from './nightly-prune.ts';
import { pruneTaskInputSchema } from './prune-input.ts';
import { snapshotObjects } from './runtime.ts';

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
