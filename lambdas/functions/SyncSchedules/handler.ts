import { request } from 'node:https';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { systemClock } from '#domain/clock.ts';
import type { AppLogger } from '#domain/logger.ts';
import { type CustomResourceResponse, responseBody } from '#domain/schedules/custom-resource.ts';
import { type ScheduleSet, scheduleSetSchema } from '#domain/schedules/schedule-set.ts';
import { DEFAULT_PACING, SchedulerApi } from '#domain/schedules/scheduler-api.ts';
import { awsLogger } from '#runtime/aws/logger.ts';
import { awsS3 } from '#runtime/aws/s3.ts';
import { awsScheduler } from '#runtime/aws/scheduler.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import { handleScheduleSyncEvent } from './core.ts';

/** Time kept back from Lambda's timeout to send the response after the last Scheduler call. */
const RESPONSE_MARGIN_MS = 30_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The service token of `Custom::ScheduleSync` (see custom-resource.ts), over its host's runtime. */
export function createHandler(runtime: Pick<LambdaRuntime, 'logger' | 'scheduler' | 's3' | 'clock'>) {
  const logger = runtime.logger('sync-schedules');
  const { clock } = runtime;

  async function readScheduleSet(bucket: string, key: string): Promise<ScheduleSet> {
    const s3 = await runtime.s3();
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = (await object.Body?.transformToString('utf8')) ?? '';
    return scheduleSetSchema.parse(JSON.parse(text));
  }

  return async (event: CloudFormationCustomResourceEvent, context: Context): Promise<void> => {
    logger.appendKeys({ requestType: event.RequestType, logicalResourceId: event.LogicalResourceId });
    const deadline = clock.now() + context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS;
    const scheduler = await runtime.scheduler();
    const response = await handleScheduleSyncEvent(event, {
      api: (pacing) =>
        new SchedulerApi({
          scheduler,
          clock,
          sleep,
          random: Math.random,
          pacing: { ...DEFAULT_PACING, ...pacing },
          deadline,
        }),
      readScheduleSet,
      logger,
    });
    logger.info('schedule sync answered', {
      status: response.Status,
      data: response.Data,
      reason: response.Reason,
    });
    await sendResponse(event.ResponseURL, response, logger);
  };
}

/** The deployed entry point. */
export const handler = createHandler({
  logger: awsLogger,
  scheduler: awsScheduler,
  s3: () => awsS3(),
  clock: systemClock,
});

/**
 * PUTs the response to CloudFormation's presigned S3 URL, with an empty content type (the URL is signed without
 * one), retrying a dropped connection a few times: an answer that never arrives leaves the stack waiting.
 */
async function sendResponse(url: string, response: CustomResourceResponse, logger: AppLogger): Promise<void> {
  const body = responseBody(response);
  for (let attempt = 1; ; attempt++) {
    try {
      await put(url, body);
      return;
    } catch (error) {
      if (attempt >= 4) throw error;
      logger.warn('response not delivered, retrying', { attempt, error: String(error) });
      await sleep(1000 * attempt);
    }
  }
}

function put(url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(body, 'utf8') },
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          (res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode ?? '?'}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('response upload timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
