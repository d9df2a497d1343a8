/**
 * The JSON document a command prints when its own arguments are refused before it runs (an unknown option, a
 * missing required one, a value the option parser rejects), so `--json` always yields exactly one document on
 * stdout. `run` keeps its contract's fields, all empty.
 */
import type { CommanderError } from 'commander';

/** Commander's message without its `error: ` prefix. */
function usageMessage(error: CommanderError): string {
  return error.message.replace(/^error:\s*/i, '');
}

/** The first argument that names a command (not an option), e.g. `run`. */
function commandName(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((argument) => !argument.startsWith('-'));
}

/** Whether the arguments ask for JSON output and the error is a refusal (not help or the version). */
export function wantsUsageErrorDocument(argv: readonly string[], error: CommanderError): boolean {
  return error.exitCode !== 0 && argv.includes('--json');
}

/** The document for a refused command line. */
export function usageErrorDocument(argv: readonly string[], error: CommanderError): Record<string, unknown> {
  const failure = { status: 'ERROR', error: { name: 'UsageError', message: usageMessage(error) } };
  if (commandName(argv) !== 'run') return failure;
  return { cluster: null, scheduledTime: null, results: [], schedule: null, runId: null, ...failure };
}
