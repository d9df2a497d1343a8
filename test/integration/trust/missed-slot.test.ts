import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorScenario } from '#local/emulator/index.ts';
import { database, SLOT } from '#test/support/workflow-harness.ts';
import { sinkTexts, startTrustHarness, type TrustHarness } from './trust-harness.ts';

const HOUR = 3_600_000;
const NEXT_SLOT = new Date(SLOT.getTime() + 24 * HOUR);

const scenario: EmulatorScenario = {
  version: '3.4',
  repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
  databases: [database('sales', { durationMs: 60_000 }), database('crm', { durationMs: 60_000 })],
};

/** Both databases backed up at SLOT; at NEXT_SLOT only crm (sales misses its slot). */
async function missSalesAtNextSlot(harness: TrustHarness): Promise<void> {
  expect((await harness.run({ scheduledTime: SLOT })).status).toBe('SUCCEEDED');
  harness.clock.set(SLOT.getTime() + 3 * HOUR);
  await harness.check();
  harness.clock.set(NEXT_SLOT.getTime() + 10_000);
  expect((await harness.run({ scheduledTime: NEXT_SLOT, databases: ['crm'] })).status).toBe('SUCCEEDED');
}

/** Hourly checks from `fromHour` to `toHour` hours after NEXT_SLOT. */
async function checkHourly(harness: TrustHarness, fromHour: number, toHour: number) {
  const checks = [];
  for (let hour = fromHour; hour <= toHour; hour++) {
    harness.clock.set(Math.max(harness.clock.now(), NEXT_SLOT.getTime() + hour * HOUR));
    checks.push(await harness.check());
  }
  return checks;
}

describe('a database that missed its slot (Slack Web API: threads)', () => {
  let harness: TrustHarness;

  beforeAll(async () => {
    harness = await startTrustHarness(scenario, {
      // Late from NEXT_SLOT + its backups' p95 (about a minute) + 90 min: the check at +2 h is the first to see it.
      cluster: { freshness: { graceMinutes: 90 } },
      webApi: true,
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('alerts exactly once over several hourly checks, then answers "recovered" in the alert’s thread after a good run', async () => {
    // Prepare
    await missSalesAtNextSlot(harness);
    const web = harness.webApi;
    if (!web) throw new Error('no Web API fake');

    // Act: five hourly checks while late, a late run of the missed slot, two more checks
    const whileLate = await checkHourly(harness, 1, 5);
    const lateRun = await harness.run({ scheduledTime: NEXT_SLOT, databases: ['sales'] });
    const afterRun = await checkHourly(harness, 7, 8);

    // Assess
    expect(whileLate.map((check) => check.check?.late)).toEqual([
      [],
      [{ database: 'sales', cause: 'missed' }],
      [{ database: 'sales', cause: 'missed' }],
      [{ database: 'sales', cause: 'missed' }],
      [{ database: 'sales', cause: 'missed' }],
    ]);
    expect(whileLate.map((check) => check.check?.counts.fresh)).toEqual([2, 1, 1, 1, 1]);
    expect(lateRun.results.map((result) => result.state)).toEqual(['FINISHED']);
    expect(web.messages.map((message) => message.text.split(':').slice(0, 2).join(':'))).toEqual([
      '🚨 Backups late: test / sales',
      '✅ Recovered: test / sales',
    ]);
    const [alert, recovered] = web.messages;
    expect(alert?.threadTs).toBeNull();
    expect(recovered?.threadTs).toBe(alert?.ts);
    expect(alert?.text).toContain('No backup of that slot was recorded');
    expect(recovered?.text).toContain('has a good snapshot again');
    expect(afterRun.map((check) => [check.check?.incidents.resolved, check.check?.incidents.open])).toEqual([
      [1, 0],
      [0, 0],
    ]);
    expect(harness.slack.messages).toHaveLength(0);
  });
});

describe('a database that missed its slot (webhook only)', () => {
  let harness: TrustHarness;

  beforeAll(async () => {
    harness = await startTrustHarness(scenario, { cluster: { freshness: { graceMinutes: 90 } } });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('alerts exactly once, then posts one separate "recovered" message naming the alert it closes', async () => {
    // Prepare
    await missSalesAtNextSlot(harness);
    const before = harness.slack.messages.length;

    // Act
    await checkHourly(harness, 3, 6);
    await harness.run({ scheduledTime: NEXT_SLOT, databases: ['sales'] });
    await checkHourly(harness, 8, 9);

    // Assess
    const texts = sinkTexts(harness, before);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^🚨 Backups late: test \/ sales/);
    expect(texts[1]).toMatch(
      /^✅ Recovered: test \/ sales: sales has a good snapshot again: nightly_sales_20261125T1800Z_/,
    );
    expect(texts[1]).toContain('This closes the alert of');
  });
});
