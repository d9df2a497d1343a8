import { describe, expect, it } from 'vitest';
import { LEASE_MIN_SECONDS } from '#domain/config/index.ts';
import { SUBMISSION_WINDOW_SECONDS } from '#functions/SettleOrphans/core.ts';
import { VERIFY_RESTORE_TASK_SECONDS } from '#functions/VerifyRestore/core.ts';
import { readDefinitionText, type StateMachineName } from '#statemachines/definitions.ts';

type State = {
  Type: string;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[]; MaxDelaySeconds?: number; IntervalSeconds?: number }[];
  ItemProcessor?: { States: Record<string, State> };
};

/** Tasks that renew for their own length (their TimeoutSeconds) instead of relying on the lease minimum. */
const RENEWING_FOR_THEMSELVES: Record<string, number> = { VerifyRestore: VERIFY_RESTORE_TASK_SECONDS };

/** The machines whose executions hold a lock or a slot between two Task attempts. */
const LEASE_HOLDERS: StateMachineName[] = ['backupDatabase', 'restoreDrill', 'settleExecution'];

function tasksOf(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, state]) => [
    ...(state.Type === 'Task' ? ([[name, state]] as [string, State][]) : []),
    ...(state.ItemProcessor ? tasksOf(state.ItemProcessor.States) : []),
  ]);
}

describe('the shortest lease the configuration allows (docs/locking.md, rule 3)', () => {
  const tasks = LEASE_HOLDERS.flatMap((machine) =>
    tasksOf((JSON.parse(readDefinitionText(machine)) as { States: Record<string, State> }).States).map(
      ([name, state]) => ({ machine, name, state }),
    ),
  );

  it('covers every lease-holding Task attempt plus the longest delay before its retry renews again', () => {
    // Prepare
    const longestAttempt = Math.max(
      ...tasks
        .filter(({ name }) => RENEWING_FOR_THEMSELVES[name] === undefined)
        .map(({ state }) => state.TimeoutSeconds ?? Number.POSITIVE_INFINITY),
    );
    const longestDelay = Math.max(
      ...tasks.flatMap(({ state }) =>
        (state.Retry ?? []).map((retrier) => retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY),
      ),
    );

    // Assess: a Task without TimeoutSeconds, or a Retrier without MaxDelaySeconds, would make the bound infinite.
    expect(longestAttempt).toBe(120);
    expect(longestDelay).toBe(300);
    expect(LEASE_MIN_SECONDS).toBeGreaterThanOrEqual(longestAttempt + longestDelay);
  });

  it('lets a longer Task renew for exactly its own TimeoutSeconds', () => {
    for (const { name, state } of tasks.filter(({ name }) => RENEWING_FOR_THEMSELVES[name] !== undefined)) {
      expect(state.TimeoutSeconds, name).toBe(RENEWING_FOR_THEMSELVES[name]);
    }
  });
});

describe('the window in which an ended holder may still send its BACKUP (docs/locking.md, orphaned jobs)', () => {
  it('outlasts every Task that submits a job, so the second settlement pass never misses a late BACKUP', () => {
    for (const [machine, task] of [
      ['backupDatabase', 'SubmitBackup'],
      ['restoreDrill', 'SubmitRestore'],
    ] as const) {
      const states = (JSON.parse(readDefinitionText(machine)) as { States: Record<string, State> }).States;
      expect(states[task]?.TimeoutSeconds, task).toBeLessThan(SUBMISSION_WINDOW_SECONDS);
    }
  });
});
