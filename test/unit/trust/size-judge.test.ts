import { describe, expect, it } from 'vitest';
import { judgeSize, median, type SizeThresholds } from '#domain/size-anomaly/judge.ts';

const DEFAULTS: SizeThresholds = { enabled: true, dropPercent: 50, growthPercent: 200, minHistory: 3 };

describe('size anomalies', () => {
  it('calls a size at 10 % of the median of the earlier backups a drop', () => {
    expect(judgeSize(10, [100, 104, 98, 1], DEFAULTS)).toEqual({
      kind: 'drop',
      median: 99,
      ratio: 10 / 99,
      history: 4,
    });
  });

  it('calls a size above (100 + growthPercent) % of the median a growth, and one at it normal', () => {
    expect([
      judgeSize(301, [100, 100, 100], DEFAULTS).kind,
      judgeSize(300, [100, 100, 100], DEFAULTS).kind,
    ]).toEqual(['growth', 'normal']);
  });

  it('keeps a size at exactly (100 - dropPercent) % normal', () => {
    expect(judgeSize(50, [100, 100, 100], DEFAULTS).kind).toBe('normal');
  });

  it('judges nothing with fewer than minHistory earlier sizes, without a size, or when disabled', () => {
    expect([
      judgeSize(1, [100, 100], DEFAULTS),
      judgeSize(null, [100, 100, 100], DEFAULTS),
      judgeSize(1, [100, 100, 100], { ...DEFAULTS, enabled: false }),
      judgeSize(1, [0, 0, 0], DEFAULTS),
    ]).toEqual([
      { kind: 'not-judged', why: 'too-little-history' },
      { kind: 'not-judged', why: 'no-size' },
      { kind: 'not-judged', why: 'disabled' },
      { kind: 'not-judged', why: 'empty-history' },
    ]);
  });

  it('looks at the newest ten earlier sizes at most, so a steady growth moves the median', () => {
    const history = [...Array.from({ length: 10 }, () => 1000), ...Array.from({ length: 30 }, () => 10)];
    expect(judgeSize(900, history, DEFAULTS)).toEqual(
      expect.objectContaining({ kind: 'normal', median: 1000 }),
    );
  });

  it('takes the middle of an odd list and the mean of the two middles of an even one', () => {
    expect([median([3, 1, 2]), median([4, 1, 3, 2])]).toEqual([2, 2.5]);
  });
});
