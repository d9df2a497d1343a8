import { describe, expect, it } from 'vitest';
import type { PollPolicyInput } from '#domain/poll/poll-policy.ts';
import { linearUploadProgress, simulatePolling } from '#local/poll/simulate.ts';

describe('simulatePolling', () => {
  it('counts one check per minute for a fixed 60 s interval', () => {
    const result = simulatePolling({
      durationSeconds: 3600,
      minSeconds: 30,
      maxSeconds: 3600,
      policy: () => 60,
    });
    expect(result.polls).toBe(60);
    expect(result.lagSeconds).toBe(0);
    expect(result.worstLagSeconds).toBe(60);
    expect(result.endedBy).toBe('finished');
  });

  it('measures the lag from the end to the first check at or after it', () => {
    const result = simulatePolling({
      durationSeconds: 100,
      minSeconds: 30,
      maxSeconds: 3600,
      policy: () => 60,
    });
    expect(result.pollTimesSeconds).toEqual([60, 120]);
    expect(result.detectedAtSeconds).toBe(120);
    expect(result.lagSeconds).toBe(20);
  });

  it('reports the longest wait before the end, the lag an early failure could have had', () => {
    const waits = [30, 500, 40];
    let call = 0;
    const result = simulatePolling({
      durationSeconds: 560,
      minSeconds: 30,
      maxSeconds: 3600,
      policy: () => waits[call++] ?? 60,
    });
    expect(result.maxWaitSeconds).toBe(500);
    expect(result.worstLagSeconds).toBe(40);
  });

  it('ends a job longer than the deadline at the first check past the deadline', () => {
    const result = simulatePolling({
      durationSeconds: 100_000,
      deadlineSeconds: 7200,
      minSeconds: 30,
      maxSeconds: 3600,
    });
    expect(result.endedBy).toBe('deadline');
    expect(result.detectedAtSeconds).toBe(7200);
  });

  it('hands the policy what SHOW BACKUP said at the previous check (nothing before the first)', () => {
    const seen: Array<string | undefined> = [];
    simulatePolling({
      durationSeconds: 200,
      minSeconds: 30,
      maxSeconds: 3600,
      stateAt: (elapsed) => (elapsed < 100 ? 'SNAPSHOTING' : 'UPLOADING'),
      policy: (input) => {
        seen.push(input.state);
        return 60;
      },
    });
    expect(seen).toEqual([undefined, 'SNAPSHOTING', 'UPLOADING', 'UPLOADING']);
  });

  it('records what each check saw, as CheckBackup does, and hands it to the policy', () => {
    // Prepare
    const observed: PollPolicyInput['observed'][] = [];
    const model = linearUploadProgress({
      durationSeconds: 400,
      totalTasks: 100,
      uploadStartFraction: 0.25,
      uploadEndFraction: 0.75,
    });

    // Act
    simulatePolling({
      durationSeconds: 400,
      minSeconds: 30,
      maxSeconds: 3600,
      ...model,
      policy: (input) => {
        observed.push(input.observed);
        return 60;
      },
    });

    // Assess: checks at 60 (SNAPSHOTING), 120, 180, 240 (UPLOADING from 100 s to 300 s: 10, 40, 70 of 100 tasks).
    expect(observed[1]?.preUploadSeenSeconds).toBe(60);
    expect(observed[2]?.uploadFirst).toEqual({ elapsedSeconds: 120, done: 10, total: 100 });
    expect(observed[4]).toEqual({
      preUploadSeenSeconds: 60,
      uploadFirst: { elapsedSeconds: 120, done: 10, total: 100 },
      uploadPrevious: { elapsedSeconds: 180, done: 40, total: 100 },
      uploadStalled: false,
      // 120→180 s counted once 240 s moved too: 30 of 100 tasks in 60 s.
      uploadFastestPerSecond: 0.005,
    });
  });

  it('stops a policy that never reaches the end', () => {
    const result = simulatePolling({
      durationSeconds: 1e9,
      minSeconds: 1,
      maxSeconds: 1,
      policy: () => 1,
      maxPolls: 10,
    });
    expect(result.polls).toBe(10);
  });
});

describe('linearUploadProgress', () => {
  it('moves through SNAPSHOTING, UPLOADING with steady progress, then UPLOAD_INFO', () => {
    const model = linearUploadProgress({
      durationSeconds: 1000,
      totalTasks: 100,
      uploadStartFraction: 0.1,
      uploadEndFraction: 0.9,
    });
    expect(model.stateAt(50)).toBe('SNAPSHOTING');
    expect(model.progressAt(50)).toBeNull();
    expect(model.stateAt(500)).toBe('UPLOADING');
    expect(model.progressAt(500)).toEqual({ done: 50, total: 100 });
    expect(model.stateAt(950)).toBe('UPLOAD_INFO');
    expect(model.progressAt(950)).toEqual({ done: 100, total: 100 });
  });
});
