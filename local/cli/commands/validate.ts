import type { Command } from 'commander';
import type { ValidateCommandOptions } from '../inspect/validate-command.ts';
import { configOption, runAction, verboseOption } from './common.ts';

const HELP = `
Checks the configuration file against its schema (every problem is reported with its field path and line) and
summarises what it describes. Nothing is contacted.

Exit status: 0 valid; 2 invalid (every problem on stderr).

Examples:
  $ sr-backup validate --config backup.yaml
  $ sr-backup validate --config backup.yaml --json`;

/** Adds `sr-backup validate`. */
export function registerValidateCommand(program: Command): void {
  const command = configOption(
    program.command('validate').description('Check the configuration file (exit 0 valid, 2 invalid)'),
  ).option('--json', 'print {valid, issues, clusters} as JSON on stdout');
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: ValidateCommandOptions) => {
    const { runValidateCommand } = await import('../inspect/validate-command.ts');
    await runAction((io) => runValidateCommand(options, io));
  });
}
