import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FINISH_ESTIMATE_TUNING } from '#domain/poll/finish-estimate.ts';
import { PRE_UPLOAD_STATES, type ProgressReading, type UploadProgress } from '#domain/poll/observations.ts';
import { nextPollSeconds, type PollPolicyInput } from '#domain/poll/poll-policy.ts';
import { linearUploadProgress, simulatePolling } from '#local/poll/simulate.ts';

const DEFAULT_BOUNDS = { minSeconds: 30, maxSeconds: 3600 } as const;
const HOURS_48 = 48 * 3600;

const progressArbitrary: fc.Arbitrary<UploadProgress | null> = fc.option(
  fc
    .integer({ min: 1, max: 100_000 })
    .chain((total) => fc.record({ done: fc.integer({ min: 0, max: total }), total: fc.constant(total) })),
  { nil: null },
);

const readingArbitrary: fc.Arbitrary<ProgressReading | undefined> = fc.option(
  fc.integer({ min: 1, max: 100_000 }).chain((total) =>
    fc.record({
      elapsedSeconds: fc.double({ min: 0, max: 300_000, noNaN: true }),
      done: fc.integer({ min: 0, max: total }),
      total: fc.constant(total),
    }),
  ),
  { nil: undefined },
);

const policyInputArbitrary: fc.Arbitrary<PollPolicyInput> = fc
  .record({
    elapsedSeconds: fc.double({ min: 0, max: 300_000, noNaN: true }),
    minSeconds: fc.integer({ min: 1, max: 600 }),
    extraMaxSeconds: fc.integer({ min: 0, max: 7200 }),
    deadlineSeconds: fc.double({ min: 1, max: 300_000, noNaN: true }),
    state: fc.option(fc.constantFrom('PENDING', 'SNAPSHOTING', 'UPLOADING', 'SAVE_META', 'UPLOAD_INFO'), {
      nil: undefined,
    }),
    progress: progressArbitrary,
    historySeconds: fc.option(fc.array(fc.double({ min: 1, max: 300_000, noNaN: true }), { maxLength: 10 }), {
      nil: undefined,
    }),
    observed: fc.record({
      preUploadSeenSeconds: fc.option(fc.double({ min: 0, max: 300_000, noNaN: true }), { nil: undefined }),
      uploadFirst: readingArbitrary,
      uploadPrevious: readingArbitrary,
    }),
  })
  .map(({ extraMaxSeconds, ...input }) => ({ ...input, maxSeconds: input.minSeconds + extraMaxSeconds }));

/**
 * A job of 60 s to 48 h shaped as StarRocks runs it: pre-upload states for `preUpload` of its duration, then
 * UPLOADING with steady progress for `upload`, then UPLOAD_INFO for the rest. `preUpload` stays within the
 * policy's assumption (what follows lasts at least `postUploadToPreUploadRatio` times as long).
 */
const phasedJob = (limits: { maxPreUpload?: number; minUpload?: number; maxSeconds?: number } = {}) => {
  const ratio = DEFAULT_FINISH_ESTIMATE_TUNING.postUploadToPreUploadRatio;
  const maxPreUpload = Math.min(limits.maxPreUpload ?? 1, 1 / (1 + ratio));
  const minUpload = limits.minUpload ?? 0;
  return fc
    .record({
      durationSeconds: fc.integer({ min: 60, max: limits.maxSeconds ?? HOURS_48 }),
      preUpload: fc.double({ min: 0, max: maxPreUpload, noNaN: true }),
      uploadShare: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ durationSeconds, preUpload, uploadShare }) => {
      const upload = minUpload + Math.max(0, 1 - preUpload - minUpload) * uploadShare;
      const model = linearUploadProgress({
        durationSeconds,
        uploadStartFraction: preUpload,
        uploadEndFraction: Math.min(1, preUpload + upload),
      });
      return { durationSeconds, preUpload, upload, ...model };
    });
};

