import type { Colors } from '../format/color.ts';
import type { CliError } from './cli-error.ts';

/** Writes an explained error to `stderr`: the sentence, its details, the hint, and with `verbose` the causes. */
export function reportError(
  error: CliError,
  out: { readonly stderr: NodeJS.WritableStream; readonly colors: Colors; readonly verbose: boolean },
): void {
  const lines = [`${out.colors.red(out.colors.bold('error:'))} ${error.message}`];
  for (const detail of error.details) lines.push(`  ${detail}`);
  if (error.hint) lines.push(`${out.colors.cyan('hint:')} ${error.hint}`);
  if (out.verbose) {
    for (let cause: unknown = error.cause, depth = 0; cause !== undefined && depth < 10; depth += 1) {
      if (cause instanceof Error) {
        lines.push(out.colors.dim(`caused by: ${cause.stack ?? `${cause.name}: ${cause.message}`}`));
        cause = cause.cause;
      } else {
        lines.push(out.colors.dim(`caused by: ${String(cause)}`));
        break;
      }
    }
  } else if (error.exitCode === 1 && error.cause !== undefined) {
    lines.push(out.colors.dim('(run with --verbose for details)'));
  }
  out.stderr.write(`${lines.join('\n')}\n`);
}
