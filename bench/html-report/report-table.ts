/** §4's table, goals and docs/benchmarks.md section. */
import type { GoalCheck } from '../report/goal-check.ts';
import { formatBytes, formatCount, formatMs, markdownTable } from '../report/table.ts';
import { REPORT_GOALS, type ReportBenchResult } from './report-bench.ts';

/** §4: one row per page, the baseline (libraries only) first. */
export function reportTable(result: ReportBenchResult): string {
  return markdownTable(
    [
      'page',
      'cells',
      'file (goal < 5 MB)',
      'gzip',
      'collect + render (Node)',
      'ready (first screen)',
      'draw the rest',
      'whole page',
    ],
    result.pages.map((page) => [
      page.name === 'baseline'
        ? 'baseline: stylesheet and libraries only'
        : `${page.databases} databases × ${page.days} days`,
      formatCount(page.cells),
      `${formatBytes(page.bytes)}${page.bytes > REPORT_GOALS.maxBytes ? ' ✗' : ''}`,
      formatBytes(page.gzipBytes),
      page.name === 'baseline' ? '–' : `${formatMs(page.collectMs)} + ${formatMs(page.renderMs)}`,
      formatMs(page.readyMedianMs),
      formatMs(page.drawAllMedianMs),
      formatMs(page.totalMedianMs),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** The goals for the 500 × 365 page, when it was measured. */
export function reportGoals(result: ReportBenchResult): GoalCheck[] {
  const big = result.pages.find((page) => page.cells === REPORT_GOALS.cells);
  if (big === undefined) return [];
  const fileMet = big.bytes < REPORT_GOALS.maxBytes;
  const drawMet = big.readyMedianMs < REPORT_GOALS.maxDrawMs;
  return [
    {
      section: '§4',
      goal: `The 500 × 365 report file < ${formatBytes(REPORT_GOALS.maxBytes)}`,
      measured: `${formatBytes(big.bytes)} (${formatBytes(big.gzipBytes)} gzipped)`,
      met: fileMet,
      ...(fileMet
        ? {}
        : { why: 'the data block grew', close: 'Encode more columns (lambdas/domain/report/columns.ts).' }),
    },
    {
      section: '§4',
      goal: `The 500 × 365 report drawn in Chromium < ${formatMs(REPORT_GOALS.maxDrawMs)} (first screen)`,
      measured: `ready ${formatMs(big.readyMedianMs)}; every section ${formatMs(big.totalMedianMs)}`,
      met: drawMet,
      ...(drawMet
        ? {}
        : {
            why: 'decoding or the heat map chunks in view take longer',
            close: 'Profile the page script (lambdas/domain/report/client/report.js) in Chromium.',
          }),
    },
  ];
}

/** The §4 section of docs/benchmarks.md. */
export function reportSection(result: ReportBenchResult, machineLine: string): string[] {
  return [
    '## §4 The HTML report',
    '',
    machineLine,
    '',
    "A seeded catalog (test/support/report/seed.ts: two clusters, every outcome) collected through the collector's reader",
    'interfaces over records held in memory, rendered into one self-contained file, and opened from `file://` in headless',
    `Chromium ${result.chromium} (Debian's package, driven by playwright-core), 1280 × 900. "Ready" is the page script's`,
    'own mark, measured from navigation: data decoded and the first screen drawn (sections further down are drawn as they',
    'come near the viewport). "Draw the rest" is `drawAll()`, what printing does. The baseline is a page that inlines the same',
    'stylesheet and chart libraries (d3, Observable Plot) and draws nothing: the floor of opening any such file. Medians of',
    `${result.runsPerMeasurement} rounds that visit every page in turn, after one uncounted warm-up round. Past 40 databases`,
    'the per-database cards show the 40 with the most trouble; any other card is drawn on request.',
    '',
    reportTable(result),
    '',
    `§4 took ${result.wallSeconds.toFixed(0)} s of wall time. Repeat it with \`npm run bench -- --only report\`.`,
  ];
}
