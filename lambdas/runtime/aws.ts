/**
 * The composition root of the deployed functions: every part of {@link LambdaRuntime} over AWS. Each part lives in
 * its own module under aws/, one per SDK client family, and a handler imports the parts it uses from there: esbuild
 * keeps every `@aws-sdk/*` import of a bundled module, used or not, so one module holding every client would make
 * every function load all five SDK clients at cold start. This object assembles them all, for reading and for tests.
 */
import { systemClock } from '#domain/clock.ts';
import {
  awsAlerts,
  awsCatalog,
  awsClusterSnapshots,
  awsIncidents,
  awsManifests,
  awsPauses,
  awsPlans,
} from './aws/dynamo.ts';
import { awsLocks } from './aws/locks.ts';
import { awsLogger } from './aws/logger.ts';
import { awsMetrics } from './aws/metrics.ts';
import { awsReportAssets } from './aws/report-assets.ts';
import { awsS3, awsSnapshotObjects } from './aws/s3.ts';
import { awsScheduler } from './aws/scheduler.ts';
import { awsSlack } from './aws/slack.ts';
import { awsWithStarRocks } from './aws/starrocks.ts';
import type { LambdaRuntime } from './runtime.ts';

/** Everything a deployed handler may take, over AWS. */
export const awsRuntime: LambdaRuntime = {
  clock: systemClock,
  logger: awsLogger,
  metrics: awsMetrics,
  locks: awsLocks,
  catalog: awsCatalog,
  manifests: awsManifests,
  alerts: awsAlerts,
  plans: awsPlans,
  pauses: awsPauses,
  incidents: awsIncidents,
  clusterSnapshots: awsClusterSnapshots,
  withStarRocks: awsWithStarRocks,
  slack: awsSlack,
  snapshotObjects: awsSnapshotObjects,
  scheduler: awsScheduler,
  s3: () => awsS3(),
  reportAssets: awsReportAssets,
};
