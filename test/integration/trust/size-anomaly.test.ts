import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioDatabase } from '#local/emulator/index.ts';
import { SLOT } from '#test/support/workflow-harness.ts';
import { sinkTexts, startTrustHarness, type TrustHarness } from './trust-harness.ts';

const DAY = 24 * 3_600_000;
const MIB = 1024 * 1024;

function events(tableBytes: number): ScenarioDatabase {
  return {
    name: 'events',
    tables: [
      { name: 'clicks', sizeBytes: tableBytes, rows: 1000 },
      { name: 'views', sizeBytes: tableBytes, rows: 1000 },
    ],
    backup: { durationMs: 60_000 },
  };
}

const slot = (day: number) => new Date(SLOT.getTime() + day * DAY);

describe('size anomalies', () => {
  let harness: TrustHarness;

  beforeAll(async () => {
    harness = await startTrustHarness({
      version: '3.4',
      repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
      databases: [events(50 * MIB)],
    });
    // Three nights at the usual size (100 MiB), the history the fourth is judged against.
    for (const day of [0, 1, 2]) {
      harness.clock.set(Math.max(harness.clock.now(), slot(day).getTime() + 5_000));
      const run = await harness.run({ scheduledTime: slot(day) });
      if (run.status !== 'SUCCEEDED') throw new Error(`history run ${day} ended ${run.status}`);
    }
  });

  afterAll(async () => {
    await harness.close();
  });

  it('warns once about a snapshot at 10 % of its usual size and keeps the backup FINISHED', async () => {
    // Prepare
    harness.emulator.state.addDatabase(events(5 * MIB));
    harness.clock.set(slot(3).getTime() + 5_000);
    const before = harness.slack.messages.length;

    // Act: the night itself, then the same slot run again (it adopts the snapshot and summarizes again)
    const run = await harness.run({ scheduledTime: slot(3) });
    const again = await harness.run({ scheduledTime: slot(3) });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.results.map((result) => result.state)).toEqual(['FINISHED']);
    expect(again.results.map((result) => result.state)).toEqual(['FINISHED']);
    const texts = sinkTexts(harness, before);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(
      /^⚠️ Backup size dropped: test \/ events: The database was 10 % of its usual size/,
    );
    const [latest] = await harness.catalog.latestGoodSnapshots('test');
    expect(latest?.sizeBytes).toBe(10 * MIB);
  });

  it('stays silent while the size stays within the thresholds', async () => {
    // Prepare: back to the usual size; the median of the last backups is still 100 MiB
    harness.emulator.state.addDatabase(events(45 * MIB));
    harness.clock.set(slot(4).getTime() + 5_000);
    const before = harness.slack.messages.length;

    // Act
    const run = await harness.run({ scheduledTime: slot(4) });

    // Assess
    expect(run.results.map((result) => result.state)).toEqual(['FINISHED']);
    expect(harness.slack.messages.length).toBe(before);
  });
});
