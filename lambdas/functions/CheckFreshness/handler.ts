import { systemClock } from '#domain/clock.ts';
import { checkFreshnessInputSchema } from '#domain/freshness/input.ts';
import { awsCatalog, awsClusterSnapshots, awsIncidents, awsPauses } from '#runtime/aws/dynamo.ts';
import { awsLocks } from '#runtime/aws/locks.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsMetrics } from '#runtime/aws/metrics.ts';
import { awsWithStarRocks } from '#runtime/aws/starrocks.ts';
import { addFreshnessFigures } from '#runtime/metrics.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { checkFreshness } from './core.ts';
import { summarizeCheck } from './summary.ts';

/** What CheckFreshness takes from its host. */
export type CheckFreshnessRuntime = Pick<
  LambdaRuntime,
  | 'logger'
  | 'metrics'
  | 'withStarRocks'
  | 'catalog'
  | 'locks'
  | 'pauses'
  | 'incidents'
  | 'clusterSnapshots'
  | 'clock'
>;

/**
 * CheckFreshness Task of FreshnessCheck (EventBridge Scheduler starts it hourly per cluster; in the VPC when the FE
 * is), over its host's runtime. Its compact summary goes on to NotifyIncidents, which posts to Slack from outside
 * the VPC.
 */
export function createHandler(runtime: CheckFreshnessRuntime) {
  const logger = runtime.logger('check-freshness');
  const metrics = runtime.metrics?.(logger);
  return taskHandler({
    logger,
    metrics,
    input: checkFreshnessInputSchema,
    run: async (input) =>
      summarizeCheck(
        await checkFreshness(input, {
          starRocks: (work) => runtime.withStarRocks(input.cluster, work),
          catalog: await runtime.catalog(),
          locks: await runtime.locks(),
          pauses: await runtime.pauses(),
          incidents: await runtime.incidents(),
          clusterSnapshots: await runtime.clusterSnapshots(),
          clock: runtime.clock,
          logger,
          emitMetrics: metrics && ((figures) => addFreshnessFigures(metrics, figures)),
        }),
      ),
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  metrics: awsMetrics,
  withStarRocks: awsWithStarRocks,
  catalog: awsCatalog,
  locks: awsLocks,
  pauses: awsPauses,
  incidents: awsIncidents,
  clusterSnapshots: awsClusterSnapshots,
  clock: systemClock,
});
