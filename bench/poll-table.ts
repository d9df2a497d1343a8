/**
 * Prints how many SHOW BACKUP checks the poll policy makes and how late it notices the end, for backups of
 * 1 min to 24 h, against a fixed 60 s interval. Pure arithmetic (local/poll/simulate.ts), for two shapes of
 * job: one dominated by its upload, as StarRocks runs it, and the FE emulator's timeline.
 *
 *   node --import tsx bench/poll-table.ts
 */
import { pathToFileURL } from 'node:url';
import { formatDuration } from '#domain/time-format.ts';
import { BACKUP_PHASE_SHARES, SCHEDULER_TICK_MS } from '../local/emulator/fe/backup-job.ts';
import {
  linearUploadProgress,
  type PollSimulationInput,
  type PollSimulationResult,
  simulatePolling,
} from '../local/poll/simulate.ts';

/** The policy's configured bounds (the design's defaults). */
const BOUNDS = { minSeconds: 30, maxSeconds: 3600 } as const;

/** The durations the table reports on. */
export const TABLE_DURATIONS_SECONDS = [60, 600, 3600, 6 * 3600, 24 * 3600] as const;

/** Where a job's upload starts and ends, as fractions of its duration. */
export interface JobShape {
  readonly id: 'upload-dominated' | 'emulator';
  readonly description: string;
  uploadFractions(durationSeconds: number): { start: number; end: number };
}

/**
 * A job shaped as StarRocks runs a large backup: snapshots are hard links (2 % of the job before the
 * upload), the two metadata files go up in seconds (the last 1 %). An illustration, not a measurement.
 */
export const UPLOAD_DOMINATED: JobShape = {
  id: 'upload-dominated',
  description: 'an upload-dominated job: 2 % before the upload, steady upload to 99 %, 1 % of metadata',
  uploadFractions: () => ({ start: 0.02, end: 0.99 }),
};

/** The FE emulator's timeline (local/emulator/fe/backup-job.ts; docs/emulator.md "Job timeline"). */
export const EMULATOR_SHAPED: JobShape = {
  id: 'emulator',
  description:
    "the FE emulator's timeline: PENDING until the first tick, then SNAPSHOTING 15 % and UPLOAD_SNAPSHOT 5 %, UPLOADING 60 %, SAVE_META 5 % and UPLOAD_INFO 15 %",
  uploadFractions: (durationSeconds) => {
    const pending = Math.min(SCHEDULER_TICK_MS / 1000, 0.05 * durationSeconds);
    const rest = durationSeconds - pending;
    const start = pending + rest * (BACKUP_PHASE_SHARES.SNAPSHOTING + BACKUP_PHASE_SHARES.UPLOAD_SNAPSHOT);
    const end = start + rest * BACKUP_PHASE_SHARES.UPLOADING;
    return { start: start / durationSeconds, end: end / durationSeconds };
  },
};

/** SHOW BACKUP's State and Progress over a job of this shape. */
export function jobModel(shape: JobShape, durationSeconds: number): ReturnType<typeof linearUploadProgress> {
  const { start, end } = shape.uploadFractions(durationSeconds);
  return linearUploadProgress({ durationSeconds, uploadStartFraction: start, uploadEndFraction: end });
}

/** Polls and worst-case lag of one scenario (the worst over the estimate errors it sweeps). */
export interface PollTableCell {
  polls: number;
  worstLagSeconds: number;
}

/** One row of the table. */
export interface PollTableRow {
  durationSeconds: number;
  fixed60: PollTableCell;
  /** Neither state nor progress nor history: the bare 5 % growth rule. */
  noInformation: PollTableCell;
  statesOnly: PollTableCell;
  history10: PollTableCell;
  progressOnly: PollTableCell;
  history10AndProgress: PollTableCell;
  history30: PollTableCell;
}

function cell(result: PollSimulationResult): PollTableCell {
  return { polls: result.polls, worstLagSeconds: result.worstLagSeconds };
}

