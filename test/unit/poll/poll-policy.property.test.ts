import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UploadProgress } from '../../../lambdas/poll/finish-estimate.ts';
import { nextPollSeconds, type PollPolicyInput } from '../../../lambdas/poll/poll-policy.ts';
import { linearUploadProgress, simulatePolling } from '../../../lambdas/poll/simulate.ts';

const DEFAULT_BOUNDS = { minSeconds: 30, maxSeconds: 3600 } as const;
const HOURS_48 = 48 * 3600;

const progressArbitrary: fc.Arbitrary<UploadProgress | null> = fc.option(
  fc
    .integer({ min: 1, max: 100_000 })
    .chain((total) => fc.record({ done: fc.integer({ min: 0, max: total }), total: fc.constant(total) })),
  { nil: null },
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
  })
  .map(({ extraMaxSeconds, ...input }) => ({ ...input, maxSeconds: input.minSeconds + extraMaxSeconds }));

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
    fc.assert(
      fc.property(fc.integer({ min: 60, max: HOURS_48 }), (durationSeconds) => {
        const upload = linearUploadProgress({ durationSeconds });
        const result = simulatePolling({ ...DEFAULT_BOUNDS, durationSeconds, ...upload });
        expect(result.worstLagSeconds).toBeLessThanOrEqual(Math.max(120, 0.02 * durationSeconds));
      }),
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
