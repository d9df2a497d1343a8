// Pure: about 10 ms.
import { describe, expect, it } from 'vitest';
import { freshnessOverPeriod, objectiveSeconds } from '#domain/report/freshness-series.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FROM = Date.UTC(2026, 10, 1);
const dayOf = (ms: number) => Math.floor((ms - FROM) / DAY);

/** A nightly snapshot taken at 01:00 of `day`, restorable an hour later. */
const nightly = (day: number) => ({
  takenAtMs: FROM + day * DAY + HOUR,
  availableAtMs: FROM + day * DAY + 2 * HOUR,
});

describe('the recovery point over a period', () => {
  it('takes the longest gap between slots plus the grace as the objective', () => {
    expect(objectiveSeconds([0, DAY, 2 * DAY, 4 * DAY], 3600)).toBe(2 * 86_400 + 3600);
    expect(objectiveSeconds([0], 3600)).toBeNull();
  });

  it('stays within a 30 h objective while every nightly snapshot arrives', () => {
    // Act
    const series = freshnessOverPeriod({
      snapshots: [-1, 0, 1, 2, 3, 4].map(nightly),
      fromMs: FROM,
      toMs: FROM + 5 * DAY,
      objectiveSeconds: 30 * 3600,
      dayOf,
      days: 5,
    });

    // Assess
    expect(series.seed).toEqual(nightly(-1));
    expect(series.worstAgeSeconds).toBe(25 * 3600);
    expect(series.overObjectiveSeconds).toBe(0);
    expect(series.overDays).toEqual([]);
    expect(series.currentAgeSeconds).toBe(4 * 3600 - 3600 + 20 * 3600);
  });

  it('counts the hours past the objective after a missing night, on the days they fell', () => {
    // Act: night 2 is missing, so from night 1's 01:00 the age passes 30 h at day 2, 07:00 until night 3's snapshot
    const series = freshnessOverPeriod({
      snapshots: [0, 1, 3].map(nightly),
      fromMs: FROM,
      toMs: FROM + 4 * DAY,
      objectiveSeconds: 30 * 3600,
      dayOf,
      days: 4,
    });

    // Assess
    expect(series.worstAgeSeconds).toBe(49 * 3600);
    expect(series.overObjectiveSeconds).toBe(19 * 3600);
    expect(series.overDays).toEqual([2, 3]);
  });

  it('has no age before the first verified snapshot and never counts a late older one', () => {
    // Act
    const series = freshnessOverPeriod({
      snapshots: [nightly(1), { takenAtMs: FROM + HOUR, availableAtMs: FROM + DAY + 5 * HOUR }],
      fromMs: FROM,
      toMs: FROM + 2 * DAY,
      objectiveSeconds: 30 * 3600,
      dayOf,
      days: 2,
    });

    // Assess
    expect(series.seed).toBeNull();
    expect(series.worstAgeSeconds).toBe(23 * 3600);
    expect(series.overObjectiveSeconds).toBe(0);
  });
});
