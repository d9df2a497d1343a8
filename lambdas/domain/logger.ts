/**
 * The logging surface every core and domain module receives. Powertools' Logger satisfies it (the runtime hands
 * one in); tests hand in {@link silentLogger} or a recorder. The domain never builds a logger itself.
 */

/** What a log line may carry after its message: structured attributes, or an error. */
export type LogExtra = Readonly<Record<string, unknown>> | Error | string;

/** Structured logging, by level. */
export interface AppLogger {
  debug(message: string, ...extra: LogExtra[]): void;
  info(message: string, ...extra: LogExtra[]): void;
  warn(message: string, ...extra: LogExtra[]): void;
  error(message: string, ...extra: LogExtra[]): void;
}

/** A logger that drops everything, for tests and for code paths that must stay quiet. */
export const silentLogger: AppLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
