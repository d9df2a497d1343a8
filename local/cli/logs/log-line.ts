/**
 * One log line of a run as `sr-backup logs` shows it: the JSON object a handler's Powertools logger printed, where it
 * came from and when; the filters (function, level, time) and both output forms.
 */

/** A handler's printed line, parsed, with its time. */
export interface RunLogLine {
  /** Epoch milliseconds: the CloudWatch event's timestamp, or the line's own `timestamp` locally. */
  readonly timestamp: number;
  /** The object as logged (Powertools' keys, the handler's own, and `runId`). */
  readonly entry: Readonly<Record<string, unknown>>;
}

/** The levels `--level` accepts, lowest first, with Powertools' names. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'] as const;

/** A level name. */
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Parses a printed line; undefined for anything that is not a JSON object (Lambda's START/END/REPORT lines). */
export function parseLogLine(text: string, fallbackTimestamp?: number): RunLogLine | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  const record = entry as Record<string, unknown>;
  const own = typeof record.timestamp === 'string' ? Date.parse(record.timestamp) : Number.NaN;
  const timestamp = fallbackTimestamp ?? (Number.isNaN(own) ? 0 : own);
  return { timestamp, entry: record };
}

/** The function a line came from: the logger's service name (`submit-backup`), else Lambda's function name. */
export function functionOf(line: RunLogLine): string {
  const { service, function_name: functionName } = line.entry;
  if (typeof service === 'string' && service !== '' && service !== 'service_undefined') return service;
  return typeof functionName === 'string' ? functionName : '?';
}

/** The line's level, upper-cased (`INFO` when it has none). */
export function levelOf(line: RunLogLine): string {
  return typeof line.entry.level === 'string' ? line.entry.level.toUpperCase() : 'INFO';
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** What to keep of a run's lines. */
export interface LogLineFilter {
  /** ASL names (`SubmitBackup`) or service names (`submit-backup`): a line of any of them is kept. */
  readonly functions?: readonly string[] | undefined;
  /** The lowest level kept. */
  readonly level?: LogLevelName | undefined;
  /** Epoch ms: lines before it are left out. */
  readonly since?: number | undefined;
}

/**
 * The logger service names that differ from their Task's name (each handler's `runtime.logger(…)`), squashed: the
 * deployed Lambda's physical name is CloudFormation's and may be cut, so it cannot be relied on to contain the Task's.
 */
const SERVICE_OF_TASK: Readonly<Record<string, string>> = {
  plandrill: 'drillplan',
  planrestore: 'restoreplan',
  dropscratch: 'drillcleanup',
  notifydrill: 'drillnotify',
  recorddrill: 'drillrecord',
};

/** Whether `line` passes `filter`. */
export function keepLine(line: RunLogLine, filter: LogLineFilter): boolean {
  if (filter.since !== undefined && line.timestamp < filter.since) return false;
  if (filter.level !== undefined) {
    const rank = LOG_LEVELS.indexOf(levelOf(line) as LogLevelName);
    if (rank !== -1 && rank < LOG_LEVELS.indexOf(filter.level)) return false;
  }
  if (filter.functions !== undefined && filter.functions.length > 0) {
    const service = squash(functionOf(line));
    const lambdaName = typeof line.entry.function_name === 'string' ? squash(line.entry.function_name) : '';
    return filter.functions.some((name) => {
      const wanted = squash(name);
      const alias = SERVICE_OF_TASK[wanted];
      return (
        wanted !== '' &&
        (service === wanted || (alias !== undefined && service === alias) || lambdaName.includes(wanted))
      );
    });
  }
  return true;
}

/** Orders lines by time; lines of the same millisecond keep the order they came in (a stable sort). */
export function byTime(lines: readonly RunLogLine[]): RunLogLine[] {
  return [...lines].sort((a, b) => a.timestamp - b.timestamp);
}

/** Keys Powertools adds to every line: the human form shows them as its columns, or leaves them out. */
const STANDARD_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'runId',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
]);

/** Keys whose text values are never printed, whoever logged them. */
const SECRET_KEY = /password|passwd|secret|token|webhook|authorization|credential|api[-_]?key/i;

/** `entry` with the text values of secret-looking keys replaced, at any depth. */
export function redacted(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) ? '[redacted]' : value;
  if (Array.isArray(value)) return value.map((item) => redacted(item, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, redacted(inner, name)]));
  }
  return value;
}

function fieldText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/** The human form: time, function, level, message, then the line's own fields as `key=value`. */
export function formatHumanLine(line: RunLogLine, width: { function: number }): string {
  const entry = redacted(line.entry) as Record<string, unknown>;
  const fields = Object.entries(entry)
    .filter(([key, value]) => !STANDARD_KEYS.has(key) && value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${fieldText(value)}`);
  const message = typeof entry.message === 'string' ? entry.message : JSON.stringify(entry.message ?? '');
  return [
    new Date(line.timestamp).toISOString(),
    functionOf(line).padEnd(width.function),
    levelOf(line).padEnd(5),
    [message, ...fields].join('  '),
  ].join('  ');
}

/** The `--json` form: one JSON object a line (JSON Lines), as logged, secret-looking values redacted. */
export function formatJsonLine(line: RunLogLine): string {
  return JSON.stringify(redacted(line.entry));
}
