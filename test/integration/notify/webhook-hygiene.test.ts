import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '#domain/clock.ts';
import type { AppLogger } from '#domain/logger.ts';
import type { BackupFailureDetails } from '#domain/notify/backup-failure-message.ts';
import type { SlackBlock, SlackMessage } from '#domain/notify/slack-message.ts';
import type { SlackNotifier } from '#domain/notify/slack-notifier.ts';
import { createSlackNotifier } from '#domain/notify/slack-notifier.ts';
import { createSecretsManagerResolver } from '#runtime/secrets.ts';
import { createSlack } from '#runtime/slack.ts';
import { type SlackSink, startSlackSink } from '#test/support/slack-sink.ts';

const WEBHOOK_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:starrocks/slack';

function capturingLogger(): { logger: AppLogger; lines: unknown[] } {
  const lines: unknown[] = [];
  const record = (...args: unknown[]): void => {
    lines.push(args);
  };
  return { lines, logger: { debug: record, info: record, warn: record, error: record } };
}

const failure: BackupFailureDetails = {
  cluster: 'prod',
  database: 'sales',
  label: 'nightly_sales_20261124T1800Z_3f9a1c',
  state: 'FAILED',
  reason: '[COMMON_ERROR, msg: failed to choose replica to make snapshot for tablet 10087]',
  startedAt: '2026-11-24T18:00:05Z',
  finishedAt: '2026-11-24T18:47:35Z',
};

/** Every text Slack reads as mrkdwn: the notification text and each mrkdwn object in the blocks. */
function mrkdwnTexts(message: SlackMessage): string[] {
  const texts = [message.text];
  const visit = (block: SlackBlock): void => {
    if (block.type === 'section') {
      if (block.text) texts.push(block.text.text);
      for (const field of block.fields ?? []) texts.push(field.text);
    } else if (block.type === 'context') {
      for (const element of block.elements) texts.push(element.text);
    }
  };
  for (const block of message.blocks) visit(block);
  return texts;
}

describe('Slack webhook hygiene over HTTP', () => {
  let sink: SlackSink;
  let log: ReturnType<typeof capturingLogger>;

  beforeEach(async () => {
    sink = await startSlackSink();
    log = capturingLogger();
  });

  afterEach(async () => {
    await sink.close();
  });

  const notifier = (webhookUrl: () => Promise<string | undefined> = async () => sink.url) =>
    createSlackNotifier({ webhookUrl, logger: log.logger, sleep: async () => undefined, random: () => 0.5 });

  it('escapes names in the notification text as in the blocks, so a database name cannot ping the channel', async () => {
    const hostile = { ...failure, database: 'x<!channel>', reason: 'tablet <@U0123ABC> & <!here|here> lost' };

    const result = await notifier().postBackupFailure(hostile);

    expect(result).toMatchObject({ delivered: true });
    const message = sink.messages[0]?.body as SlackMessage;
    expect(message.text).toContain('x&lt;!channel&gt;');
    expect(message.text).toContain('&lt;@U0123ABC&gt; &amp; &lt;!here|here&gt;');
    for (const text of mrkdwnTexts(message)) expect(text).not.toMatch(/<[!@#]/);
  });

  it.each([
    ['an echo of the token alone', (url: URL) => `invalid_token: ${url.pathname.split('/').at(-1)}`],
    ['an echo of the URL that a cut at 120 characters would split', (url: URL) => `${'x'.repeat(70)} ${url}`],
    ['a URL-encoded echo', (url: URL) => `bad hook ${encodeURIComponent(url.toString())}`],
  ])(
    'keeps the webhook token out of the result and the logs when Slack answers with %s',
    async (_label, body) => {
      const url = new URL(sink.url);
      const token = url.pathname.split('/').at(-1) ?? '';
      sink.respondWith(400, 1, { body: body(url) });

      const result = await notifier().postBackupFailure(failure);

      expect(result).toMatchObject({ delivered: false, httpStatus: 400 });
      expect((result as { error: string }).error).toContain('Slack refused the message: HTTP 400');
      const everything = JSON.stringify({ result, logs: log.lines });
      expect(everything).not.toContain(token.slice(0, 8));
      expect(everything).not.toContain(encodeURIComponent(sink.url));
    },
  );
});

describe('re-reading the webhook secret after a 403 or 404 (deployed mode, over HTTP)', () => {
  const secretsManager = mockClient(SecretsManagerClient);
  let sink: SlackSink;
  let log: ReturnType<typeof capturingLogger>;
  let slack: (logger: AppLogger) => SlackNotifier;

  beforeEach(async () => {
    sink = await startSlackSink();
    log = capturingLogger();
    secretsManager.reset();
    // A fresh resolver per test, as a cold start has: its cache is what these tests watch.
    const secrets = createSecretsManagerResolver(
      (region) => new SecretsManagerClient(region === undefined ? {} : { region }),
    );
    slack = (logger) =>
      createSlack({ secrets, webhookSecretArn: WEBHOOK_SECRET_ARN, clock: systemClock, logger });
  });

  afterEach(async () => {
    await sink.close();
  });

  const secretReads = () => secretsManager.commandCalls(GetSecretValueCommand).length;

  it('posts with the rotated URL when the cached one is gone (404)', async () => {
    const rotatedAway = `${sink.url.slice(0, sink.url.lastIndexOf('/'))}/retiredTOKEN0123456789abcd`;
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ url: rotatedAway }) })
      .resolves({ SecretString: JSON.stringify({ url: sink.url }) });

    const result = await slack(log.logger).postBackupFailure(failure);

    expect(result).toEqual({ delivered: true, attempts: 2 });
    expect(sink.messages).toHaveLength(1);
    expect(secretReads()).toBe(2);
    expect(JSON.stringify(log.lines)).not.toContain('retiredTOKEN');
  });

  it('reads the secret once more after a 403 but does not post the same URL again', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: sink.url });
    sink.respondWith(403);

    const result = await slack(log.logger).postBackupFailure(failure);

    expect(result).toMatchObject({ delivered: false, attempts: 1, httpStatus: 403 });
    expect(sink.requests).toHaveLength(1);
    expect(secretReads()).toBe(2);
  });

  it('keeps the cached secret after any other refusal', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: sink.url });
    sink.respondWith(400, 1);

    const first = await slack(log.logger).postBackupFailure(failure);
    const second = await slack(log.logger).postBackupFailure(failure);

    expect(first).toMatchObject({ delivered: false, httpStatus: 400 });
    expect(second).toEqual({ delivered: true, attempts: 1 });
    expect(secretReads()).toBe(1);
  });
});
