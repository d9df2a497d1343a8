import { systemClock } from '#domain/clock.ts';
import { backupDatabaseStateSchema } from '#domain/workflow/workflow-state.ts';
import { awsCatalog } from '#runtime/aws/dynamo.ts';
import { awsLocks } from '#runtime/aws/locks.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsMetrics } from '#runtime/aws/metrics.ts';
import { addBackupOutcome } from '#runtime/metrics.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { recordResult } from './core.ts';

/** RecordSuccess / RecordSkipped / RecordFailure Tasks of BackupDatabase, over its host's runtime. */
export function createHandler(
  runtime: Pick<LambdaRuntime, 'logger' | 'metrics' | 'catalog' | 'locks' | 'clock'>,
) {
  const logger = runtime.logger('record-result');
  const metrics = runtime.metrics?.(logger);
  return taskHandler({
    logger,
    metrics,
    input: backupDatabaseStateSchema,
    run: async (state) =>
      recordResult(state, {
        catalog: await runtime.catalog(),
        locks: await runtime.locks(),
        clock: runtime.clock,
        emitOutcome: metrics && ((outcome) => addBackupOutcome(metrics, outcome)),
      }),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  metrics: awsMetrics,
  catalog: awsCatalog,
  locks: awsLocks,
  clock: systemClock,
});
