/**
 * Entry point of `sr-backup` (bin/sr-backup.js sets the log stream and level, then imports this).
 * Exit statuses: 0 success, 1 failure of the work, 2 usage or configuration error.
 */
import { CommanderError } from 'commander';
import { createColors, shouldUseColor } from './format/color.ts';
import { createProgram } from './program.ts';
import { EXIT } from './support/cli-error.ts';
import { explainError } from './support/explain-error.ts';
import { drain } from './support/io.ts';
import { reportError } from './support/report.ts';
import { usageErrorDocument, wantsUsageErrorDocument } from './support/usage-error-json.ts';

async function main(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (wantsUsageErrorDocument(argv, error)) {
        process.stdout.write(`${JSON.stringify(usageErrorDocument(argv, error), null, 2)}\n`);
      }
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    reportError(explainError(error), {
      stderr: process.stderr,
      colors: createColors(shouldUseColor(process.stderr, process.env)),
      verbose: argv.includes('--verbose') || argv.includes('-v'),
    });
    return EXIT.failed;
  }
}

const code = await main(process.argv);
await Promise.all([drain(process.stdout), drain(process.stderr)]);
// Exit explicitly: SDK keep-alive sockets or a workflow's timers must not keep a finished command alive.
process.exit(code);
