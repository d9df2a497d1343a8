import { Command } from 'commander';
import { registerEmulatorCommand } from './commands/emulator.ts';

const program = new Command('sr-backup')
  .description(
    'StarRocks backup scheduler: run a nightly backup locally, inspect the snapshot catalog, or start the deployed workflow.',
  )
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)');

registerEmulatorCommand(program);

await program.parseAsync(process.argv);
