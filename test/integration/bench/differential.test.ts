// The differential benchmark's model and restore check (bench §5) at its real size, in about a second: no emulator.
import { describe, expect, it } from 'vitest';
import { runDifferentialBench } from '#bench/differential/differential-bench.ts';

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
