/** Options and plumbing every command shares. */
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { ExitCode } from '../support/cli-error.ts';
import { DEFAULT_STATE_DIR } from '../support/defaults.ts';
import { type CommandIo, processIo } from '../support/io.ts';
import { parseHttpUrl } from '../support/option-parsers.ts';

/** `--config` may come from this variable. */
export const CONFIG_VARIABLE = 'SR_BACKUP_CONFIG';

/** The configuration file used when neither `--config` nor SR_BACKUP_CONFIG names one, if it exists here. */
export const DEFAULT_CONFIG_FILE = 'backup.config.yaml';

/** `--config <file>`: required, unless SR_BACKUP_CONFIG names it or `./backup.config.yaml` exists. */
export function configOption(command: Command): Command {
  const option = new Option(
    '-c, --config <file>',
    `configuration file, YAML or JSON (default: $${CONFIG_VARIABLE}, else ./${DEFAULT_CONFIG_FILE} when it exists)`,
  ).makeOptionMandatory(true);
  // Not commander's .env(): a variable set but empty (`SR_BACKUP_CONFIG=`) must count as unset, not as a file name.
  const fromVariable = process.env[CONFIG_VARIABLE]?.trim();
  const fallback =
    fromVariable !== undefined && fromVariable !== ''
      ? fromVariable
      : existsSync(DEFAULT_CONFIG_FILE)
        ? DEFAULT_CONFIG_FILE
        : undefined;
  if (fallback !== undefined) option.default(fallback);
  return command.addOption(option);
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
