/**
 * The local runs' log: every structured line the Lambda handlers print during a local run, kept per run in the
 * state directory (`<state-dir>/logs/<run id, file-safe>.jsonl`, one JSON object a line), for `sr-backup logs`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The run of the Task invocation running now, in this async context (set by the local invoker). */
const invocationRun = new AsyncLocalStorage<string | undefined>();

/** Runs `work` (one Task invocation) as part of run `runId`: the lines it logs go to that run's log. */
export function withInvocationRun<T>(runId: string | undefined, work: () => T): T {
  return invocationRun.run(runId, work);
}

/** The folder of the run logs under a state directory. */
export function runLogDirectory(stateDir: string): string {
  return join(stateDir, 'logs');
}

/** The log file of run `runId` under `stateDir` (an execution ARN has `:` and `/`, which no file name should). */
export function runLogPath(stateDir: string, runId: string): string {
  return join(runLogDirectory(stateDir), `${runId.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`);
}

/** Receives the handlers' printed JSON lines. */
export interface RunLog {
  /** Appends one printed line to its run's log; a line of no run, or not JSON, is not kept. */
  write(line: string): void;
}

/** A run log writing under `stateDir`; the folder is created on the first line. */
export function createRunLog(stateDir: string): RunLog {
  let made = false;
  return {
    write(line) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      // The async context first: handlers of one name share a logger, and in this process several invocations
      // run at once, so the logger's runId key may be another invocation's (Lambda runs one at a time).
      const runId = invocationRun.getStore() ?? (typeof entry.runId === 'string' ? entry.runId : undefined);
      if (runId === undefined) return;
      if (!made) {
        mkdirSync(runLogDirectory(stateDir), { recursive: true });
        made = true;
      }
      // Synchronous: lines stay in the order they were printed, and none is lost when the process exits.
      appendFileSync(runLogPath(stateDir, runId), `${JSON.stringify({ ...entry, runId })}\n`);
    },
  };
}
