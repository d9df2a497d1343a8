import { Console } from 'node:console';
import { Logger } from '@aws-lambda-powertools/logger';

/**
 * A function's structured logger on this machine: every level goes to stderr, so that stdout keeps only what the
 * CLI prints (with `--json`, exactly one JSON document). The level follows POWERTOOLS_LOG_LEVEL, as deployed.
 */
export function stderrLogger(serviceName: string): Logger {
  const logger = new Logger({ serviceName });
  // Powertools offers no option for the stream: it builds its own Console over process.stdout, replaced here.
  (logger as unknown as { console: Console }).console = new Console({
    stdout: process.stderr,
    stderr: process.stderr,
  });
  return logger;
}
