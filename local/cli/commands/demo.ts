import type { Command } from 'commander';
import type { DemoCommandOptions } from '../demo/demo-command.ts';
import { runAction, verboseOption } from './common.ts';

const HELP = `
Runs a whole nightly backup of a demo StarRocks cluster on this machine: the embedded FE emulator (five databases
of different sizes, one excluded by a pattern, one empty, one whose backup StarRocks cancels), an in-memory
DynamoDB, the real workflow with live progress, the final table, the Slack alert (printed) and the catalog.
Nothing leaves the machine; no AWS account or StarRocks cluster is needed. Exit 0 when the demo behaved as
designed — its one failure is part of the design.

Examples:
  $ npm start
  $ npx sr-backup demo`;

/** Adds `sr-backup demo` (what `npm start` runs). */
export function registerDemoCommand(program: Command): void {
  const command = program
    .command('demo')
    .description('A whole nightly backup of a demo cluster, locally (npm start)');
  command.option(
    '--report <file>',
    "where to write the demo's HTML report (default: in the temporary folder)",
  );
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: DemoCommandOptions) => {
    const { runDemoCommand } = await import('../demo/demo-command.ts');
    await runAction((io) => runDemoCommand(options, io));
  });
}
