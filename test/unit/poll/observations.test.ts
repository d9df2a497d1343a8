import { describe, expect, it } from 'vitest';
import { observedSeconds, observeJob } from '#domain/poll/observations.ts';

describe('observeJob', () => {
  it('remembers the last check that saw the job before its upload', () => {
    // Act
    const afterPending = observeJob(undefined, 'PENDING', null, 1_000);
    const afterSnapshot = observeJob(afterPending, 'snapshoting', null, 5_000);
    const afterUploadSnapshot = observeJob(afterSnapshot, 'UPLOAD_SNAPSHOT', null, 9_000);

    // Assess
    expect(afterPending.preUploadSeenAt).toBe(1_000);
    expect(afterSnapshot.preUploadSeenAt).toBe(5_000);
    expect(afterUploadSnapshot.preUploadSeenAt).toBe(9_000);
  });

  it('keeps the first and the two latest Progress readings while uploading', () => {
    // Prepare
    const before = observeJob(undefined, 'SNAPSHOTING', null, 1_000);

    // Act
    const first = observeJob(before, 'UPLOADING', { done: 1, total: 100 }, 2_000);
    const second = observeJob(first, 'UPLOADING', { done: 5, total: 100 }, 3_000);
    const third = observeJob(second, 'UPLOADING', { done: 9, total: 100 }, 4_000);

    // Assess
    expect(first.upload).toEqual({
      first: { at: 2_000, done: 1, total: 100 },
      latest: { at: 2_000, done: 1, total: 100 },
    });
    expect(third).toEqual({
      preUploadSeenAt: 1_000,
      upload: {
        first: { at: 2_000, done: 1, total: 100 },
        previous: { at: 3_000, done: 5, total: 100 },
        latest: { at: 4_000, done: 9, total: 100 },
        fastest: 0.04 / 1_000,
        pending: 0.04 / 1_000,
      },
    });
  });

  it('counts a segment towards the fastest rate only once the reading after it moved too', () => {
    // Prepare
    const first = observeJob(undefined, 'UPLOADING', { done: 0, total: 100 }, 0);
    const fast = observeJob(first, 'UPLOADING', { done: 10, total: 100 }, 1_000);

    // Act
    const slow = observeJob(fast, 'UPLOADING', { done: 12, total: 100 }, 2_000);
    const stalled = observeJob(slow, 'UPLOADING', { done: 12, total: 100 }, 3_000);

    // Assess
    expect(fast.upload?.fastest).toBeUndefined();
    expect(slow.upload?.fastest).toBeCloseTo(0.1 / 1_000);
    // The slow segment ran into the stall: it never counts.
    expect(stalled.upload?.fastest).toBeCloseTo(0.1 / 1_000);
    expect(stalled.upload?.pending).toBeUndefined();
  });

  it('marks a stall and starts the measurement afresh at the first reading that moves after it', () => {
    // Prepare
    const first = observeJob(undefined, 'UPLOADING', { done: 0, total: 100 }, 0);
    const moving = observeJob(first, 'UPLOADING', { done: 10, total: 100 }, 1_000);

    // Act
    const stalled = observeJob(moving, 'UPLOADING', { done: 10, total: 100 }, 2_000);
    const resumed = observeJob(stalled, 'UPLOADING', { done: 30, total: 100 }, 9_000);

    // Assess
    expect(stalled.upload?.stalled).toBe(true);
    expect(resumed.upload?.stalled).toBeUndefined();
    expect(resumed.upload?.first).toEqual({ at: 9_000, done: 30, total: 100 });
    expect(resumed.upload?.previous).toBeUndefined();
    // The segment that ended the stall holds part of it: it is not a rate.
    expect(resumed.upload?.pending).toBeUndefined();
  });

  it('waits for a usable Progress column before taking the first reading', () => {
    // Act
    const empty = observeJob(undefined, 'UPLOADING', null, 2_000);
    const noTasks = observeJob(empty, 'UPLOADING', { done: 0, total: 0 }, 3_000);
    const usable = observeJob(noTasks, 'UPLOADING', { done: 2, total: 40 }, 4_000);

    // Assess
    expect(noTasks.upload).toBeUndefined();
    expect(usable.upload?.first).toEqual({ at: 4_000, done: 2, total: 40 });
  });

  it('leaves the record as it was for the finishing states, a stale Progress, or no state', () => {
    // Prepare
    const uploading = observeJob(undefined, 'UPLOADING', { done: 3, total: 10 }, 2_000);

    // Act
    const finishing = observeJob(uploading, 'SAVE_META', { done: 10, total: 10 }, 3_000);
    const unknown = observeJob(finishing, null, { done: 10, total: 10 }, 4_000);

    // Assess
    expect(finishing).toBe(uploading);
    expect(unknown).toBe(uploading);
  });
});

describe('observedSeconds', () => {
  it('turns epoch-ms observations into seconds since submission', () => {
    // Prepare
    const submittedAt = 1_700_000_000_000;
    const observed = {
      preUploadSeenAt: submittedAt + 90_000,
      upload: {
        first: { at: submittedAt + 120_000, done: 1, total: 50 },
        previous: { at: submittedAt + 150_000, done: 4, total: 50 },
        latest: { at: submittedAt + 180_000, done: 7, total: 50 },
      },
    };

    // Act
    const seconds = observedSeconds(observed, submittedAt);

    // Assess
    expect(seconds).toEqual({
      preUploadSeenSeconds: 90,
      uploadFirst: { elapsedSeconds: 120, done: 1, total: 50 },
      uploadPrevious: { elapsedSeconds: 150, done: 4, total: 50 },
      uploadStalled: false,
      uploadFastestPerSecond: undefined,
    });
  });

  it('has nothing to say about a job never observed', () => {
    expect(observedSeconds(undefined, 0)).toEqual({
      preUploadSeenSeconds: undefined,
      uploadFirst: undefined,
      uploadPrevious: undefined,
      uploadStalled: false,
      uploadFastestPerSecond: undefined,
    });
  });
});
