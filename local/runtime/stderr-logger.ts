import { Console } from 'node:console';
import { Logger } from '@aws-lambda-powertools/logger';
import type { RunLog } from './run-log.ts';

/** Powertools' level numbers (its LogLevelThreshold), by the console method it prints each level with. */
const LEVELS = { trace: 6, debug: 8, info: 12, warn: 16, error: 20 } as const;
const LEVEL_OF_NAME: Readonly<Record<string, number>> = {
  TRACE: 6,
  DEBUG: 8,
  INFO: 12,
  WARN: 16,
  ERROR: 20,
  CRITICAL: 24,
  SILENT: 28,
};

/**
 * A function's structured logger on this machine: every level goes to stderr, so that stdout keeps only what the
 * CLI prints (with `--json`, exactly one JSON document). The level follows POWERTOOLS_LOG_LEVEL, as deployed.
 * With a run log, INFO lines and above (or what a lower POWERTOOLS_LOG_LEVEL lets through) are also kept there,
 * whatever stderr shows.
 */
export function stderrLogger(serviceName: string, runLog?: RunLog): Logger {
  const logger = new Logger({ serviceName });
  // Powertools offers no option for the stream: it builds its own Console over process.stdout, replaced here.
  if (runLog === undefined) {
    (logger as unknown as { console: Console }).console = new Console({
      stdout: process.stderr,
      stderr: process.stderr,
    });
    return logger;
  }
  const stderrLevel = LEVEL_OF_NAME[logger.getLevelName()] ?? LEVELS.info;
  if (stderrLevel > LEVELS.info) logger.setLogLevel('INFO');
  const printer = (level: number) => (line: string) => {
    if (level >= stderrLevel) process.stderr.write(`${line}\n`);
    runLog.write(line);
  };
  (logger as unknown as { console: Partial<Console> }).console = {
    trace: printer(LEVELS.trace),
    debug: printer(LEVELS.debug),
    info: printer(LEVELS.info),
    warn: printer(LEVELS.warn),
    error: printer(LEVELS.error),
    log: printer(LEVELS.info),
  };
  return logger;
}
