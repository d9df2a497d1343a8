import { resolveInputSchema } from '#domain/workflow/run-state.ts';
import { runtimeClock } from '#runtime/context.ts';
import { catalog, plans } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { pauses } from '#runtime/pause.ts';
import { withStarRocks } from '#runtime/starrocks.ts';
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
