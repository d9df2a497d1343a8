import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { createMetrics } from '../metrics.ts';

/** A function's one Metrics instance (EMF on stdout, which Lambda ships to CloudWatch), named for the deployment. */
export function awsMetrics(logger: Logger): Metrics {
  return createMetrics(process.env, logger);
}