/** A job of 60 s to 48 h and an estimate of it that is off by at most `maxError` (relative). */
const jobWithEstimate = (maxError: number) =>
  fc.record({
    durationSeconds: fc.integer({ min: 60, max: HOURS_48 }),
    error: fc.double({ min: -maxError, max: maxError, noNaN: true }),
  });

describe('nextPollSeconds properties', () => {
  it('always returns a whole number of seconds within [min, max]', () => {
    fc.assert(
      fc.property(policyInputArbitrary, (input) => {
        const wait = nextPollSeconds(input);
        expect(Number.isInteger(wait)).toBe(true);
        expect(wait).toBeGreaterThanOrEqual(input.minSeconds);
        expect(wait).toBeLessThanOrEqual(input.maxSeconds);
      }),
    );
  });

  it('never carries the next check more than the minimum wait past the deadline', () => {
    fc.assert(
      fc.property(policyInputArbitrary, (input) => {
        const wait = nextPollSeconds(input);
        const nextCheck = input.elapsedSeconds + wait;
        const landsByTheDeadline = nextCheck < input.deadlineSeconds + 1;
        expect(landsByTheDeadline || wait === input.minSeconds).toBe(true);
      }),
    );
  });

  it('never checks a job that still has to upload later than the earliest end the states allow', () => {
    const ratio = DEFAULT_FINISH_ESTIMATE_TUNING.postUploadToPreUploadRatio;
    fc.assert(
      fc.property(
        policyInputArbitrary,
        fc.constantFrom(...PRE_UPLOAD_STATES),
        fc.constant(Number.POSITIVE_INFINITY),
        (input, state, deadlineSeconds) => {
          const elapsed = input.elapsedSeconds;
          const wait = nextPollSeconds({ ...input, state, deadlineSeconds });
          expect(elapsed + wait).toBeLessThanOrEqual(
            Math.max((1 + ratio) * elapsed, elapsed + input.minSeconds) + 1,
          );
        },
      ),
    );
  });

  it('grows (never shrinks) with elapsed time when there is no estimate', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 200_000, noNaN: true }),
        fc.double({ min: 0, max: 200_000, noNaN: true }),
        (a, b) => {
          const [earlier, later] = a <= b ? [a, b] : [b, a];
          const input = { ...DEFAULT_BOUNDS, deadlineSeconds: Number.POSITIVE_INFINITY };
          expect(nextPollSeconds({ ...input, elapsedSeconds: later })).toBeGreaterThanOrEqual(
            nextPollSeconds({ ...input, elapsedSeconds: earlier }),
          );
        },
      ),
    );
  });
});

