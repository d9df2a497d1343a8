import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL_TUNING, nextPollSeconds, type PollPolicyInput } from '#domain/poll/poll-policy.ts';

const base: PollPolicyInput = {
  elapsedSeconds: 0,
  minSeconds: 30,
  maxSeconds: 3600,
  deadlineSeconds: 86_400,
};

describe('nextPollSeconds without an estimate', () => {
  it('waits the minimum right after the submit', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 0 })).toBe(30);
  });

  it('waits 5% of the elapsed time once that is above the minimum', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 10_000 })).toBe(500);
  });

  it('never waits longer than the maximum', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 80_000, deadlineSeconds: 200_000 })).toBe(3600);
  });

  it('returns whole seconds for fractional elapsed times', () => {
    const wait = nextPollSeconds({ ...base, elapsedSeconds: 12_345.678 });
    expect(Number.isInteger(wait)).toBe(true);
    expect(wait).toBe(617);
  });

  it('treats an empty history like no history', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 5000, historySeconds: [] })).toBe(
      nextPollSeconds({ ...base, elapsedSeconds: 5000 }),
    );
  });

  it('ignores unusable history entries', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 5000, historySeconds: [0, -5, Number.NaN] })).toBe(250);
  });

  it('ignores progress with no task done yet', () => {
    const progress = { done: 0, total: 500 };
    expect(nextPollSeconds({ ...base, elapsedSeconds: 5000, state: 'UPLOADING', progress })).toBe(250);
  });

  it('waits the minimum when min equals max, whatever else it knows', () => {
    const pinned = { ...base, minSeconds: 45, maxSeconds: 45 };
    for (const elapsedSeconds of [0, 100, 10_000, 80_000]) {
      expect(nextPollSeconds({ ...pinned, elapsedSeconds })).toBe(45);
      expect(nextPollSeconds({ ...pinned, elapsedSeconds, historySeconds: [20_000] })).toBe(45);
      expect(
        nextPollSeconds({ ...pinned, elapsedSeconds, state: 'UPLOADING', progress: { done: 1, total: 2 } }),
      ).toBe(45);
    }
  });

  it('falls back to the minimum for a nonsensical elapsed time', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: Number.NaN })).toBe(30);
    expect(nextPollSeconds({ ...base, elapsedSeconds: -50 })).toBe(30);
  });

  it('raises a minimum below one second to one second', () => {
    expect(nextPollSeconds({ ...base, minSeconds: 0, maxSeconds: 0, elapsedSeconds: 0 })).toBe(1);
  });
});

describe('nextPollSeconds near the deadline', () => {
  it('lands the next check exactly on the deadline when it is closer than the usual wait', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 86_000 })).toBe(400);
  });

  it('rounds up so that the check lands at, not before, a fractional deadline', () => {
    const elapsedSeconds = 86_000.4;
    const wait = nextPollSeconds({ ...base, elapsedSeconds });
    expect(elapsedSeconds + wait).toBeGreaterThanOrEqual(86_400);
    expect(elapsedSeconds + wait).toBeLessThan(86_401);
  });

  it('still waits the minimum when the deadline is closer than that', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 86_390 })).toBe(30);
  });

  it('waits the minimum once the deadline has passed', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 90_000 })).toBe(30);
  });
});

describe('nextPollSeconds aimed at an estimate', () => {
  const history = [36_000];

  it('is sparse far before the estimated end', () => {
    const withEstimate = nextPollSeconds({ ...base, elapsedSeconds: 4000, historySeconds: history });
    const without = nextPollSeconds({ ...base, elapsedSeconds: 4000 });
    expect(withEstimate).toBe(2000);
    expect(withEstimate).toBeGreaterThan(without);
  });

  it('stops a sparse wait where the closer zone begins instead of jumping over it', () => {
    const closerZoneStart = 36_000 / (1 + DEFAULT_POLL_TUNING.degradeError);
    const elapsedSeconds = closerZoneStart - 3000;
    const wait = nextPollSeconds({ ...base, elapsedSeconds, historySeconds: history });
    expect(elapsedSeconds + wait).toBeLessThanOrEqual(closerZoneStart);
    expect(elapsedSeconds + wait).toBeGreaterThan(closerZoneStart - 1);
  });

  it("shrinks a sparse wait that reaches into the closer zone to that zone's budget", () => {
    const closerZoneStart = 36_000 / (1 + DEFAULT_POLL_TUNING.degradeError);
    const wait = nextPollSeconds({
      ...base,
      elapsedSeconds: closerZoneStart - 1000,
      historySeconds: history,
    });
    expect(wait).toBe(Math.floor(DEFAULT_POLL_TUNING.growthFraction * closerZoneStart));
  });

  it('polls densely (2% of elapsed) inside the window around the estimate', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 35_000, historySeconds: history })).toBe(700);
  });

  it('keeps at least two minutes between checks in the window of a short job', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 550, historySeconds: [600] })).toBe(120);
  });

  it('falls back to 5% growth once the job overruns its estimate', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 10_000, historySeconds: [3600] })).toBe(500);
  });

  it('takes the median of the history, so one outlier does not move the aim', () => {
    const withOutlier = nextPollSeconds({
      ...base,
      elapsedSeconds: 35_000,
      historySeconds: [36_000, 500, 36_500],
    });
    expect(withOutlier).toBe(700);
  });

  it('checks soon once every upload task is done', () => {
    const progress = { done: 1000, total: 1000 };
    expect(nextPollSeconds({ ...base, elapsedSeconds: 40_000, state: 'UPLOADING', progress })).toBe(800);
  });

  it('aims at the history rather than "now" when the job is past its upload but history says later', () => {
    const elapsedSeconds = 4000;
    expect(nextPollSeconds({ ...base, elapsedSeconds, state: 'UPLOAD_INFO', historySeconds: history })).toBe(
      2000,
    );
  });
});

