// Time: about 0.2 s (in-memory catalog, no I/O).
import { describe, expect, it } from 'vitest';
import { collectReportData } from '#domain/report/index.ts';
import { type SeededCatalog, seedReportCatalog } from '#test/support/report/seed.ts';
import { inMemoryReportDeps } from '#test/support/report/sinks.ts';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const DAY_MS = 86_400_000;

/** The seeded catalog with every attempt of `database` in the last `nights` slots turned SKIPPED with `reason`. */
function skippedAtTheEnd(
  seed: SeededCatalog,
  database: string,
  nights: number,
  reason: string,
): SeededCatalog {
  const from = new Date(NOW - nights * DAY_MS).toISOString();
  return {
    ...seed,
    attempts: seed.attempts.map((entry) =>
      entry.attempt.database === database && entry.attempt.scheduledTime >= from
        ? {
            ...entry,
            attempt: {
              ...entry.attempt,
              state: 'SKIPPED',
              reason,
              startedAt: null,
              durationSeconds: null,
              snapshotTimestamp: null,
              verified: false,
              sizeBytes: null,
              tableCount: null,
              starRocksJobId: null,
            },
          }
        : entry,
    ),
    lost: seed.lost.filter((ref) => ref.database !== database),
  };
}

describe('the report’s recovery point with a differential schedule’s unchanged nights', () => {
  it('counts a night found unchanged as fresh data (its newest snapshot holds it), unlike any other skip', async () => {
    // Prepare: one database whose last five nights were skipped, as unchanged or because its lock was held.
    const seed = seedReportCatalog({ databases: 12, days: 14, nowMs: NOW, seed: 7 });
    const finished = (name: string) =>
      seed.attempts.filter((entry) => entry.attempt.database === name && entry.attempt.state === 'FINISHED')
        .length;
    const database = [...new Set(seed.attempts.map((entry) => entry.attempt.database))].sort(
      (a, b) => finished(b) - finished(a),
    )[0] as string;
    const worstAge = async (reason: string) => {
      const skipped = skippedAtTheEnd(seed, database, 5, reason);
      const data = await collectReportData(
        { clusters: skipped.config.clusters, days: 14 },
        inMemoryReportDeps(skipped),
      );
      return data.databases.find((entry) => entry.name === database)?.freshness;
    };

    // Act
    const unchanged = await worstAge('unchanged');
    const lockHeld = await worstAge('lock-held by another run');

    // Assess: five skipped nights make the recovery point at least four days old, unless they were unchanged.
    expect(lockHeld?.currentAgeSeconds).toBeGreaterThan(4 * 86_400);
    expect(unchanged?.currentAgeSeconds).toBeLessThan(86_400);
    expect(unchanged?.worstAgeSeconds).toBeLessThan(lockHeld?.worstAgeSeconds ?? 0);
  });
});
