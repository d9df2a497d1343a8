/** The `sr-backup` command line: every command of the CLI contract (docs/cli.md). */
import { Command } from 'commander';
import { registerCancelCommand } from './commands/cancel.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerDescribeCommand } from './commands/describe.ts';
import { registerDrillCommand } from './commands/drill.ts';
import { registerEmulatorCommand } from './commands/emulator.ts';
import { registerLogsCommand } from './commands/logs.ts';
import { registerPauseCommand } from './commands/pause.ts';
import { registerPinCommand } from './commands/pin.ts';
import { registerPlanCommand } from './commands/plan.ts';
import { registerPruneCommand } from './commands/prune.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerRestoreCommand } from './commands/restore.ts';
import { registerResumeCommand } from './commands/resume.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerRunsCommand } from './commands/runs.ts';
import { registerSnapshotsCommand } from './commands/snapshots.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerStatusCommand } from './commands/status.ts';
import { registerUnpinCommand } from './commands/unpin.ts';
import { registerValidateCommand } from './commands/validate.ts';

const EXAMPLES = `
Examples:
  $ npm start                                         # demo: a whole nightly backup on the embedded emulator
  $ sr-backup validate --config backup.yaml
  $ sr-backup plan --config backup.yaml --resolve
  $ sr-backup run --config backup.yaml
  $ sr-backup snapshots --config backup.yaml --database sales
  $ sr-backup status --config backup.yaml
  $ sr-backup runs --config backup.yaml --since 7d
  $ sr-backup describe sales --config backup.yaml
  $ sr-backup logs <runId> --stack StarRocksBackupScheduler --level warn
  $ sr-backup report --config backup.yaml --since 30d --out report.html
  $ sr-backup start --config backup.yaml --cluster prod --state-machine-arn arn:aws:states:…
  $ sr-backup cancel --database sales --config backup.yaml --stack StarRocksBackupScheduler
  $ sr-backup restore --config backup.yaml --database sales --as sales_restored --execute
  $ sr-backup drill --config backup.yaml --cluster prod
  $ sr-backup prune --config backup.yaml --cluster prod            # dry run; --apply removes
  $ sr-backup pause --config backup.yaml --cluster prod --reason "FE upgrade"

Run \`sr-backup <command> --help\` for each command's options. Documentation: docs/cli.md`;

/**
 * Builds the program. Usage errors throw commander's CommanderError (exitOverride) so main can map them to
 * exit status 2; help and version exit 0.
 */
export function createProgram(): Command {
  const program = new Command('sr-backup')
    .description(
      'StarRocks backup scheduler: run a nightly backup locally, inspect the snapshot catalog, or start the deployed workflow.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText('after', EXAMPLES);
  registerRunCommand(program);
  registerRunsCommand(program);
  registerSnapshotsCommand(program);
  registerReportCommand(program);
  registerStatusCommand(program);
  registerDescribeCommand(program);
  registerLogsCommand(program);
  registerValidateCommand(program);
  registerPlanCommand(program);
  registerStartCommand(program);
  registerCancelCommand(program);
  registerRestoreCommand(program);
  registerDrillCommand(program);
  registerPruneCommand(program);
  registerPinCommand(program);
  registerUnpinCommand(program);
  registerPauseCommand(program);
  registerResumeCommand(program);
  registerDemoCommand(program);
  registerEmulatorCommand(program);
  return program;
}