describe('nextPollSeconds from upload progress', () => {
  // First read at 10 % of the upload 10,000 s in; now at 60 % 25,000 s later: 40 % more takes 20,000 s.
  const observed = {
    uploadFirst: { elapsedSeconds: 10_000, done: 100, total: 1000 },
    uploadPrevious: { elapsedSeconds: 30_000, done: 500, total: 1000 },
  };
  const uploading = {
    ...base,
    maxSeconds: 20_000,
    deadlineSeconds: 200_000,
    elapsedSeconds: 35_000,
    state: 'UPLOADING',
    progress: { done: 600, total: 1000 },
    observed,
  };

  it("aims at the upload's end, extrapolated from the rate since the first reading", () => {
    // Act
    const wait = nextPollSeconds(uploading);

    // Assess: 35,000 s is far before 55,000 s; the sparse wait stops where the closer zone begins.
    const closerZoneStart = 55_000 / (1 + DEFAULT_POLL_TUNING.degradeError);
    expect(wait).toBe(Math.floor(closerZoneStart - 35_000));
    expect(wait).toBeGreaterThan(nextPollSeconds({ ...base, elapsedSeconds: 35_000 }));
  });

  it('polls densely around that end', () => {
    expect(
      nextPollSeconds({ ...uploading, elapsedSeconds: 52_000, progress: { done: 940, total: 1000 } }),
    ).toBe(1040);
  });

  it('falls back to the growth rule while the Progress has not moved since the previous check', () => {
    const stalled = { ...uploading, progress: { done: 500, total: 1000 } };
    expect(nextPollSeconds(stalled)).toBe(1750);
  });

  it('falls back to the growth rule when the Progress column stops being the same count', () => {
    const otherTasks = { ...uploading, progress: { done: 600, total: 1200 } };
    expect(nextPollSeconds(otherTasks)).toBe(1750);
  });

  it('does not extrapolate from submission when there is no first reading', () => {
    expect(nextPollSeconds({ ...uploading, observed: {} })).toBe(1750);
  });
});

describe("nextPollSeconds from StarRocks' states", () => {
  it('polls sparsely while the job has still to upload everything', () => {
    const snapshotting = nextPollSeconds({ ...base, elapsedSeconds: 4000, state: 'SNAPSHOTING' });
    expect(snapshotting).toBe(2000);
    expect(snapshotting).toBeGreaterThan(nextPollSeconds({ ...base, elapsedSeconds: 4000 }));
  });

  it('ignores progress outside the UPLOADING state', () => {
    const progress = { done: 999, total: 1000 };
    expect(nextPollSeconds({ ...base, elapsedSeconds: 4000, state: 'PENDING', progress })).toBe(2000);
  });

  it('keeps the sparse budget after the upload starts until the earliest end the states allow', () => {
    // Last seen snapshotting at 10,000 s: the job cannot end before 15,000 s.
    const wait = nextPollSeconds({
      ...base,
      elapsedSeconds: 12_000,
      state: 'UPLOADING',
      observed: { preUploadSeenSeconds: 10_000 },
    });
    expect(wait).toBe(3000);
  });

  it('follows the 5% growth rule for a short job past its upload (never the 2-minute floor)', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 1000, state: 'UPLOAD_INFO' })).toBe(50);
  });

  it('polls at 2% (at least 2 minutes) once that is tighter, in SAVE_META and UPLOAD_INFO alike', () => {
    expect(nextPollSeconds({ ...base, elapsedSeconds: 4000, state: 'SAVE_META' })).toBe(120);
    expect(nextPollSeconds({ ...base, elapsedSeconds: 40_000, state: 'UPLOAD_INFO' })).toBe(800);
    expect(nextPollSeconds({ ...base, elapsedSeconds: 40_000, state: 'save_meta' })).toBe(800);
  });
});
