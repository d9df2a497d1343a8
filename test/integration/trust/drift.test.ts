import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { database, SLOT } from '#test/support/workflow-harness.ts';
import { sinkTexts, startTrustHarness, type TrustHarness } from './trust-harness.ts';

const HOUR = 3_600_000;

describe('coverage drift', () => {
  let harness: TrustHarness;

  beforeAll(async () => {
    harness = await startTrustHarness(
      {
        version: '3.4',
        repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
        databases: [
          database('sales_eu', { durationMs: 60_000 }),
          database('sales_us', { durationMs: 60_000 }),
        ],
      },
      { cluster: { include: ['sales_*'], exclude: ['tmp_*'], freshness: { graceMinutes: 120 } } },
    );
    await harness.run({ scheduledTime: SLOT });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('reports a new database no schedule covers exactly once, and never one an exclude pattern names', async () => {
    // Prepare: after the run, two databases appear; only `tmp_load` is excluded on purpose
    harness.clock.set(SLOT.getTime() + 2 * HOUR);
    await harness.check();
    harness.emulator.state.addDatabase(database('marketing'));
    harness.emulator.state.addDatabase(database('tmp_load'));
    const before = harness.slack.messages.length;

    // Act: four hourly checks
    const checks = [];
    for (let hour = 3; hour <= 6; hour++) {
      harness.clock.set(SLOT.getTime() + hour * HOUR);
      checks.push(await harness.check());
    }

    // Assess
    expect(checks.map((check) => check.check?.uncovered)).toEqual([
      ['marketing'],
      ['marketing'],
      ['marketing'],
      ['marketing'],
    ]);
    const texts = sinkTexts(harness, before);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^⚠️ Not covered by any schedule: test \/ marketing/);
    expect(checks.map((check) => check.check?.counts.late)).toEqual([0, 0, 0, 0]);
  });

  it('closes the drift silently once an exclude pattern names the database', async () => {
    // Prepare
    const before = harness.slack.messages.length;
    harness.clock.set(harness.clock.now() + HOUR);

    // Act
    const check = await harness.check({ cluster: { exclude: ['tmp_*', 'marketing'] } });
    const incidents = await harness.incidents.listIncidents('test');

    // Assess
    expect(check.check?.uncovered).toEqual([]);
    expect(check.check?.incidents.resolved).toBe(1);
    expect(incidents.map((incident) => [incident.database, incident.status, incident.resolution])).toEqual([
      ['marketing', 'resolved', 'covered'],
    ]);
    expect(harness.slack.messages.length).toBe(before);
  });

  it('gives a new database its first slot before calling it late, then alerts once that it was never backed up', async () => {
    // Prepare: a database the include patterns select appears after the slot
    harness.emulator.state.addDatabase(database('sales_apac'));
    harness.clock.set(harness.clock.now() + HOUR);
    const before = harness.slack.messages.length;

    // Act: a check now, and two after the next slot's allowance, which ran nothing: without a history of its own the
    // database is given the cluster's timeoutSeconds (6 h) plus the grace (2 h)
    const now = await harness.check();
    harness.clock.set(SLOT.getTime() + 24 * HOUR + 8 * HOUR + 60_000);
    const later = [await harness.check()];
    harness.clock.set(harness.clock.now() + HOUR);
    later.push(await harness.check());

    // Assess
    expect(now.check?.late).toEqual([]);
    expect(now.check?.counts.never).toBe(1);
    expect(later.map((check) => check.check?.late.find((entry) => entry.database === 'sales_apac'))).toEqual([
      { database: 'sales_apac', cause: 'never' },
      { database: 'sales_apac', cause: 'never' },
    ]);
    const texts = sinkTexts(harness, before).filter((text) => text.includes('sales_apac'));
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('It has never been backed up.');
  });
});
