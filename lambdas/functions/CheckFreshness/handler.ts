import { createClusterSnapshotRecords } from '#domain/catalog/index.ts';
import { type CheckFreshnessInput, checkFreshnessInputSchema } from '#domain/freshness/input.ts';
import { emitFreshnessMetrics } from '#domain/freshness/metrics.ts';
import { createIncidentStore } from '#domain/incidents/incident-store.ts';
import { runtimeClock, runtimeEnv, runtimeOverrides } from '#runtime/context.ts';
import { catalog, dynamoDocumentClient, locks } from '#runtime/dynamo.ts';
import { createLogger } from '#runtime/logger.ts';
import { taskHandler } from '#runtime/middleware.ts';
import { pauses } from '#runtime/pause.ts';
import { withStarRocks } from '#runtime/starrocks.ts';
import { type CheckFreshnessDeps, checkFreshness } from './core.ts';
import { summarizeCheck } from './summary.ts';

const logger = createLogger('check-freshness');

/** The checker's dependencies from the runtime (deployed: AWS; locally: the overrides of the local runner). */
export function checkFreshnessDeps(input: CheckFreshnessInput): CheckFreshnessDeps {
  const clock = runtimeClock();
  const tableName = runtimeEnv().catalogTableName;
  return {
    starRocks: (work) => withStarRocks(input.cluster, work),
    catalog: catalog(),
    locks: locks(),
    pauses: pauses(),
    incidents: createIncidentStore({ client: dynamoDocumentClient(), tableName, clock }),
    clusterSnapshots: createClusterSnapshotRecords({ client: dynamoDocumentClient(), tableName, clock }),
    clock,
    logger,
    emitMetrics: runtimeOverrides().env ? undefined : emitFreshnessMetrics,
  };
}

/**
 * CheckFreshness Task of FreshnessCheck (EventBridge Scheduler starts it hourly per cluster; in the VPC when the FE
 * is). Its compact summary goes on to NotifyIncidents, which posts to Slack from outside the VPC.
 */
export const handler = taskHandler({
  logger,
  input: checkFreshnessInputSchema,
  run: async (input) => summarizeCheck(await checkFreshness(input, checkFreshnessDeps(input))),
});
