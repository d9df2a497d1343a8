import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppLogger } from '#domain/logger.ts';
import type { AlertDetails } from '#domain/notify/alert-message.ts';
import { createSlackNotifier, type SlackWebApiSource } from '#domain/notify/slack-notifier.ts';
import { type SlackSink, startSlackSink } from '#test/support/slack-sink.ts';
import { type SlackWebApiFake, startSlackWebApiFake } from './slack-web-api-fake.ts';

const ALERT: AlertDetails = {
  title: 'Restore drill failed: prod / sales',
  severity: 'critical',
  fields: [['Cluster', 'prod']],
  text: 'The restored table orders has 0 rows, the snapshot 1200.',
};

function recordingLogger(): { logger: AppLogger; lines: string[] } {
  const lines: string[] = [];
  const record = (...args: unknown[]) => {
    lines.push(JSON.stringify(args));
  };
  return { lines, logger: { debug: record, info: record, warn: record, error: record } };
}

describe('postAlert, the generic alert of every engineer', () => {
  let sink: SlackSink;
  let web: SlackWebApiFake;

  beforeAll(async () => {
    sink = await startSlackSink();
    web = await startSlackWebApiFake();
  });

  afterAll(async () => {
    await sink.close();
    await web.close();
  });

  const webApi = (token: string): SlackWebApiSource => ({
    token: async () => token,
    channel: 'C0BACKUPS',
    baseUrl: web.baseUrl,
  });

  it('posts through the Web API when a bot token is set, and answers in a thread by its ts', async () => {
    // Prepare
    const notifier = createSlackNotifier({
      webhookUrl: async () => sink.url,
      webApi: webApi(web.token),
      logger: recordingLogger().logger,
    });
    const before = web.messages.length;

    // Act
    const alert = await notifier.postAlert(ALERT);
    const reply = await notifier.postAlert(
      { title: 'Recovered: prod / sales', severity: 'resolved' },
      { threadTs: alert.thread?.ts },
    );

    // Assess
    expect(alert).toEqual({
      delivered: true,
      attempts: 1,
      thread: { ts: expect.any(String), channel: 'C0TRUST01' },
    });
    expect(reply.delivered).toBe(true);
    expect(web.messages.slice(before).map((message) => [message.channel, message.threadTs])).toEqual([
      ['C0BACKUPS', null],
      ['C0BACKUPS', alert.thread?.ts],
    ]);
    expect(sink.messages).toHaveLength(0);
  });

  it('falls back to the webhook when the Web API refuses the token, and never logs the token', async () => {
    // Prepare
    const { logger, lines } = recordingLogger();
    const token = 'xoxb-1111-wrong-token';
    const notifier = createSlackNotifier({ webhookUrl: async () => sink.url, webApi: webApi(token), logger });

    // Act
    const result = await notifier.postAlert(ALERT);

    // Assess
    expect(result).toEqual({ delivered: true, attempts: 1 });
    expect(JSON.stringify(sink.messages.at(-1)?.body)).toContain('Restore drill failed: prod / sales');
    expect(lines.join('\n')).toContain('invalid_auth');
    expect(lines.join('\n')).not.toContain(token);
  });

  it('posts a separate message through a webhook, where no thread exists', async () => {
    // Prepare
    const notifier = createSlackNotifier({
      webhookUrl: async () => sink.url,
      logger: recordingLogger().logger,
    });
    const before = sink.messages.length;

    // Act
    const result = await notifier.postAlert(ALERT, { threadTs: '1764000000.000001' });

    // Assess
    expect(result).toEqual({ delivered: true, attempts: 1 });
    expect(sink.messages.length).toBe(before + 1);
  });

  it('says it was skipped when no Slack is configured at all', async () => {
    // Prepare
    const notifier = createSlackNotifier({
      webhookUrl: async () => undefined,
      logger: recordingLogger().logger,
    });

    // Act
    const result = await notifier.postAlert(ALERT);

    // Assess
    expect(result).toEqual({ delivered: false, skipped: 'no-webhook' });
  });
});