describe('simulated detection lag and poll counts', () => {
  it('notices the end within max(min, 5% of the duration) without an estimate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: HOURS_48 }), (durationSeconds) => {
        const result = simulatePolling({ ...DEFAULT_BOUNDS, durationSeconds });
        expect(result.worstLagSeconds).toBeLessThanOrEqual(Math.max(30, 0.05 * durationSeconds));
      }),
    );
  });

  it("notices the end within max(min, 5% of the duration) from StarRocks' states alone", () => {
    fc.assert(
      fc.property(phasedJob(), ({ durationSeconds, stateAt }) => {
        const result = simulatePolling({ ...DEFAULT_BOUNDS, durationSeconds, stateAt });
        expect(result.worstLagSeconds).toBeLessThanOrEqual(Math.max(30, 0.05 * durationSeconds));
      }),
      { numRuns: 300 },
    );
  });

  it('notices the end within max(2 min, 2% of the duration) when the history is within ±10%', () => {
    fc.assert(
      fc.property(jobWithEstimate(0.1), ({ durationSeconds, error }) => {
        const historySeconds = [durationSeconds * (1 + error)];
        const result = simulatePolling({ ...DEFAULT_BOUNDS, durationSeconds, historySeconds });
        expect(result.worstLagSeconds).toBeLessThanOrEqual(Math.max(120, 0.02 * durationSeconds));
      }),
    );
  });

  it('keeps that bound for any configured min (up to 2 min) and max', () => {
    fc.assert(
      fc.property(
        jobWithEstimate(0.1),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 7200 }),
        ({ durationSeconds, error }, minSeconds, extraMaxSeconds) => {
          const result = simulatePolling({
            minSeconds,
            maxSeconds: minSeconds + extraMaxSeconds,
            durationSeconds,
            historySeconds: [durationSeconds * (1 + error)],
            maxPolls: 200_000,
          });
          expect(result.worstLagSeconds).toBeLessThanOrEqual(Math.max(120, 0.02 * durationSeconds));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('keeps that bound when the median of several past durations is within ±10%', () => {
    fc.assert(
      fc.property(
        jobWithEstimate(0.1),
        fc.array(fc.double({ min: 0.05, max: 20, noNaN: true }), { minLength: 1, maxLength: 3 }),
        ({ durationSeconds, error }, outliers) => {
          const typical = durationSeconds * (1 + error);
          // The typical duration is the median: as many outliers below as above, or the typical one twice more.
          const historySeconds = [
            typical,
            ...outliers.map((factor) => typical * factor),
            typical,
            typical,
            typical,
          ];
          const result = simulatePolling({ ...DEFAULT_BOUNDS, durationSeconds, historySeconds });
          expect(result.worstLagSeconds).toBeLessThanOrEqual(Math.max(120, 0.02 * durationSeconds));
        },
      ),
    );
  });

  it('degrades to no worse than the growth rule when the history is off by up to ±30%', () => {
    fc.assert(
      fc.property(jobWithEstimate(0.3), ({ durationSeconds, error }) => {
        const historySeconds = [durationSeconds * (1 + error)];
        const result = simulatePolling({ ...DEFAULT_BOUNDS, durationSeconds, historySeconds });
        expect(result.worstLagSeconds).toBeLessThanOrEqual(Math.max(120, 0.05 * durationSeconds));
      }),
    );
  });

  it('notices the end within max(2 min, 2% of the duration) from steady upload progress alone', () => {
    // The rate needs two readings: an upload of at least 10% of the job, begun within its first half.
    fc.assert(
      fc.property(
        phasedJob({ maxPreUpload: 0.5, minUpload: 0.1 }),
        ({ durationSeconds, stateAt, progressAt }) => {
          const result = simulatePolling({ ...DEFAULT_BOUNDS, durationSeconds, stateAt, progressAt });
          expect(result.worstLagSeconds).toBeLessThanOrEqual(Math.max(120, 0.02 * durationSeconds));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps that bound with progress and a history within ±10%, whatever the phases', () => {
    fc.assert(
      fc.property(
        phasedJob(),
        fc.double({ min: -0.1, max: 0.1, noNaN: true }),
        ({ durationSeconds, stateAt, progressAt }, error) => {
          const historySeconds = [durationSeconds * (1 + error)];
          const result = simulatePolling({
            ...DEFAULT_BOUNDS,
            durationSeconds,
            stateAt,
            progressAt,
            historySeconds,
          });
          expect(result.worstLagSeconds).toBeLessThanOrEqual(Math.max(120, 0.02 * durationSeconds));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('notices the end of an upload that stalls and resumes within max(2 min, 5% of its actual duration)', () => {
    // Jobs up to 6 h: longer ones have their waits capped by maxSeconds, which only makes the bound easier.
    // The bound holds for a stall the checks see (two checks inside it: the second shows no movement). A stall
    // that begins and ends between two checks only looks like a slower upload, and can cost up to one wait.
    fc.assert(
      fc.property(
        phasedJob({ maxPreUpload: 0.5, minUpload: 0.1, maxSeconds: 6 * 3600 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        ({ durationSeconds, preUpload, stateAt, progressAt }, where, length) => {
          // The stall begins after the pre-upload states (one there would break the policy's assumption).
          const stallAt = (preUpload + (1 - preUpload) * where) * durationSeconds;
          const stallSeconds = length * durationSeconds;
          const jobTime = (elapsed: number) =>
            elapsed <= stallAt ? elapsed : Math.max(stallAt, elapsed - stallSeconds);
          const actualSeconds = durationSeconds + stallSeconds;
          const result = simulatePolling({
            ...DEFAULT_BOUNDS,
            durationSeconds: actualSeconds,
            stateAt: (elapsed) => stateAt(jobTime(elapsed)),
            progressAt: (elapsed) => progressAt(jobTime(elapsed)),
          });
          const checksInStall = result.pollTimesSeconds.filter(
            (at) => at > stallAt && at < stallAt + stallSeconds,
          ).length;
          fc.pre(checksInStall >= 2);
          expect(result.worstLagSeconds).toBeLessThanOrEqual(Math.max(120, 0.05 * actualSeconds));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('checks a 24 h backup at most 48 times from progress alone when it snapshots for ≥ 5% and finishes in ≤ 15%', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 0.3, noNaN: true }),
        fc.double({ min: 0, max: 0.15, noNaN: true }),
        (preUpload, finishing) => {
          const durationSeconds = 24 * 3600;
          const model = linearUploadProgress({
            durationSeconds,
            uploadStartFraction: preUpload,
            uploadEndFraction: 1 - finishing,
          });
          expect(simulatePolling({ ...DEFAULT_BOUNDS, durationSeconds, ...model }).polls).toBeLessThanOrEqual(
            48,
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('checks a 24 h backup at most 144 times without an estimate and 48 times with one within ±10%', () => {
    fc.assert(
      fc.property(fc.double({ min: -0.1, max: 0.1, noNaN: true }), (error) => {
        const durationSeconds = 24 * 3600;
        const without = simulatePolling({ ...DEFAULT_BOUNDS, durationSeconds });
        const withHistory = simulatePolling({
          ...DEFAULT_BOUNDS,
          durationSeconds,
          historySeconds: [durationSeconds * (1 + error)],
        });
        expect(without.polls).toBeLessThanOrEqual(144);
        expect(withHistory.polls).toBeLessThanOrEqual(48);
      }),
    );
  });

  it('checks no more often with a good estimate than without one, for jobs of an hour or more', () => {
    fc.assert(
      fc.property(jobWithEstimate(0.1), ({ durationSeconds, error }) => {
        fc.pre(durationSeconds >= 3600);
        const without = simulatePolling({ ...DEFAULT_BOUNDS, durationSeconds });
        const withHistory = simulatePolling({
          ...DEFAULT_BOUNDS,
          durationSeconds,
          historySeconds: [durationSeconds * (1 + error)],
        });
        expect(withHistory.polls).toBeLessThanOrEqual(without.polls);
      }),
    );
  });

  it('notices a stalled upload at its deadline, within the minimum wait', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3600, max: HOURS_48 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (deadlineSeconds, stallFraction) => {
          const stalledAt = deadlineSeconds * stallFraction;
          const result = simulatePolling({
            ...DEFAULT_BOUNDS,
            durationSeconds: Number.POSITIVE_INFINITY,
            deadlineSeconds,
            stateAt: () => 'UPLOADING',
            progressAt: (elapsed) => ({
              done: Math.floor((1000 * Math.min(elapsed, stalledAt)) / deadlineSeconds),
              total: 1000,
            }),
          });
          expect(result.endedBy).toBe('deadline');
          expect(result.detectedAtSeconds).toBeGreaterThanOrEqual(deadlineSeconds);
          expect(result.detectedAtSeconds - deadlineSeconds).toBeLessThanOrEqual(30);
        },
      ),
    );
  });
});
