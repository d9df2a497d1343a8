/**
 * One outcome vocabulary everywhere: the catalog, the CLI's `--json`, alerts and exit codes
 * (see the design's Outcomes table).
 */
export const TERMINAL_STATES = ['FINISHED', 'FAILED', 'TIMED_OUT', 'SKIPPED'] as const;

/** The terminal state of one database's backup attempt. */
export type BackupOutcomeState = (typeof TERMINAL_STATES)[number];

/** States that raise an alert and make the run (and the CLI) fail. */
export const FAILURE_STATES: ReadonlySet<BackupOutcomeState> = new Set(['FAILED', 'TIMED_OUT']);
