/** Options and plumbing every command shares. */
import { type Command, Option } from 'commander';
import type { ExitCode } from '../support/cli-error.ts';
import { DEFAULT_STATE_DIR } from '../support/defaults.ts';
import { type CommandIo, processIo } from '../support/io.ts';
import { parseHttpUrl } from '../support/option-parsers.ts';

/** `--config <file>` (required). */
export function configOption(command: Command): Command {
  return command.requiredOption('-c, --config <file>', 'configuration file (YAML or JSON)');
}

/** `--state-dir` / `--dynamodb-endpoint`: where the local locks and catalog live (one or the other). */
export function storeOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--dynamodb-endpoint <url>',
        'a DynamoDB-compatible endpoint (tables are created when missing) instead of the embedded one',
      )
        .argParser(parseHttpUrl)
        .conflicts('stateDir'),
    )
    .option(
      '--state-dir <dir>',
      `where the embedded DynamoDB keeps the locks and the catalog (default: ${DEFAULT_STATE_DIR}/)`,
    );
}

/** `--verbose`. */
export function verboseOption(command: Command): Command {
  return command.option('-v, --verbose', 'show details of errors and the handlers’ log lines (stderr)');
}

/** Runs a command's core with the real process and records its exit status for main. */
export async function runAction(core: (io: CommandIo) => Promise<ExitCode>): Promise<void> {
  process.exitCode = await core(processIo());
}
