import { InvalidInputError } from '#domain/errors.ts';
import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { z } from '#domain/zod.ts';
import { runtimeClock } from '#runtime/context.ts';
import { catalog, locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { withStarRocks } from '#runtime/starrocks.ts';
import { type SettleOrphansDeps, settleEnded, settleInherited } from './core.ts';
import { endedExecutionInputSchema, settleEndedInputSchema } from './input.ts';

const logger = createLogger('settle-orphans');

function deps(): SettleOrphansDeps {
  return {
    starRocks: withStarRocks,
    locks: locks(),
    catalog: catalog(),
    clock: runtimeClock(),
    logger,
  };
}

/**
 * SettleOrphans Task: in BackupDatabase after a takeover (its whole state), and in SettleExecution after
 * EventBridge reported an execution that ended without cleaning up (`{event, settler}`).
 */
export const handler = taskHandler({
  logger,
  input: z.union([settleEndedInputSchema, backupDatabaseStateSchema]),
  run: (input) => {
    const fromEvent = settleEndedInputSchema.safeParse(input);
    if (!fromEvent.success) return settleInherited(backupDatabaseStateSchema.parse(input), deps());
    const { detail } = fromEvent.data.event;
    if (!detail.input) {
      logger.warn('the event carries no execution input; a later takeover settles what it left', {
        executionArn: detail.executionArn,
      });
      return Promise.resolve({ settled: [], alerts: [] });
    }
    const parsed = endedExecutionInputSchema.safeParse(JSON.parse(detail.input));
    if (!parsed.success)
      throw new InvalidInputError(`the ended execution's input is not one of ours: ${parsed.error.message}`);
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
      deps(),
    );
  },
});
