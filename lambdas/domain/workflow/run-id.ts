/**
 * The run a Task invocation belongs to, read from the input Step Functions sends it (statemachines/*.asl.json):
 * `runId` where the state carries the nightly run's id (BackupLane, BackupDatabase under a run), else `run.id`
 * (the NightlyBackup execution itself: InitRun keeps `$$.Execution.Id` there), else `execution.id` (an execution
 * started on its own: a restore drill, a restore, a BackupDatabase started by hand), else, for SettleExecution, the run
 * of the execution it settles (its EventBridge "Execution Status Change" event: the ended execution's input's
 * `runId`, else its ARN), so that what the settlement did is among the stopped run's lines.
 */
export function runIdOfTaskInput(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const state = input as { runId?: unknown; run?: unknown; execution?: unknown; event?: unknown };
  return nonEmpty(state.runId) ?? idOf(state.run) ?? idOf(state.execution) ?? settledRunOf(state.event);
}

/** The run of the execution an EventBridge Step Functions status-change event is about. */
function settledRunOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const detail = (event as { detail?: unknown }).detail;
  if (typeof detail !== 'object' || detail === null) return undefined;
  const { input, executionArn } = detail as { input?: unknown; executionArn?: unknown };
  let fromInput: string | undefined;
  if (typeof input === 'string') {
    try {
      fromInput = runIdOfTaskInput(JSON.parse(input));
    } catch {
      // Not JSON: the execution's ARN still names the run.
    }
  }
  return fromInput ?? nonEmpty(executionArn);
}

function idOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? nonEmpty((value as { id?: unknown }).id) : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
