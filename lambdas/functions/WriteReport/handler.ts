import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { systemClock } from '#domain/clock.ts';
import { writeReportInputSchema } from '#domain/report/scheduled.ts';
import { awsCatalog, awsIncidents, awsPauses } from '#runtime/aws/dynamo.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsReportAssets } from '#runtime/aws/report-assets.ts';
import { awsS3 } from '#runtime/aws/s3.ts';
import { awsSlack } from '#runtime/aws/slack.ts';
import { taskHandler } from '#runtime/middleware.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { writeReport } from './core.ts';

/** The weekly report, invoked by its EventBridge Scheduler schedule (no state machine), over its host's runtime. */
export function createHandler(
  runtime: Pick<
    LambdaRuntime,
    'logger' | 'catalog' | 'pauses' | 'incidents' | 'slack' | 's3' | 'reportAssets' | 'clock'
  >,
) {
  const logger = runtime.logger('write-report');
  return taskHandler({
    logger,
    input: writeReportInputSchema,
    run: async (input) => {
      const s3 = await runtime.s3();
      const slack = runtime.slack(logger);
      return writeReport(input, {
        catalog: await runtime.catalog(),
        pauses: await runtime.pauses(),
        incidents: await runtime.incidents(),
        clock: runtime.clock,
        assets: runtime.reportAssets(),
        async readObject({ bucket, key }) {
          const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return (await object.Body?.transformToString('utf8')) ?? '';
        },
        async putObject({ bucket, key, body }) {
          await s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: body,
              ContentType: 'text/html; charset=utf-8',
            }),
          );
        },
        postDigest: (message) => slack.postMessage(message, 'report-digest'),
        logger,
      });
    },
  });
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  catalog: awsCatalog,
  pauses: awsPauses,
  incidents: awsIncidents,
  slack: awsSlack,
  s3: () => awsS3(),
  reportAssets: awsReportAssets,
  clock: systemClock,
});
