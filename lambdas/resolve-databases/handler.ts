import { pauses } from '../pause/runtime.ts';
import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { resolveInputSchema } from '../shared/run-state.ts';
import { runtimeClock } from '../shared/runtime/context.ts';
import { catalog, plans } from '../shared/runtime/dynamo.ts';
import { withStarRocks } from '../shared/runtime/starrocks.ts';
import { resolveDatabases } from './core.ts';

const logger = createLogger('resolve-databases');

/** ResolveDatabases Task of NightlyBackup. */
export const handler = taskHandler({
  logger,
  input: resolveInputSchema,
  run: (input) =>
    resolveDatabases(input, {
      // withStarRocks hands out the full client (backup and maintenance calls over one session); its signature
      // names only the backup half, and run-mode detection needs the other.
      starRocks: (work) => withStarRocks(input.cluster, work),
      catalog: catalog(),
      plans: plans(),
      pauses: pauses(),
      clock: runtimeClock(),
      logger,
    }),
});
