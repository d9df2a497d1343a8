import { z } from '#domain/zod.ts';
import { plans } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
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
