// `logs --function` against deployed line shapes, in milliseconds.
import { describe, expect, it } from 'vitest';
import { keepLine, type RunLogLine } from '#local/cli/logs/log-line.ts';

/** A deployed line: CloudFormation's physical function name, cut, which need not contain the Task's name. */
function deployedLine(service: string): RunLogLine {
  return {
    timestamp: 0,
    entry: { level: 'INFO', service, function_name: 'StarRocksBackupSchedulerPr-SchedulerPlanDrFunct-AbC1' },
  };
}

describe('logs --function', () => {
  it('finds a Task whose logger service is named differently, by its ASL name', () => {
    expect(keepLine(deployedLine('drill-plan'), { functions: ['PlanDrill'] })).toBe(true);
    expect(keepLine(deployedLine('restore-plan'), { functions: ['PlanRestore'] })).toBe(true);
    expect(keepLine(deployedLine('drill-cleanup'), { functions: ['DropScratch'] })).toBe(true);
    expect(keepLine(deployedLine('submit-restore'), { functions: ['SubmitRestore'] })).toBe(true);
  });

  it('keeps other functions out', () => {
    expect(keepLine(deployedLine('drill-record'), { functions: ['PlanDrill'] })).toBe(false);
    expect(keepLine(deployedLine('submit-backup'), { functions: ['SubmitRestore'] })).toBe(false);
  });
});
