import { Console } from 'node:console';
import { Logger } from '@aws-lambda-powertools/logger';

/** The logging surface every core receives (Powertools' Logger satisfies it). */
export type AppLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/**
 * Creates the structured JSON logger for one service (one Lambda, or the local runner).
 *
 * Locally (`SR_BACKUP_LOG_STREAM=stderr`, set by the CLI) every level goes to stderr, so that
 * `sr-backup run --json` keeps stdout for the one JSON document it promises.
 */
export function createLogger(serviceName: string): Logger {
  const logger = new Logger({ serviceName });
  if (process.env.SR_BACKUP_LOG_STREAM === 'stderr') {
    // Powertools builds its own Console over process.stdout; swap it for one that writes to stderr.
    (logger as unknown as { console: Console }).console = new Console({
      stdout: process.stderr,
      stderr: process.stderr,
    });
  }
  return logger;
}

/** A logger that drops everything, for tests and for code paths that must stay quiet. */
export const silentLogger: AppLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
