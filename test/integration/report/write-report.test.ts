// The deployed WriteReport handler over dynalite (a seeded catalog), S3 mocked at the SDK boundary and the Slack
// sink: the weekly report lands under the prefix, and the digest reaches Slack with the numbers and no bearer URL.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scheduledReport } from '#domain/report/scheduled.ts';
import { createHandler } from '#functions/WriteReport/handler.ts';
import { createLocalRuntime, type LocalRuntime } from '#local/runtime.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import { type SeededCatalog, seedReportCatalog } from '#test/support/report/seed.ts';
import { writeSeededCatalog } from '#test/support/report/sinks.ts';
import { type SlackSink, startSlackSink } from '#test/support/slack-sink.ts';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 7, 0, 0);
const REQUEST = { bucket: 'cdk-assets-123456789012-eu-west-1', key: '0123abcd.json' };
// A firing late in a day whose week holds the seed's known failure (ten nights before the seed's end): every slot
// of the week's last day is before it, so the week holds whole days of the seed's truth.
const FIRING_MS = Date.UTC(2026, 10, 25, 23, 59, 0);
const EVENT = { request: REQUEST, region: 'eu-west-1', scheduledTime: new Date(FIRING_MS).toISOString() };
const CONTEXT = {
  functionName: 'WriteReport',
  awsRequestId: 'request-1',
  getRemainingTimeInMillis: () => 600_000,
} as unknown as Context;

const s3 = mockClient(S3Client);
let dynamo: TestDynamo;
let sink: SlackSink;
let seed: SeededCatalog;
let runtime: LocalRuntime;

/** The request asset the stack would stage for the seed's configuration with `report`. */
function requestAsset(): string {
  const request = scheduledReport({
    ...seed.config,
    report: {
      schedule: { cron: '0 7 ? * MON *', timezone: 'UTC' },
      bucket: 'backup-reports',
      prefix: 'weekly/',
    },
  });
  return JSON.stringify(request);
}

function handler() {
  return createHandler({
    ...runtime,
    logger: runtime.logger,
    s3: async () => new S3Client({ region: 'eu-west-1' }),
  });
}

/** Backups done and failed in the seed's ground truth over the week the report key names. */
function seededCounts(key: string): { done: number; failed: number } {
  const firstDay = /(\d{4}-\d{2}-\d{2})_7d\.html$/.exec(key)?.[1] ?? '';
  const first = Math.round((Date.parse(`${firstDay}T00:00:00Z`) - seed.period.fromMs) / DAY_MS);
  let done = 0;
  let failed = 0;
  for (const days of seed.truth.values()) {
    for (const [day, outcome] of days) {
      if (day < first || day >= first + 7) continue;
      if (outcome === 'F') done += 1;
      if (outcome === 'X' || outcome === 'T') failed += 1;
    }
  }
  return { done, failed };
}

/** The report objects the handler put. */
const puts = () => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);

beforeAll(async () => {
  dynamo = await startTestDynamo();
  seed = seedReportCatalog({ databases: 6, days: 14, nowMs: NOW });
  await writeSeededCatalog(seed, { client: dynamo.client, tableName: dynamo.catalogTableName });
  sink = await startSlackSink();
  runtime = createLocalRuntime(
    {
      endpoint: dynamo.endpoint,
      locksTableName: dynamo.locksTableName,
      catalogTableName: dynamo.catalogTableName,
    },
    { clock: { now: () => NOW }, secretEnv: { SLACK_WEBHOOK_URL: sink.url } },
  );
});

beforeEach(() => {
  s3.reset();
  // The SDK's stream body, reduced to the one method the handler calls.
  s3.on(GetObjectCommand, { Bucket: REQUEST.bucket, Key: REQUEST.key }).callsFake(async () => ({
    Body: { transformToString: async () => requestAsset() },
  }));
  s3.on(PutObjectCommand).resolves({});
  sink.reset();
  sink.messages.length = 0;
});

afterEach(() => {
  s3.reset();
});

afterAll(async () => {
  runtime?.close();
  s3.restore();
  await sink?.close();
  await dynamo?.close();
});

describe('WriteReport', () => {
  it('writes the past week to the configured bucket, under the prefix, as one HTML object', async () => {
    await handler()(EVENT, CONTEXT);

    expect(puts()).toEqual([
      expect.objectContaining({
        Bucket: 'backup-reports',
        Key: expect.stringMatching(/^weekly\/\d{4}-\d{2}-\d{2}_7d\.html$/),
        ContentType: 'text/html; charset=utf-8',
        Body: expect.stringContaining('<!doctype html>'),
      }),
    ]);
  });

  it('posts a digest with the backups done and failed, the worst freshness and the slowest drill', async () => {
    const written = await handler()(EVENT, CONTEXT);

    const text = JSON.stringify(sink.messages[0]?.body);
    const expected = seededCounts(written.key);
    expect(expected.failed).toBeGreaterThan(0);
    expect(text).toContain(`Backup report: ${expected.done} done, ${expected.failed} failed`);
    expect(text).toMatch(/Worst freshness.*Slowest restore drill/);
  });

  it("links the object's S3 console page, and no presigned (bearer) URL", async () => {
    const written = await handler()(EVENT, CONTEXT);

    const text = JSON.stringify(sink.messages[0]?.body);
    expect(text).toContain(
      `https://eu-west-1.console.aws.amazon.com/s3/object/backup-reports?region=eu-west-1&prefix=${encodeURIComponent(written.key)}`,
    );
    expect(text).not.toMatch(/X-Amz-(Signature|Credential|Security-Token)|amazonaws\.com\/weekly/i);
  });

  it('fails after writing the report when Slack refuses the digest, so Lambda retries the invocation', async () => {
    sink.respondWith(400);

    await expect(handler()(EVENT, CONTEXT)).rejects.toMatchObject({ name: 'DependencyUnavailableError' });
    expect(puts()).toHaveLength(1);
  });
});
