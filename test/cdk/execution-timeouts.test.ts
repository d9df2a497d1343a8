import { describe, expect, it } from 'vitest';
import {
  BACKUP_EXECUTION_MARGIN_SECONDS,
  backupExecutionBudget,
  MAX_EXECUTION_SECONDS,
  nightlyExecutionTimeoutSeconds,
  retryWaitBoundSeconds,
  taskTimeoutSeconds,
} from '../../cdk/constructs/execution-timeouts.ts';
import { functionPlaceholder, readDefinitionText } from '../../statemachines/definitions.ts';

const backupDatabase = JSON.parse(readDefinitionText('backupDatabase')) as object;
const nightlyBackup = JSON.parse(readDefinitionText('nightlyBackup')) as object;

const retrying = (retrier: Record<string, unknown>) => ({
  States: { Work: { Type: 'Task', Retry: [{ ErrorEquals: ['Busy'], ...retrier }] } },
});

describe('retryWaitBoundSeconds', () => {
  it('sums the backoff of every attempt', () => {
    expect(
      retryWaitBoundSeconds(retrying({ IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }), 'Work', 'Busy'),
    ).toBe(2 + 4 + 8);
  });

  it('caps each wait at MaxDelaySeconds', () => {
    expect(
      retryWaitBoundSeconds(
        retrying({ IntervalSeconds: 30, MaxAttempts: 4, BackoffRate: 2, MaxDelaySeconds: 60 }),
        'Work',
        'Busy',
      ),
    ).toBe(30 + 60 + 60 + 60);
  });

  it('applies the ASL defaults (1 s, 3 attempts, rate 2)', () => {
    expect(retryWaitBoundSeconds(retrying({}), 'Work', 'Busy')).toBe(1 + 2 + 4);
  });

  it('refuses a state that does not retry the error, rather than bounding the wait at zero', () => {
    expect(() => retryWaitBoundSeconds(retrying({}), 'Work', 'OtherError')).toThrow(
      /no Retry for OtherError/,
    );
  });

  it('bounds the wait for a BackupDatabase slot at about eight hours (AcquireSlot: 100 retries of ≤ 300 s)', () => {
    const hours = retryWaitBoundSeconds(backupDatabase, 'AcquireSlot', 'SlotUnavailableError') / 3600;
    expect(Math.round(hours)).toBe(8);
  });
});

describe('backupExecutionBudget', () => {
  it('adds every bounded wait and the margin to the longest deadline', () => {
    const budget = backupExecutionBudget(backupDatabase, {
      maxDeadlineSeconds: 86_400,
      maxPollSeconds: 3600,
    });
    const sum =
      86_400 + budget.slotWait + budget.lockWait + budget.submitWait + 3600 + BACKUP_EXECUTION_MARGIN_SECONDS;
    expect(budget.total).toBe(Math.ceil(sum / 60) * 60);
  });

  it('never exceeds the one-year limit of a Standard execution', () => {
    expect(
      backupExecutionBudget(backupDatabase, {
        maxDeadlineSeconds: MAX_EXECUTION_SECONDS,
        maxPollSeconds: 3600,
      }).total,
    ).toBe(MAX_EXECUTION_SECONDS);
  });
});

describe('nightlyExecutionTimeoutSeconds', () => {
  it('caps a run at a week when a single backup is shorter', () => {
    expect(nightlyExecutionTimeoutSeconds(124_740)).toBe(7 * 86_400);
  });

  it('outlives its longest backup by a day when a backup may last longer than a week', () => {
    expect(nightlyExecutionTimeoutSeconds(10 * 86_400)).toBe(11 * 86_400);
  });
});

describe('taskTimeoutSeconds', () => {
  it('reads the Task timeout of a function from the ASL, inside Map iterations too', () => {
    expect(
      taskTimeoutSeconds([nightlyBackup, backupDatabase], `\${${functionPlaceholder('CheckBackup')}}`),
    ).toBe(120);
  });

  it('is undefined for a resource no Task uses', () => {
    expect(taskTimeoutSeconds([nightlyBackup, backupDatabase], '$' + '{NoSuchFunctionArn}')).toBeUndefined();
  });
});
