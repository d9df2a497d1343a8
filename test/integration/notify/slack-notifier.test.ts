import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretUnavailableError } from '#domain/errors.ts';
import type { AppLogger } from '#domain/logger.ts';
import type { BackupFailureDetails } from '#domain/notify/backup-failure-message.ts';
import type { RunSummary } from '#domain/notify/run-summary-message.ts';
import type { SlackDeliveryResult } from '#domain/notify/slack-delivery.ts';
import type { SlackMessage } from '#domain/notify/slack-message.ts';
import { createSlackNotifier, type SlackNotifierOptions } from '#domain/notify/slack-notifier.ts';
import { type SlackSink, startSlackSink } from '#test/support/slack-sink.ts';

interface LogEntry {
  level: string;
  args: unknown[];
}

function capturingLogger(): { logger: AppLogger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record =
    (level: string) =>
    (...args: unknown[]): void => {
      entries.push({ level, args });
    };
  return {
    entries,
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  };
}

const failure: BackupFailureDetails = {
  cluster: 'prod',
  database: 'sales',
  label: 'nightly_sales_20261124T1800Z_3f9a1c',
  state: 'FAILED',
  reason:
    '[COMMON_ERROR, msg: failed to choose replica to make snapshot for tablet 10087. visible version: 12]',
  startedAt: '2026-11-24T18:00:05Z',
  finishedAt: '2026-11-24T18:47:35Z',
  executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:BackupDatabase:sales-3f9a1c-1',
};

const summary: RunSummary = {
  cluster: 'prod',
  schedule: 'nightly',
  scheduledTime: '2026-11-24T18:00:00Z',
  results: [
    ...Array.from({ length: 300 }, (_, index) => ({
      database: `db_${index}`,
      state: 'FAILED' as const,
      reason: `[BAD_CONNECTION, msg: upload failed for tablet ${index}]`,
    })),
    { database: 'events', state: 'TIMED_OUT', reason: 'deadline' },
    { database: 'scratch', state: 'SKIPPED', reason: 'lock-held by exec-42' },
    { database: 'sales', state: 'FINISHED' },
  ],
  alertsPosted: 3,
};

