// Pure: about 10 ms.
import { describe, expect, it } from 'vitest';
import { reportPeriod } from '#domain/report/period.ts';
import { backupWindow } from '#domain/report/windows.ts';

describe('the backup window of a night', () => {
  it('spans the first start to the last end and counts the most jobs at once', () => {
    // Act
    const window = backupWindow([
      { startSeconds: 5, endSeconds: 100 },
      { startSeconds: 6, endSeconds: 50 },
      { startSeconds: 50, endSeconds: 70 },
      { startSeconds: 90, endSeconds: 300 },
    ]);

    // Assess
    expect(window).toEqual({ firstStart: 5, lastEnd: 300, peak: 2, jobs: 4 });
  });

  it('has no window without a job', () => {
    expect(backupWindow([])).toBeNull();
  });
});

describe('the report period', () => {
  it('covers the last N whole days up to now, cut in the report’s zone', () => {
    // Act
    const period = reportPeriod({
      untilMs: Date.UTC(2026, 10, 30, 12),
      days: 30,
      timeZone: 'Asia/Shanghai',
    });

    // Assess: 30 Nov 20:00 in Shanghai is the last day; 1 Nov 00:00 there is 31 Oct 16:00Z
    expect(period.firstDay).toBe('2026-11-01');
    expect(period.days).toBe(30);
    expect(period.fromMs).toBe(Date.UTC(2026, 9, 31, 16));
    expect(period.dayOf(Date.UTC(2026, 10, 1, 15, 59))).toBe(0);
    expect(period.dayOf(Date.UTC(2026, 10, 1, 16))).toBe(1);
  });

  it('starts on the day of --since when given', () => {
    // Act
    const period = reportPeriod({
      untilMs: Date.UTC(2026, 10, 1),
      sinceMs: Date.UTC(2026, 9, 1),
      timeZone: 'UTC',
    });

    // Assess
    expect(period.firstDay).toBe('2026-10-01');
    expect(period.days).toBe(31);
  });
});
