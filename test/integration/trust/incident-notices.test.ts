import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncidentStore, type IncidentStore } from '#domain/incidents/incident-store.ts';
import { silentLogger } from '#domain/logger.ts';
import { createSlackNotifier } from '#domain/notify/slack-notifier.ts';
import { notifyIncidents } from '#functions/NotifyIncidents/core.ts';
import { createManualClock, type ManualClock } from '#local/emulator/index.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import { type SlackSink, startSlackSink } from '#test/support/slack-sink.ts';
import { type SlackWebApiFake, startSlackWebApiFake } from './slack-web-api-fake.ts';

const report = (cluster: string, database: string) => ({
  cluster,
  type: 'late' as const,
  database,
  cause: 'missed',
  summary: `No good snapshot of ${database} since the nightly slot.`,
  fields: [['Database', database]] as Array<[string, string]>,
});

describe('incident messages', () => {
  let dynamo: TestDynamo;
  let web: SlackWebApiFake;
  let sink: SlackSink;
  let clock: ManualClock;
  let store: IncidentStore;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    web = await startSlackWebApiFake();
    sink = await startSlackSink();
    clock = createManualClock(Date.UTC(2026, 10, 25, 21, 0, 0));
    store = createIncidentStore({ client: dynamo.client, tableName: dynamo.catalogTableName, clock });
  });

  afterAll(async () => {
    await Promise.all([dynamo.close(), web.close(), sink.close()]);
  });

  const deps = (withWebApi: boolean) => ({
    incidents: store,
    slack: createSlackNotifier({
      webhookUrl: async () => sink.url,
      ...(withWebApi
        ? { webApi: { token: async () => web.token, channel: 'C0BACKUPS', baseUrl: web.baseUrl } }
        : {}),
      logger: silentLogger,
      clock,
      sleep: async () => undefined,
    }),
    clock,
    logger: silentLogger,
  });

  it('posts one message for more than three new incidents, and one recovered reply in its thread', async () => {
    // Prepare
    const names = ['a', 'b', 'c', 'd', 'e'];
    for (const name of names) await store.openIncident(report('big', name));

    // Act: the alerts, a run with nothing new, then all five recover
    const opened = await notifyIncidents('big', deps(true));
    const quiet = await notifyIncidents('big', deps(true));
    clock.advance(3_600_000);
    for (const incident of await store.listIncidents('big')) {
      await store.resolveIncident(incident, { resolution: 'recovered', summary: 'good again', notify: true });
    }
    const recovered = await notifyIncidents('big', deps(true));

    // Assess
    expect(opened.posted.map((posted) => [posted.kind, posted.databases.length, posted.via])).toEqual([
      ['alert', 5, 'web-api'],
    ]);
    expect(quiet.posted).toEqual([]);
    expect(recovered.posted.map((posted) => [posted.kind, posted.databases.length])).toEqual([
      ['recovery', 5],
    ]);
    const [alert, reply] = web.messages;
    expect(alert?.text).toMatch(/^🚨 Backups late: big: 5 databases/);
    expect(reply?.threadTs).toBe(alert?.ts);
    expect(reply?.text).toMatch(/^✅ Recovered: big: 5 databases/);
  });

  it('retries a failed alert at the next run, and gives up after three tries', async () => {
    // Prepare: Slack answers 500 to everything
    await store.openIncident(report('flaky', 'sales'));
    sink.respondWith(500);

    // Act
    const tries = [];
    for (let run = 0; run < 4; run++) tries.push(await notifyIncidents('flaky', deps(false)));
    sink.reset();
    const [incident] = await store.listIncidents('flaky');

    // Assess
    expect(tries.map((run) => run.posted.length)).toEqual([1, 1, 1, 0]);
    expect([incident?.alert.state, incident?.alert.attempts]).toEqual(['failed', 3]);
  });

  it('closes an incident whose alert never went out without a recovery message', async () => {
    // Prepare
    const incident = await store.openIncident(report('silent', 'crm'));
    if (!incident) throw new Error('not opened');

    // Act
    const closed = await store.resolveIncident(incident, {
      resolution: 'recovered',
      summary: 'ok',
      notify: true,
    });
    const run = await notifyIncidents('silent', deps(false));

    // Assess
    expect([closed?.alert.state, closed?.recovery?.state]).toEqual(['not-needed', 'not-needed']);
    expect(run.posted).toEqual([]);
  });
});
