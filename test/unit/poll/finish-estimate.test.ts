import { describe, expect, it } from 'vitest';
import {
  estimateFinishSeconds,
  medianOfRecentDurations,
  uploadFraction,
} from '../../../lambdas/poll/finish-estimate.ts';

describe('medianOfRecentDurations', () => {
  it('takes the median of the newest durations only', () => {
    expect(medianOfRecentDurations([10, 20, 30, 1000, 1000], 3)).toBe(20);
  });

  it('averages the two middle values of an even sample', () => {
    expect(medianOfRecentDurations([10, 40, 20, 30], 7)).toBe(25);
  });

  it('has nothing to say without usable durations', () => {
    expect(medianOfRecentDurations(undefined, 7)).toBeUndefined();
    expect(medianOfRecentDurations([], 7)).toBeUndefined();
    expect(medianOfRecentDurations([0, -1, Number.POSITIVE_INFINITY], 7)).toBeUndefined();
  });
});

describe('uploadFraction', () => {
  it('reads done/total while uploading or when the state is unknown', () => {
    expect(uploadFraction('UPLOADING', { done: 25, total: 100 })).toBe(0.25);
    expect(uploadFraction(undefined, { done: 25, total: 100 })).toBe(0.25);
  });

  it('ignores progress in other states and impossible values', () => {
    expect(uploadFraction('SNAPSHOTING', { done: 25, total: 100 })).toBeUndefined();
    expect(uploadFraction('UPLOADING', { done: 1, total: 0 })).toBeUndefined();
    expect(uploadFraction('UPLOADING', null)).toBeUndefined();
  });

  it('caps a done count above the total at 1', () => {
    expect(uploadFraction('UPLOADING', { done: 120, total: 100 })).toBe(1);
  });
});

describe('estimateFinishSeconds', () => {
  it('extrapolates linearly from progress', () => {
    expect(
      estimateFinishSeconds({ elapsedSeconds: 1000, state: 'UPLOADING', progress: { done: 1, total: 4 } }),
    ).toBe(4000);
  });

  it('waits for a minimum of progress before extrapolating', () => {
    const progress = { done: 1, total: 1000 };
    expect(estimateFinishSeconds({ elapsedSeconds: 1000, state: 'UPLOADING', progress })).toBeUndefined();
  });

  it('weights progress by how far the upload is when history is known too', () => {
    const estimate = estimateFinishSeconds({
      elapsedSeconds: 1000,
      state: 'UPLOADING',
      progress: { done: 1, total: 4 },
      historySeconds: [8000],
    });
    expect(estimate).toBe(0.25 * 4000 + 0.75 * 8000);
  });

  it('says the end is now once every task is done or the job saves its metadata', () => {
    expect(
      estimateFinishSeconds({ elapsedSeconds: 1234, state: 'UPLOADING', progress: { done: 9, total: 9 } }),
    ).toBe(1234);
    expect(estimateFinishSeconds({ elapsedSeconds: 1234, state: 'SAVE_META', historySeconds: [9999] })).toBe(
      1234,
    );
  });

  it('uses history alone before the upload starts', () => {
    expect(
      estimateFinishSeconds({ elapsedSeconds: 10, state: 'SNAPSHOTING', historySeconds: [300, 100, 200] }),
    ).toBe(200);
  });
});
