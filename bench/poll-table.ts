/**
 * Prints how many SHOW BACKUP checks the poll policy makes and how late it notices the end, for backups of
 * 1 min, 1 h, 6 h and 24 h, against a fixed 60 s interval. Pure arithmetic (lambdas/poll/simulate.ts).
 *
 *   node --import tsx bench/poll-table.ts
 */
import { pathToFileURL } from 'node:url';
import {
  linearUploadProgress,
  type PollSimulationResult,
  simulatePolling,
} from '../lambdas/poll/simulate.ts';

/** The policy's configured bounds (the design's defaults). */
const BOUNDS = { minSeconds: 30, maxSeconds: 3600 } as const;

/** The durations the table reports on. */
export const TABLE_DURATIONS_SECONDS = [60, 3600, 6 * 3600, 24 * 3600] as const;

/** Polls and worst-case lag of one scenario (the worst over the estimate errors it sweeps). */
export interface PollTableCell {
  polls: number;
  worstLagSeconds: number;
}

/** One row of the table. */
export interface PollTableRow {
  durationSeconds: number;
  fixed60: PollTableCell;
  noEstimate: PollTableCell;
  history10: PollTableCell;
  progressOnly: PollTableCell;
  historyAndProgress: PollTableCell;
  history30: PollTableCell;
}

function cell(result: PollSimulationResult): PollTableCell {
  return { polls: result.polls, worstLagSeconds: result.worstLagSeconds };
}

/** The worst polls and worst lag over estimates `durationSeconds·(1+e)` for e in ±maxError (0.5% steps). */
function worstOverHistoryErrors(durationSeconds: number, maxError: number): PollTableCell {
  let worst: PollTableCell = { polls: 0, worstLagSeconds: 0 };
  const steps = Math.round(maxError / 0.005);
  for (let step = -steps; step <= steps; step++) {
    const historySeconds = [durationSeconds * (1 + step * 0.005)];
    const result = simulatePolling({ ...BOUNDS, durationSeconds, historySeconds });
    worst = {
      polls: Math.max(worst.polls, result.polls),
      worstLagSeconds: Math.max(worst.worstLagSeconds, result.worstLagSeconds),
    };
  }
  return worst;
}

/** Computes every row of the table. */
export function buildPollTable(): PollTableRow[] {
  return TABLE_DURATIONS_SECONDS.map((durationSeconds) => {
    const upload = linearUploadProgress({ durationSeconds });
    return {
      durationSeconds,
      fixed60: cell(simulatePolling({ ...BOUNDS, durationSeconds, policy: () => 60 })),
      noEstimate: cell(simulatePolling({ ...BOUNDS, durationSeconds })),
      history10: worstOverHistoryErrors(durationSeconds, 0.1),
      progressOnly: cell(simulatePolling({ ...BOUNDS, durationSeconds, ...upload })),
      historyAndProgress: cell(
        simulatePolling({ ...BOUNDS, durationSeconds, historySeconds: [durationSeconds * 1.1], ...upload }),
      ),
      history30: worstOverHistoryErrors(durationSeconds, 0.3),
    };
  });
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

function formatCell({ polls, worstLagSeconds }: PollTableCell): string {
  return `${polls} / ${worstLagSeconds} s`;
}

/** The table as Markdown, with the definitions it depends on. */
export function formatPollTable(rows: readonly PollTableRow[]): string {
  const header = [
    'backup',
    'fixed 60 s',
    'no estimate',
    'history ±10%',
    'progress only',
    'history +10% & progress',
    'history ±30%',
    'lag target',
  ];
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => {
      const target = Math.max(120, 0.02 * row.durationSeconds);
      const cells = [
        formatDuration(row.durationSeconds),
        formatCell(row.fixed60),
        formatCell(row.noEstimate),
        formatCell(row.history10),
        formatCell(row.progressOnly),
        formatCell(row.historyAndProgress),
        formatCell(row.history30),
        `${Math.round(target)} s`,
      ];
      return `| ${cells.join(' | ')} |`;
    }),
  ];
  return [
    `Each cell: checks until the end is seen / worst-case detection lag (poll.minSeconds ${BOUNDS.minSeconds}, poll.maxSeconds ${BOUNDS.maxSeconds}).`,
    'Worst-case lag = the length of the wait during which the job ended (the lag had it ended just after the previous check).',
    'History ±N%: the worst over estimates off by -N%..+N% (0.5% steps). Progress: SNAPSHOTING for 2% of the duration,',
    'then UPLOADING with linear done/total, then UPLOAD_INFO from 99%. Lag target (estimate within ±10%): max(120 s, 2% of the duration).',
    '',
    ...lines,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatPollTable(buildPollTable()));
}
