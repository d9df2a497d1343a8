import type { Command } from 'commander';
import type { ValidateCommandOptions } from '../inspect/validate-command.ts';
import { configOption, runAction, verboseOption } from './common.ts';

const HELP = `
Checks the configuration file against its schema (every problem is reported with its field path and line) and
summarises what it describes. Nothing is contacted, unless --resolve: then it logs in to each cluster's FE
(STARROCKS_PASSWORD_<CLUSTER> or STARROCKS_PASSWORD), shows its version, and warns about what this configuration
cannot do on it (retention on a version without DROP SNAPSHOT and without retention.s3 removes nothing).

Exit status: 0 valid; 1 valid, but an FE could not be reached (--resolve); 2 invalid (every problem on stderr).

Examples:
  $ sr-backup validate --config backup.yaml
  $ sr-backup validate --config backup.yaml --json
  $ sr-backup validate --config backup.yaml --resolve`;

/** Adds `sr-backup validate`. */
export function registerValidateCommand(program: Command): void {
  const command = configOption(
    program.command('validate').description('Check the configuration file (exit 0 valid, 2 invalid)'),
  )
    .option('--resolve', "also log in to each cluster's FE and check what its version can do as configured")
    .option('--json', 'print {valid, issues, warnings, clusters, frontEnds?} as JSON on stdout');
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: ValidateCommandOptions) => {
    const { runValidateCommand } = await import('../inspect/validate-command.ts');
    await runAction((io) => runValidateCommand(options, io));
  });
}
