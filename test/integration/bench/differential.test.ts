// The differential benchmark's model and restore check (bench §5) at its real size, in about a second (no emulator),
// and its workflow part over 9 nights (the emulator, the local interpreter, dynalite; virtual clock), about 7 s.
import { describe, expect, it } from 'vitest';
import { runDifferentialBench, TRANSFER_BYTES_PER_SECOND } from '#bench/differential/differential-bench.ts';
import { runDifferentialWorkflowBench } from '#bench/differential/workflow-nights.ts';

describe('differential benchmark (§5)', () => {
  const result = runDifferentialBench();

  it('restores every differential night, by the planner’s own steps, to exactly the database of that night', () => {
    expect(result.checks.length).toBeGreaterThan(20);
    expect(result.checks.map((check) => check.mismatches)).toEqual(result.checks.map(() => 0));
    expect(result.checks.map((check) => check.checkStepMismatches)).toEqual(result.checks.map(() => 0));
  });

  it('uploads less with weekly fulls and differentials than with a full every night, in every whole week', () => {
    const wholeWeeks = result.weeks.filter((week) => week.nights === 7);
    expect(wholeWeeks.length).toBeGreaterThanOrEqual(4);
    for (const week of wholeWeeks) expect(week.weeklyBytes).toBeLessThan(week.fullNightlyBytes);
  });
});

describe('differential benchmark (§5) through the workflow', () => {
  it('takes the same bytes as the planner computes, night by night, and restores the newest point exactly', async () => {
    // Act: nine nights (a full, six differentials, the next week's full, one more differential).
    const workflow = await runDifferentialWorkflowBench({
      uploadBytesPerSecond: TRANSFER_BYTES_PER_SECOND,
      nights: 9,
    });
    const computed = runDifferentialBench();

    // Assess
    expect(workflow.nights.map((night) => night.differential.mode)).toEqual([
      'full',
      ...Array(6).fill('differential'),
      'full',
      'differential',
    ]);
    for (const night of workflow.nights) {
      const planned = computed.nights[night.night - 1];
      // The emulator keeps whole bytes; the model fractions of one.
      expect(
        Math.abs(night.differential.bytes - (planned?.weeklyBytes ?? 0)),
        `night ${night.night}`,
      ).toBeLessThan(1_000);
      expect(night.differential.seconds).toBeGreaterThan(0);
    }
    expect(workflow.restore).toMatchObject({ exitCode: 0, state: 'FINISHED', mismatchedPartitions: 0 });
    expect(workflow.restore.comparedPartitions).toBeGreaterThan(365);
  });
});
