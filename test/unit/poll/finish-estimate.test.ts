import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FINISH_ESTIMATE_TUNING,
  earliestFinishSeconds,
  estimateFinishSeconds,
  isEndImminent,
  medianOfRecentDurations,
  uploadEndFromProgress,
  uploadFraction,
} from '#domain/poll/finish-estimate.ts';

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

/** A job first read at 20 % of its upload 2,000 s in, and again at 30 % 1,000 s later. */
const uploading = {
  elapsedSeconds: 4_000,
  state: 'UPLOADING',
  progress: { done: 400, total: 1000 },
  observed: {
    uploadFirst: { elapsedSeconds: 2_000, done: 200, total: 1000 },
    uploadPrevious: { elapsedSeconds: 3_000, done: 300, total: 1000 },
  },
};

describe('uploadEndFromProgress', () => {
  it('extrapolates the rate measured since the first reading, not since submission', () => {
    // Act
    const end = uploadEndFromProgress(uploading);

    // Assess: 20 % of the upload in 2,000 s leaves 60 % for 6,000 s more.
    expect(end?.seconds).toBeCloseTo(10_000, 6);
    expect(end?.watchedFraction).toBeCloseTo(0.25, 9);
  });

  it('takes the recent rate when it promises an earlier end (a job that resumed after a stall)', () => {
    // Prepare: from 20 % to 21 % in 2,000 s (stalled), then to 31 % in the last 500 s.
    const resumed = {
      ...uploading,
      progress: { done: 310, total: 1000 },
      observed: {
        uploadFirst: { elapsedSeconds: 1_500, done: 200, total: 1000 },
        uploadPrevious: { elapsedSeconds: 3_500, done: 210, total: 1000 },
      },
    };

    // Act
    const end = uploadEndFromProgress(resumed);

    // Assess: the last 10 % took 500 s, so the remaining 69 % takes 3,450 s.
    expect(end?.seconds).toBeCloseTo(4_000 + 3_450, 6);
  });

  it('says nothing while the Progress has not moved since the previous check', () => {
    const stalled = { ...uploading, progress: { done: 300, total: 1000 } };
    expect(uploadEndFromProgress(stalled)).toBeUndefined();
  });

  it('stops trusting a Progress column whose total changed or whose count went back', () => {
    expect(uploadEndFromProgress({ ...uploading, progress: { done: 400, total: 900 } })).toBeUndefined();
    expect(uploadEndFromProgress({ ...uploading, progress: { done: 150, total: 1000 } })).toBeUndefined();
  });

  it('waits until a minimum of the upload was watched, and for a first reading at all', () => {
    // Prepare
    const barelyMoved = {
      ...uploading,
      progress: { done: 205, total: 1000 },
      observed: { uploadFirst: uploading.observed.uploadFirst },
    };

    // Assess
    expect(uploadEndFromProgress(barelyMoved)).toBeUndefined();
    expect(uploadEndFromProgress({ ...uploading, observed: {} })).toBeUndefined();
  });

  it('says the upload ends now once every task is done', () => {
    const done = { ...uploading, progress: { done: 1000, total: 1000 } };
    expect(uploadEndFromProgress(done)).toEqual({ seconds: 4_000, watchedFraction: 1 });
  });
});

describe('estimateFinishSeconds', () => {
  it('is the upload end from progress alone', () => {
    expect(estimateFinishSeconds(uploading)).toBeCloseTo(10_000, 6);
  });

  it('uses history alone before the upload starts', () => {
    expect(
      estimateFinishSeconds({ elapsedSeconds: 10, state: 'SNAPSHOTING', historySeconds: [300, 100, 200] }),
    ).toBe(200);
  });

  it('moves the history later when the upload alone will outlast it, as far as the upload was watched', () => {
    // Act
    const estimate = estimateFinishSeconds({ ...uploading, historySeconds: [8_000] });

    // Assess: a quarter of the upload watched, 2,000 s past the history.
    expect(estimate).toBeCloseTo(8_000 + 0.25 * 2_000, 6);
  });

  it('keeps the history when the upload will end before it: the metadata steps may fill the gap', () => {
    expect(estimateFinishSeconds({ ...uploading, historySeconds: [12_000] })).toBe(12_000);
  });

  it('says the end is now once the job is past its upload, unless history places it later', () => {
    expect(estimateFinishSeconds({ elapsedSeconds: 1234, state: 'SAVE_META' })).toBe(1234);
    expect(estimateFinishSeconds({ elapsedSeconds: 1234, state: 'UPLOAD_INFO', historySeconds: [999] })).toBe(
      1234,
    );
    expect(
      estimateFinishSeconds({ elapsedSeconds: 1234, state: 'UPLOAD_INFO', historySeconds: [9999] }),
    ).toBe(9999);
  });
});

describe('isEndImminent', () => {
  it('holds past the upload without a later history', () => {
    expect(isEndImminent({ elapsedSeconds: 100, state: 'save_meta' })).toBe(true);
    expect(isEndImminent({ elapsedSeconds: 100, state: 'UPLOADING', progress: { done: 7, total: 7 } })).toBe(
      true,
    );
    expect(isEndImminent({ elapsedSeconds: 100, state: 'UPLOAD_INFO', historySeconds: [90] })).toBe(true);
  });

  it('does not hold while uploading, or when history says the end is later', () => {
    expect(isEndImminent(uploading)).toBe(false);
    expect(isEndImminent({ elapsedSeconds: 100, state: 'UPLOAD_INFO', historySeconds: [500] })).toBe(false);
  });
});

describe('earliestFinishSeconds', () => {
  const ratio = DEFAULT_FINISH_ESTIMATE_TUNING.postUploadToPreUploadRatio;

  it('puts the end at least (1 + ratio) times as late as a pre-upload sighting', () => {
    expect(earliestFinishSeconds({ elapsedSeconds: 1_000, state: 'SNAPSHOTING' })).toBe((1 + ratio) * 1_000);
    expect(
      earliestFinishSeconds({
        elapsedSeconds: 5_000,
        state: 'UPLOADING',
        observed: { preUploadSeenSeconds: 3_000 },
      }),
    ).toBe((1 + ratio) * 3_000);
  });

  it('knows nothing when no pre-upload state was seen', () => {
    expect(earliestFinishSeconds({ elapsedSeconds: 5_000, state: 'UPLOADING' })).toBe(0);
    expect(earliestFinishSeconds({ elapsedSeconds: 5_000 })).toBe(0);
  });

  it('follows the assumption given in the tuning', () => {
    const tuning = { ...DEFAULT_FINISH_ESTIMATE_TUNING, postUploadToPreUploadRatio: 1 };
    expect(earliestFinishSeconds({ elapsedSeconds: 1_000, state: 'PENDING' }, tuning)).toBe(2_000);
  });
});
