import { createLogger } from '../shared/logger.ts';
import { taskHandler } from '../shared/middleware.ts';
import { plans } from '../shared/runtime/dynamo.ts';
import { z } from '../shared/zod.ts';
import { claimDatabase } from './core.ts';

const logger = createLogger('claim-database');

/** ClaimDatabase Task of BackupLane. */
export const handler = taskHandler({
  logger,
  input: z.looseObject({
    runId: z.string().min(1),
    lane: z.number().int().nonnegative(),
    iteration: z.number().int().nonnegative(),
  }),
  run: (input) => claimDatabase(input, { plans: plans() }),
});
