/** `sr-backup unpin`: retention applies to the snapshot again. */
import type { Command } from 'commander';
import { runAction } from './common.ts';
import { type PinCommandOptions, pinOptions, runPinCommand } from './pin.ts';

const HELP = `
Removes the pin of a snapshot: the next prune applies the retention policy to it again.

Examples:
  $ sr-backup unpin --config backup.yaml --cluster prod --database sales --snapshot nightly_sales_20261124T1800Z_3f9a1c`;

/** Adds `sr-backup unpin`. */
export function registerUnpinCommand(program: Command): void {
  const command = pinOptions(
    program.command('unpin').description('Let retention apply to a pinned snapshot again'),
  );
  command.addHelpText('after', HELP).action(async (options: PinCommandOptions) => {
    await runAction((io) => runPinCommand(options, io, false));
  });
}
