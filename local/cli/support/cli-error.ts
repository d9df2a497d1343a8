import { BackupSchedulerError } from '#domain/errors.ts';

/** Process exit statuses of every command (the CLI contract). */
export const EXIT = {
  /** Every selected database ended FINISHED or SKIPPED; or the command did what was asked. */
  ok: 0,
  /** A database FAILED or TIMED_OUT, or the run (or command) failed: FE unreachable, login refused, … */
  failed: 1,
  /** A usage or configuration error. */
  usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

/** An exit status of the CLI. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An expected error, told to the user as one sentence plus a hint, never as a stack trace.
 * `details` are extra lines (e.g. every config problem with its field path); `--verbose` adds the cause chain.
 */
export class CliError extends BackupSchedulerError {
  override readonly name = 'CliError';
  readonly exitCode: 1 | 2 | 130;
  readonly hint: string | undefined;
  readonly details: readonly string[];

  constructor(
    exitCode: 1 | 2 | 130,
    message: string,
    options: { hint?: string; details?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

/** A usage or configuration error (exit 2). */
export function usageError(
  message: string,
  options: { hint?: string; details?: readonly string[]; cause?: unknown } = {},
): CliError {
  return new CliError(EXIT.usage, message, options);
}

/** The command was stopped by Ctrl-C after undoing what it had started (exit 130). */
export function interrupted(message: string, options: { hint?: string; cause?: unknown } = {}): CliError {
  return new CliError(EXIT.interrupted, message, options);
}

/** A failure of the command's work (exit 1). */
export function failure(
  message: string,
  options: { hint?: string; details?: readonly string[]; cause?: unknown } = {},
): CliError {
  return new CliError(EXIT.failed, message, options);
}

/** An error as the `--json` documents report it: the underlying error's name (`UsageError` or `Error` without one). */
export function cliErrorJson(error: CliError): { name: string; message: string; hint?: string } {
  const name =
    error.cause instanceof Error ? error.cause.name : error.exitCode === EXIT.usage ? 'UsageError' : 'Error';
  return { name, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
}
