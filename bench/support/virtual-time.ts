/**
 * Virtual time for benchmarks: the emulator and the Lambda cores read one manual clock; every Wait state lasts
 * 0 ms of real time, and before each CheckBackup the clock moves to the instant that check is due
 * (`checkedAt + nextWaitSeconds`), never backwards. A 24-hour backup therefore runs in seconds, and the
 * time the workflow "sees" is exactly what it would see deployed. (The idea of test/support/workflow-harness.ts,
 * copied here because benchmarks do not import from test/.)
 */
import type { ManualClock } from '#local/emulator/index.ts';
import type { LocalWorkflowOptions } from '#local/runner/local-workflow.ts';

/** The slot every benchmark backs up: 02:00 Asia/Shanghai is 18:00Z the day before. */
export const BENCH_SLOT = new Date('2026-11-24T18:00:00.000Z');
/** Where the virtual clock starts: five seconds after the slot, as a scheduler invocation would. */
export const BENCH_START_MS = BENCH_SLOT.getTime() + 5_000;

/** The part of BackupDatabase's state a CheckBackup's due time is read from. */
interface DueCheckState {
  readonly database?: string;
  readonly job?: { readonly checkedAt?: number; readonly nextWaitSeconds?: number };
}

/**
 * A `beforeTask` hook that moves `clock` to the due time of every CheckBackup (concurrent executions wait side
 * by side: the clock only moves forward) and then calls `afterAdvance` with the database being checked.
 */
export function advanceClockBeforeChecks(
  clock: ManualClock,
  afterAdvance?: (database: string) => void,
): NonNullable<LocalWorkflowOptions['beforeTask']> {
  return ({ stateName, input }) => {
    if (stateName !== 'CheckBackup') return;
    const state = input as DueCheckState;
    const checkedAt = state.job?.checkedAt;
    const wait = state.job?.nextWaitSeconds;
    if (checkedAt === undefined || wait === undefined) return;
    clock.set(Math.max(clock.now(), checkedAt + wait * 1000));
    afterAdvance?.(state.database ?? '');
  };
}
