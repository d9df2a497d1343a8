import { request } from 'node:https';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { systemClock } from '#domain/clock.ts';
import { type CustomResourceResponse, responseBody } from '#domain/schedules/custom-resource.ts';
import { type ScheduleSet, scheduleSetSchema } from '#domain/schedules/schedule-set.ts';
import { DEFAULT_PACING, SchedulerApi } from '#domain/schedules/scheduler-api.ts';
import { createLogger } from '#runtime/logger.ts';
import { handleScheduleSyncEvent } from './core.ts';

const logger = createLogger('sync-schedules');
// One attempt per SDK call: SchedulerApi retries throttling with its own backoff and pace, which a second layer
// of SDK retries would only multiply.
const scheduler = new SchedulerClient({ maxAttempts: 1 });
const s3 = new S3Client({});

/** Time kept back from Lambda's timeout to send the response after the last Scheduler call. */
const RESPONSE_MARGIN_MS = 30_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function readScheduleSet(bucket: string, key: string): Promise<ScheduleSet> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = (await object.Body?.transformToString('utf8')) ?? '';
  return scheduleSetSchema.parse(JSON.parse(text));
}

/** The service token of `Custom::ScheduleSync` (see custom-resource.ts). */
export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  logger.appendKeys({ requestType: event.RequestType, logicalResourceId: event.LogicalResourceId });
  const deadline = systemClock.now() + context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS;
  const response = await handleScheduleSyncEvent(event, {
    api: (pacing) =>
      new SchedulerApi({
        scheduler,
        clock: systemClock,
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
  await sendResponse(event.ResponseURL, response);
}

/**
 * PUTs the response to CloudFormation's presigned S3 URL, with an empty content type (the URL is signed without
 * one), retrying a dropped connection a few times: an answer that never arrives leaves the stack waiting.
 */
export async function sendResponse(url: string, response: CustomResourceResponse): Promise<void> {
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
