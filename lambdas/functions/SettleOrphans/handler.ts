import { systemClock } from '#domain/clock.ts';
import { InvalidInputError } from '#domain/errors.ts';
import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { z } from '#domain/zod.ts';
import { awsCatalog, awsManifests } from '#runtime/aws/dynamo.ts';
import { awsLocks } from '#runtime/aws/locks.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsWithStarRocks } from '#runtime/aws/starrocks.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { type SettleOrphansDeps, settleEnded, settleInherited } from './core.ts';
import { endedExecutionInputSchema, settleEndedInputSchema } from './input.ts';

/**
 * SettleOrphans Task, over its host's runtime: in BackupDatabase after a takeover (its whole state), and in
 * SettleExecution after EventBridge reported an execution that ended without cleaning up (`{event, settler}`).
 */
export function createHandler(
  runtime: Pick<LambdaRuntime, 'logger' | 'withStarRocks' | 'locks' | 'catalog' | 'manifests' | 'clock'>,
) {
  const logger = runtime.logger('settle-orphans');
  const deps = async (): Promise<SettleOrphansDeps> => ({
    starRocks: runtime.withStarRocks,
    locks: await runtime.locks(),
    catalog: await runtime.catalog(),
    manifests: await runtime.manifests(),
    clock: runtime.clock,
    logger,
  });
  return taskHandler({
    logger,
    input: z.union([settleEndedInputSchema, backupDatabaseStateSchema]),
    run: async (input) => {
      const fromEvent = settleEndedInputSchema.safeParse(input);
      if (!fromEvent.success) return settleInherited(backupDatabaseStateSchema.parse(input), await deps());
      const { detail } = fromEvent.data.event;
      if (!detail.input) {
        logger.warn('the event carries no execution input; a later takeover settles what it left', {
          executionArn: detail.executionArn,
        });
        return { settled: [], alerts: [] };
      }
      const parsed = endedExecutionInputSchema.safeParse(JSON.parse(detail.input));
      if (!parsed.success)
        throw new InvalidInputError(
          `the ended execution's input is not one of ours: ${parsed.error.message}`,
        );
      const ended = parsed.data;
      const attempt =
        ended.runId && ended.schedule && ended.scheduledTime && ended.database && ended.label
          ? {
              runId: ended.runId,
              schedule: ended.schedule,
              scheduledTime: ended.scheduledTime,
              database: ended.database,
              label: ended.label,
            }
          : undefined;
      return settleEnded(
        {
          cluster: ended.cluster,
          executionArn: detail.executionArn,
          status: detail.status,
          ...(attempt ? { attempt } : {}),
          settler: fromEvent.data.settler,
          recheck: fromEvent.data.event.orphans?.recheckAfterSeconds !== undefined,
        },
        await deps(),
      );
    },
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  withStarRocks: awsWithStarRocks,
  locks: awsLocks,
  catalog: awsCatalog,
  manifests: awsManifests,
  clock: systemClock,
});