describe('Slack notifier over HTTP', () => {
  let sink: SlackSink;
  let sleeps: number[];
  let log: ReturnType<typeof capturingLogger>;

  const notifier = (overrides: Partial<SlackNotifierOptions> = {}) =>
    createSlackNotifier({
      webhookUrl: async () => sink.url,
      logger: log.logger,
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      random: () => 0.5,
      ...overrides,
    });

  const posted = (index = 0): SlackMessage => sink.requests[index]?.body as SlackMessage;

  beforeEach(async () => {
    sink = await startSlackSink();
    sleeps = [];
    log = capturingLogger();
  });

  afterEach(async () => {
    await sink.close();
  });

  it('posts a failure alert a person can act on', async () => {
    const result = await notifier().postBackupFailure(failure);

    expect(result).toEqual({ delivered: true, attempts: 1 });
    const [message] = await sink.waitForMessages(1);
    const body = message?.body as SlackMessage;
    const blocks = JSON.stringify(body.blocks);
    expect(blocks).toContain('`prod`');
    expect(blocks).toContain('`sales`');
    expect(blocks).toContain('`nightly_sales_20261124T1800Z_3f9a1c`');
    expect(blocks).toContain('*FAILED*');
    expect(blocks).toContain('failed to choose replica to make snapshot for tablet 10087');
    expect(blocks).toContain('47 min 30 s');
    expect(blocks).toContain(
      'https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/',
    );
    expect(body.text).toContain('Backup FAILED: prod/sales');
  });

  it('posts a run summary whose lists stay within Slack limits', async () => {
    const result = await notifier().postRunSummary(summary);

    expect(result.delivered).toBe(true);
    const body = posted();
    const sections = body.blocks.flatMap((block) =>
      block.type === 'section' && block.text ? [block.text.text] : [],
    );
    const failed = sections.find((text) => text.startsWith('*Failed (300)*')) ?? '';
    expect(failed).toMatch(/…and \d+ more$/);
    expect(failed.length).toBeLessThanOrEqual(3000);
    expect(sections.find((text) => text.startsWith('*Timed out (1)*'))).toContain('`events` — deadline');
    expect(sections.find((text) => text.startsWith('*Skipped (1)*'))).toContain(
      '`scratch` — lock-held by exec-42',
    );
    expect(JSON.stringify(body.blocks)).toContain('3 posted, 298 held back');
  });

  it('retries a 500 with backoff, then reports the failure without throwing', async () => {
    sink.respondWith(500);

    const result = await notifier().postBackupFailure(failure);

    expect(result).toMatchObject({ delivered: false, attempts: 3 });
    expect((result as { error: string }).error).toContain('HTTP 500');
    expect(sink.requests).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
    expect(log.entries.some((entry) => entry.level === 'error')).toBe(true);
  });

  it('delivers once Slack recovers from a 503', async () => {
    sink.respondWith(503, 1);

    const result = await notifier().postBackupFailure(failure);

    expect(result).toEqual({ delivered: true, attempts: 2 });
    expect(sink.messages).toHaveLength(1);
  });

  it("waits a 429's Retry-After before trying again", async () => {
    sink.respondWith(429, 1, { retryAfterSeconds: 2 });

    const result = await notifier().postRunSummary(summary);

    expect(result).toEqual({ delivered: true, attempts: 2 });
    expect(sleeps).toEqual([2000]);
  });

  it('gives up at once when Retry-After is longer than it may wait', async () => {
    sink.respondWith(429, 1, { retryAfterSeconds: 120 });

    const result = await notifier().postBackupFailure(failure);

    expect(result).toMatchObject({ delivered: false, attempts: 1 });
    expect((result as { error: string }).error).toContain('Retry-After 120 s');
    expect(sleeps).toEqual([]);
  });

  it('does not retry a message Slack refuses', async () => {
    sink.respondWith(400, 1);

    const result = await notifier().postBackupFailure(failure);

    expect(result).toMatchObject({ delivered: false, attempts: 1 });
    expect((result as { error: string }).error).toContain('HTTP 400 (invalid_payload)');
  });

  it('bounds a hanging webhook by the timeout', async () => {
    sink.respondWith('hang');
    const started = performance.now();

    const result = await notifier({ timeoutMs: 200, maxAttempts: 2 }).postBackupFailure(failure);

    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ delivered: false, attempts: 2 });
    expect((result as { error: string }).error).toContain('no answer from Slack within 200 ms');
    expect(sink.requests).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(380);
    expect(elapsed).toBeLessThan(2000);
  });

  it('bounds the whole delivery by its total time', async () => {
    sink.respondWith('hang');
    const started = performance.now();

    const result = await notifier({ timeoutMs: 200, maxAttempts: 10, totalTimeoutMs: 500 }).postRunSummary(
      summary,
    );

    expect(result.delivered).toBe(false);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(sink.requests.length).toBeLessThanOrEqual(3);
  });

  it('retries when Slack cannot be reached at all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const result = await notifier({
      webhookUrl: async () => `http://127.0.0.1:${port}/services/T1/B2/unreachableSECRET`,
    }).postBackupFailure(failure);

    expect(result).toMatchObject({ delivered: false, attempts: 3 });
    expect((result as { error: string }).error).toContain('could not reach Slack');
    expect((result as { error: string }).error).not.toContain('unreachableSECRET');
  });

  it('never lets the webhook URL into a result or a log line', async () => {
    const secret = new URL(sink.url).pathname;
    const results: SlackDeliveryResult[] = [];
    sink.respondWith(500, 3);
    results.push(await notifier().postBackupFailure(failure));
    sink.respondWith(429, 1, { retryAfterSeconds: 600 });
    results.push(await notifier().postRunSummary(summary));
    sink.respondWith('hang', 1);
    results.push(await notifier({ timeoutMs: 150, maxAttempts: 1 }).postBackupFailure(failure));
    results.push(
      await notifier({ webhookUrl: async () => `not a url ${sink.url}` }).postBackupFailure(failure),
    );
    results.push(
      await notifier({
        webhookUrl: async () => {
          throw new Error(`secret read failed for ${sink.url}`);
        },
      }).postBackupFailure(failure),
    );

    expect(results.every((result) => !result.delivered)).toBe(true);
    const everything = JSON.stringify({ results, logs: log.entries });
    expect(everything).not.toContain(sink.url);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(secret.split('/').at(-1));
  });

  it('skips quietly when no webhook is configured', async () => {
    const result = await notifier({ webhookUrl: async () => undefined }).postBackupFailure(failure);

    expect(result).toEqual({ delivered: false, skipped: 'no-webhook' });
    expect(sink.requests).toHaveLength(0);
  });

  it('holds the alert back when the run has used its alert budget', async () => {
    let claims = 0;
    const claimAlertSlot = async (): Promise<boolean> => ++claims <= 3;
    const results: SlackDeliveryResult[] = [];
    for (let index = 0; index < 5; index++) {
      results.push(
        await notifier().postBackupFailure({ ...failure, database: `db_${index}` }, { claimAlertSlot }),
      );
    }

    expect(results.filter((result) => result.delivered)).toHaveLength(3);
    expect(results.slice(3)).toEqual([
      { delivered: false, skipped: 'alert-limit' },
      { delivered: false, skipped: 'alert-limit' },
    ]);
    expect(sink.messages).toHaveLength(3);
  });

  it('posts anyway when the alert budget cannot be read', async () => {
    const claimAlertSlot = async (): Promise<boolean> => {
      throw new Error('DynamoDB unreachable');
    };

    const result = await notifier().postBackupFailure(failure, { claimAlertSlot });

    expect(result.delivered).toBe(true);
    expect(log.entries.some((entry) => entry.level === 'warn')).toBe(true);
  });

  it('reports an unreadable webhook secret as a result', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack-webhook';
    const result = await notifier({
      webhookUrl: async () => {
        throw new SecretUnavailableError(`could not read ${arn}: AccessDeniedException`);
      },
    }).postRunSummary(summary);

    expect(result).toMatchObject({ delivered: false, attempts: 0 });
    expect((result as { error: string }).error).toBe(
      `could not read the Slack webhook URL: SecretUnavailableError: could not read ${arn}: AccessDeniedException`,
    );
    expect(sink.requests).toHaveLength(0);
  });
});