/** The worst polls and worst lag over histories `durationSeconds·(1+e)` for e in ±maxError (0.5 % steps). */
function worstOverHistoryErrors(
  input: Omit<PollSimulationInput, 'historySeconds'>,
  maxError: number,
): PollTableCell {
  let worst: PollTableCell = { polls: 0, worstLagSeconds: 0 };
  const steps = Math.round(maxError / 0.005);
  for (let step = -steps; step <= steps; step++) {
    const historySeconds = [input.durationSeconds * (1 + step * 0.005)];
    const result = simulatePolling({ ...input, historySeconds });
    worst = {
      polls: Math.max(worst.polls, result.polls),
      worstLagSeconds: Math.max(worst.worstLagSeconds, result.worstLagSeconds),
    };
  }
  return worst;
}

/** Computes every row of the table for jobs of one shape. */
export function buildPollTable(shape: JobShape = UPLOAD_DOMINATED): PollTableRow[] {
  return TABLE_DURATIONS_SECONDS.map((durationSeconds) => {
    const job = jobModel(shape, durationSeconds);
    const states = { ...BOUNDS, durationSeconds, stateAt: job.stateAt };
    const progress = { ...states, progressAt: job.progressAt };
    return {
      durationSeconds,
      fixed60: cell(simulatePolling({ ...BOUNDS, durationSeconds, policy: () => 60 })),
      noInformation: cell(simulatePolling({ ...BOUNDS, durationSeconds })),
      statesOnly: cell(simulatePolling(states)),
      history10: worstOverHistoryErrors(states, 0.1),
      progressOnly: cell(simulatePolling(progress)),
      history10AndProgress: worstOverHistoryErrors(progress, 0.1),
      history30: worstOverHistoryErrors(states, 0.3),
    };
  });
}

function formatCell({ polls, worstLagSeconds }: PollTableCell): string {
  return `${polls} / ${worstLagSeconds} s`;
}

/** The column headings, in the order {@link pollTableCells} fills them. */
export const POLL_TABLE_HEADER = [
  'backup',
  'fixed 60 s',
  'no information',
  'states only',
  'history ±10 %',
  'progress only',
  'history ±10 % + progress',
  'history ±30 %',
  'lag target',
] as const;

/** One row as table cells. */
export function pollTableCells(row: PollTableRow): string[] {
  return [
    formatDuration(row.durationSeconds),
    formatCell(row.fixed60),
    formatCell(row.noInformation),
    formatCell(row.statesOnly),
    formatCell(row.history10),
    formatCell(row.progressOnly),
    formatCell(row.history10AndProgress),
    formatCell(row.history30),
    `${Math.round(Math.max(120, 0.02 * row.durationSeconds))} s`,
  ];
}

/** What the columns mean. */
export const POLL_TABLE_LEGEND = [
  `Each cell: checks until the end is seen / worst-case detection lag (poll.minSeconds ${BOUNDS.minSeconds}, poll.maxSeconds ${BOUNDS.maxSeconds}).`,
  'Worst-case lag = the length of the wait during which the job ended (the lag had it ended just after the previous check).',
  'No information: the state is unknown too (the bare 5 % growth rule). Every other adaptive column sees the states.',
  'History ±N %: the worst over history medians off by −N %…+N % (0.5 % steps). Progress: done/total grows steadily',
  'through UPLOADING. Lag target (estimate within ±10 %): max(120 s, 2 % of the duration).',
];

/** The table as Markdown, with the definitions it depends on. */
export function formatPollTable(rows: readonly PollTableRow[], shape: JobShape = UPLOAD_DOMINATED): string {
  const lines = [
    `| ${POLL_TABLE_HEADER.join(' | ')} |`,
    `|${POLL_TABLE_HEADER.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${pollTableCells(row).join(' | ')} |`),
  ];
  return [`Jobs shaped as ${shape.description}.`, ...POLL_TABLE_LEGEND, '', ...lines].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatPollTable(buildPollTable(UPLOAD_DOMINATED), UPLOAD_DOMINATED));
  console.log('');
  console.log(formatPollTable(buildPollTable(EMULATOR_SHAPED), EMULATOR_SHAPED));
}
