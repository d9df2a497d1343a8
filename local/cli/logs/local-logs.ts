/** The lines of a local run: its log file in the state directory (local/runtime/run-log.ts writes it). */
import { readFile } from 'node:fs/promises';
import { runLogPath } from '#local/runtime/run-log.ts';
import { failure } from '../support/cli-error.ts';
import { parseLogLine, type RunLogLine } from './log-line.ts';

/** Reads the log of local run `runId` kept under `stateDir`; a run without one is a failure (exit 1) with a hint. */
export async function readLocalRunLog(stateDir: string, runId: string): Promise<RunLogLine[]> {
  const path = runLogPath(stateDir, runId);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw failure(`no log of run ${runId} in ${stateDir}`, {
        hint: `\`sr-backup runs --config <file> --state-dir ${stateDir}\` lists the local runs; a run keeps its log only when it ran with a state directory (not with --dynamodb-endpoint)`,
      });
    }
    throw error;
  }
  return text
    .split('\n')
    .map((line) => parseLogLine(line))
    .filter((line): line is RunLogLine => line !== undefined);
}
