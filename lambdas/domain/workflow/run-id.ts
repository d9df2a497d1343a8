/**
 * The run a Task invocation belongs to, read from the input Step Functions sends it (statemachines/*.asl.json):
 * `runId` where the state carries the nightly run's id (BackupLane, BackupDatabase under a run), else `run.id`
 * (the NightlyBackup execution itself: InitRun keeps `$$.Execution.Id` there), else `execution.id` (an execution
 * started on its own: a restore drill, a BackupDatabase started by hand).
 */
export function runIdOfTaskInput(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const state = input as { runId?: unknown; run?: unknown; execution?: unknown };
  return nonEmpty(state.runId) ?? idOf(state.run) ?? idOf(state.execution);
}

function idOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? nonEmpty((value as { id?: unknown }).id) : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
