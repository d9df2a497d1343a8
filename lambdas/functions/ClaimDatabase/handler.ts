import { z } from '#domain/zod.ts';
import { awsPlans } from '#runtime/aws/dynamo.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { claimDatabase } from './core.ts';

/** ClaimDatabase Task of BackupLane, over its host's runtime. */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'plans'>) {
  return taskHandler({
    logger: runtime.logger('claim-database'),
    input: z.looseObject({
      runId: z.string().min(1),
      lane: z.number().int().nonnegative(),
      iteration: z.number().int().nonnegative(),
    }),
    run: async (input) => claimDatabase(input, { plans: await runtime.plans() }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({ logger: awsLogger, plans: awsPlans });
