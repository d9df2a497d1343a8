import { describe, expect, it } from 'vitest';
import {
  BACKUP_EXECUTION_MARGIN_SECONDS,
  backupExecutionBudget,
  functionTimeoutSeconds,
  MAX_EXECUTION_SECONDS,
  nightlyExecutionTimeoutSeconds,
  retryWaitBoundSeconds,
  shortestTaskTimeoutSeconds,
} from '#cdk/constructs/execution-timeouts.ts';
import { functionPlaceholder, readDefinitionText } from '#statemachines/definitions.ts';

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

describe('shortestTaskTimeoutSeconds', () => {
  it('reads the Task timeout of a function from the ASL, inside Map iterations too', () => {
    expect(
      shortestTaskTimeoutSeconds(
        [nightlyBackup, backupDatabase],
        `\${${functionPlaceholder('CheckBackup')}}`,
      ),
    ).toBe(120);
  });

  it('takes the quickest Task when several invoke the same function', () => {
    const work = `\${WorkFunctionArn}`;
    const tasks = {
      States: {
        Quick: { Type: 'Task', Resource: work, TimeoutSeconds: 60 },
        Slow: { Type: 'Task', Resource: work, TimeoutSeconds: 300 },
      },
    };
    expect(shortestTaskTimeoutSeconds([tasks], work)).toBe(60);
  });

  it('is undefined for a resource no Task uses', () => {
    expect(
      shortestTaskTimeoutSeconds([nightlyBackup, backupDatabase], '$' + '{NoSuchFunctionArn}'),
    ).toBeUndefined();
  });
});

describe('functionTimeoutSeconds', () => {
  it("fires a function's own timeout 20 s before its Task's, within Lambda's 15 minutes", () => {
    expect(functionTimeoutSeconds(120)).toBe(100);
    expect(functionTimeoutSeconds(900)).toBe(880);
    expect(functionTimeoutSeconds(3_600)).toBe(900);
  });

  it('refuses a Task too short to leave its function any time', () => {
    expect(() => functionTimeoutSeconds(20)).toThrow(/leaves its function no time/);
  });
});
