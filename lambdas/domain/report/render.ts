/**
 * Renders a report's data as one self-contained HTML page: styles, the chart library and the page's script are
 * inlined, and a Content-Security-Policy forbids every request, so the file works from file://, as an e-mail
 * attachment, and offline. Pure: data and assets in, a string out (a Lambda can call it as the CLI does).
 *
 * The text parts (headline figures, freshness, drills, coverage, the newest failures, the notes) are written here,
 * so they read without the script too; the charts, the heat map and the per-cell tables are drawn by the page.
 */
import { buildSnapshotLabel } from '#domain/starrocks/snapshot-label.ts';
import { type DecodedEntry, decodeAll } from './decode.ts';
import {
  dayFormatter,
  escapeHtml,
  executionName,
  formatBytes,
  formatCount,
  formatSeconds,
  timeFormatter,
} from './format.ts';
import { OUTCOME_CODES, type OutcomeCode, type ReportData, type ReportDatabase } from './model.ts';
import { type ReportSummary, summarize } from './summary.ts';

/** What the page inlines besides its data. */
export interface ReportAssets {
  readonly css: string;
  /** The chart library's scripts, in load order (d3, then Observable Plot). */
  readonly libraries: readonly string[];
  /** The page's own script (client/report.js). */
  readonly client: string;
}

/** How many failures the static table lists; the page lists the rest on demand. */
export const STATIC_FAILURE_ROWS = 200;
/** How many of the snapshots retention removes next are listed (the oldest; the count is always given). */
export const STATIC_REMOVAL_ROWS = 200;

/** Outcomes as the legend names them, in legend order. */
export const OUTCOME_LEGEND: ReadonlyArray<{ code: OutcomeCode; name: string; css: string }> = [
  { code: OUTCOME_CODES.FINISHED, name: 'FINISHED', css: 'finished' },
  { code: OUTCOME_CODES.UNVERIFIED, name: 'FINISHED, not verified', css: 'unverified' },
  { code: OUTCOME_CODES.FAILED, name: 'FAILED', css: 'failed' },
  { code: OUTCOME_CODES.TIMED_OUT, name: 'TIMED_OUT', css: 'timed_out' },
  { code: OUTCOME_CODES.SKIPPED, name: 'SKIPPED', css: 'skipped' },
  { code: OUTCOME_CODES.LOST, name: 'lost', css: 'lost' },
  { code: OUTCOME_CODES.PAUSED, name: 'paused', css: 'paused' },
  { code: OUTCOME_CODES.MISSED, name: 'missed', css: 'missed' },
];

const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

function inlineScript(source: string): string {
  return `<script>${source.replace(/<\/(script)/gi, '<\\/$1')}</script>`;
}

/** JSON that can sit inside a script element whatever strings it holds. */
function embeddedJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

function stateBadge(code: OutcomeCode | string): string {
  const entry = OUTCOME_LEGEND.find((candidate) => candidate.code === code || candidate.name === code);
  const css = entry?.css ?? String(code).toLowerCase();
  return `<span class="state"><span class="swatch outcome-${css}" aria-hidden="true"></span>${escapeHtml(entry?.name ?? String(code))}</span>`;
}

function percent(part: number, whole: number): string {
  if (whole === 0) return '–';
  const value = (100 * part) / whole;
  return `${value >= 99.95 && part < whole ? '99.9' : value.toFixed(1)} %`;
}

function tile(label: string, value: string, note: string, color: string): string {
  return `<div class="tile" style="border-left-color:var(--${color})"><dt>${escapeHtml(label)}</dt><dd>${value}${
    note === '' ? '' : ` <small>${escapeHtml(note)}</small>`
  }</dd></div>`;
}

function headline(data: ReportData, summary: ReportSummary): string {
  const c = summary.slots;
  const judged = Object.values(c).reduce((sum, value) => sum + value, 0) - c.P;
  const finished = c.F + c.U;
  const problems = c.X + c.T + c.L + c.M;
  const verdict =
    problems === 0 && summary.databasesOverObjective === 0
      ? '<strong class="good">Healthy:</strong> every expected backup finished and every database stayed within its recovery objective.'
      : `<strong class="bad">Needs attention:</strong> ${formatCount(problems)} slot${problems === 1 ? '' : 's'} failed, timed out, went missing or lost ${
          problems === 1 ? 'its' : 'their'
        } snapshot on ${formatCount(summary.troubledDays)} of ${formatCount(data.period.days)} days; ${formatCount(
          summary.databasesOverObjective,
        )} database${summary.databasesOverObjective === 1 ? '' : 's'} went past ${
          summary.databasesOverObjective === 1 ? 'its' : 'their'
        } recovery objective.`;
  const drills = summary.drills;
  return `<p class="verdict">${verdict}</p>
<dl class="tiles" aria-label="Headline figures">
${tile('Finished', formatCount(finished), `${percent(finished, judged)} of ${formatCount(judged)} slots`, 'finished')}
${tile(
  'Failed',
  formatCount(c.X),
  `${formatCount(summary.failedAttempts)} failed attempt${summary.failedAttempts === 1 ? '' : 's'} in all`,
  'failed',
)}
${tile('Timed out', formatCount(c.T), '', 'timed-out')}
${tile('Skipped', formatCount(c.S), '', 'skipped')}
${tile('Lost', formatCount(c.L), '', 'lost')}
${tile('Paused', formatCount(c.P), '', 'paused')}
${tile('Missed', formatCount(c.M), '', 'missed')}
${tile('Over objective', formatCount(summary.databasesOverObjective), `of ${formatCount(summary.databases)} databases`, 'failed')}
${tile(
  'Drills passed',
  drills.total === 0 ? '–' : `${formatCount(drills.passed)}/${formatCount(drills.total)}`,
  [
    drills.longestRestoreSeconds === null
      ? ''
      : `longest restore ${formatSeconds(drills.longestRestoreSeconds)}`,
    drills.longestChainRestoreSeconds === null
      ? ''
      : `longest chain restore ${formatSeconds(drills.longestChainRestoreSeconds)}`,
  ]
    .filter((text) => text !== '')
    .join('; '),
  'accent',
)}
</dl>`;
}

function legend(summary: ReportSummary): string {
  // "Not verified" is rare enough to name only when it happened; the seven outcomes are always named.
  const shown = OUTCOME_LEGEND.filter(
    (entry) => entry.code !== OUTCOME_CODES.UNVERIFIED || summary.slots[entry.code] > 0,
  );
  const items = shown.map(
    (entry) =>
      `<li><span class="swatch outcome-${entry.css}" aria-hidden="true"></span>${escapeHtml(entry.name)} <span class="count">${formatCount(
        summary.slots[entry.code],
      )}</span></li>`,
  );
  items.push('<li><span class="swatch outcome-none" aria-hidden="true"></span>no backup expected</li>');
  return `<ul class="legend" aria-label="Outcome colours, with the number of slots">${items.join('')}</ul>`;
}

/** Column classes: `num` (right-aligned figures) or `when` (a time, kept on one line). */
type ColumnKinds = Readonly<Record<number, 'num' | 'when'>>;

function table(
  caption: string,
  headers: readonly string[],
  rows: readonly string[][],
  kinds: ColumnKinds = {},
): string {
  const cls = (index: number) => (kinds[index] === undefined ? '' : ` class="${kinds[index]}"`);
  const head = headers.map((header, index) => `<th scope="col"${cls(index)}>${header}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell, index) => `<td${cls(index)}>${cell}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><caption>${caption}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function freshnessTable(data: ReportData): string {
  const rows = [...data.databases]
    .sort(
      (a, b) =>
        b.freshness.overObjectiveSeconds - a.freshness.overObjectiveSeconds ||
        (b.freshness.worstAgeSeconds ?? Number.POSITIVE_INFINITY) -
          (a.freshness.worstAgeSeconds ?? Number.POSITIVE_INFINITY) ||
        a.name.localeCompare(b.name),
    )
    .map((database) => [
      escapeHtml(data.clusters[database.cluster]?.name ?? ''),
      escapeHtml(database.name),
      formatSeconds(database.freshness.objectiveSeconds),
      database.freshness.worstAgeSeconds === null
        ? 'never verified'
        : formatSeconds(database.freshness.worstAgeSeconds),
      database.freshness.overObjectiveSeconds === 0
        ? '–'
        : formatSeconds(database.freshness.overObjectiveSeconds),
      database.freshness.currentAgeSeconds === null
        ? '–'
        : formatSeconds(database.freshness.currentAgeSeconds),
    ]);
  return `<div class="table-scroll">${table(
    'Recovery point per database, worst first',
    ['Cluster', 'Database', 'Objective', 'Worst age', 'Time over objective', 'Age at the end'],
    rows,
    { 2: 'num', 3: 'num', 4: 'num', 5: 'num' },
  )}</div>`;
}

function drillsTable(data: ReportData, at: (ms: number) => string): string {
  if (data.drills.length === 0) {
    return '<p class="empty">No restore drill ran in this period (clusters[].drill configures them).</p>';
  }
  const rows = [...data.drills]
    .reverse()
    .map((drill) => [
      at(drill.startedAt * 1000),
      `${escapeHtml(data.clusters[drill.cluster]?.name ?? '')} / ${escapeHtml(drill.database)}`,
      stateBadge(drill.state),
      formatSeconds(drill.durationSeconds),
      drill.tableCount === null ? '–' : formatCount(drill.tableCount),
      drill.rowCount === null ? '–' : formatCount(drill.rowCount),
      drill.pointKind === 'chain'
        ? `<code class="label">${escapeHtml(drill.fullLabel ?? '?')}</code> → <code class="label">${escapeHtml(drill.label)}</code> (chain)`
        : `<code class="label">${escapeHtml(drill.label)}</code>`,
      escapeHtml(drill.reason ?? (drill.scratchDropped ? '' : 'scratch database not dropped')),
    ]);
  return `<div class="table-scroll">${table(
    'Drills, newest first',
    ['Started', 'Database', 'Result', 'Restore time', 'Tables', 'Rows', 'Snapshot', 'Details'],
    rows,
    { 0: 'when', 3: 'num', 4: 'num', 5: 'num' },
  )}</div>`;
}

function coverageTables(data: ReportData, day: (ms: number) => string): string {
  const { coverage } = data;
  const uncovered =
    coverage.uncovered.length === 0
      ? '<p class="empty">Every database the freshness check saw is covered by a schedule or excluded on purpose.</p>'
      : table(
          'Databases no schedule covers',
          ['Cluster', 'Database', 'Seen by', 'Since'],
          coverage.uncovered.map((entry) => [
            escapeHtml(entry.cluster),
            escapeHtml(entry.database),
            entry.source === 'freshness check'
              ? 'the freshness check (on the FE, no schedule selects it)'
              : 'the configuration (backed up in this period, no schedule selects it now)',
            entry.since === null ? '–' : day(Date.parse(entry.since)),
          ]),
        );
  const pinned =
    coverage.pinned.length === 0
      ? '<p class="empty">No snapshot is pinned.</p>'
      : table(
          'Pinned snapshots (retention never removes them)',
          ['Cluster', 'Database', 'Snapshot', 'Slot', 'Size'],
          coverage.pinned.map((entry) => [
            escapeHtml(entry.cluster),
            escapeHtml(entry.database),
            `<code class="label">${escapeHtml(entry.label)}</code>`,
            day(Date.parse(entry.scheduledTime)),
            formatBytes(entry.sizeBytes),
          ]),
          { 3: 'when', 4: 'num' },
        );
  const without =
    coverage.withoutRetention.length === 0
      ? ''
      : `<p class="lede">No retention policy (nothing is ever removed): ${coverage.withoutRetention.map(escapeHtml).join(', ')}.</p>`;
  const policies = data.clusters
    .filter((cluster) => cluster.retention !== null)
    .map((cluster) => `${escapeHtml(cluster.name)}: ${escapeHtml(cluster.retention ?? '')}`)
    .join('; ');
  const removals =
    coverage.removals.length === 0
      ? '<p class="empty">The next prune removes nothing.</p>'
      : `<div class="table-scroll">${table(
          `What retention removes at its next prune: ${formatCount(coverage.removals.length)} snapshots${
            coverage.removals.length > STATIC_REMOVAL_ROWS ? `, the oldest ${STATIC_REMOVAL_ROWS} listed` : ''
          }`,
          ['Cluster', 'Database', 'Snapshot', 'Slot', 'Why'],
          [...coverage.removals]
            .sort(
              (a, b) =>
                a.scheduledTime.localeCompare(b.scheduledTime) || a.database.localeCompare(b.database),
            )
            .slice(0, STATIC_REMOVAL_ROWS)
            .map((entry) => [
              escapeHtml(entry.cluster),
              escapeHtml(entry.database),
              `<code class="label">${escapeHtml(entry.label)}</code>`,
              day(Date.parse(entry.scheduledTime)),
              escapeHtml(entry.reasons.join(', ')),
            ]),
          { 3: 'when' },
        )}</div>`;
  return `<h3>Not covered</h3>${uncovered}
<h3>Pinned</h3>${pinned}
<h3>Retention next</h3>${policies === '' ? '' : `<p class="lede">Policies: ${policies}.</p>`}${without}${removals}`;
}

/** The label of an entry: the recorded exception, else rebuilt from its parts as the page does. */
export function entryLabel(data: ReportData, database: ReportDatabase, entry: DecodedEntry): string {
  const exception = database.labels.find(([index]) => index === entry.index);
  if (exception) return exception[1];
  const cluster = data.clusters[database.cluster];
  return buildSnapshotLabel({
    cluster: cluster?.name ?? '',
    schedule: cluster?.schedules[entry.schedule]?.name ?? '',
    database: database.name,
    scheduledTime: new Date(entry.slotMs),
  });
}

function failuresTable(
  data: ReportData,
  decoded: readonly DecodedEntry[][],
  at: (ms: number) => string,
): string {
  const failures = decoded
    .flat()
    .filter((entry) => entry.outcome === OUTCOME_CODES.FAILED || entry.outcome === OUTCOME_CODES.TIMED_OUT)
    .sort((a, b) => b.slotMs - a.slotMs || a.database - b.database);
  if (failures.length === 0) return '<p class="empty">No backup failed or timed out in this period.</p>';
  const text = (pairs: readonly (readonly [number, number])[], index: number) => {
    const found = pairs.find(([entry]) => entry === index);
    return found === undefined ? '' : (data.strings[found[1]] ?? '');
  };
  const rows = failures.slice(0, STATIC_FAILURE_ROWS).map((entry) => {
    const database = data.databases[entry.database] as ReportDatabase;
    return [
      at(entry.slotMs),
      `${escapeHtml(data.clusters[database.cluster]?.name ?? '')} / ${escapeHtml(database.name)}`,
      stateBadge(entry.outcome),
      escapeHtml(text(database.reasons, entry.index)),
      escapeHtml(text(database.hints, entry.index)),
      `<code class="label" title="${escapeHtml(text(database.runs, entry.index))}">${escapeHtml(
        executionName(text(database.runs, entry.index)),
      )}</code>`,
      `<code class="label">${escapeHtml(entryLabel(data, database, entry))}</code>`,
    ];
  });
  const more =
    failures.length > STATIC_FAILURE_ROWS
      ? `<p class="no-print"><button type="button" id="all-failures">Show all ${formatCount(failures.length)} failures</button></p>`
      : '';
  return `<div class="table-scroll" id="failures-table">${table(
    `${formatCount(failures.length)} failed or timed-out attempts, newest first${
      failures.length > STATIC_FAILURE_ROWS ? ` (the newest ${STATIC_FAILURE_ROWS} shown)` : ''
    }`,
    ['Slot', 'Database', 'State', "StarRocks' status", 'Hint', 'Run', 'Snapshot label'],
    rows,
    { 0: 'when' },
  )}</div>${more}`;
}

function periodLine(data: ReportData): string {
  const day = dayFormatter(data.timeZone);
  const from = Date.parse(data.period.from);
  const to = Date.parse(data.period.to);
  const clusters = data.clusters.map((cluster) => escapeHtml(cluster.name)).join(', ');
  return `${day(from)} – ${day(to - 1)} (${formatCount(data.period.days)} days, ${escapeHtml(data.timeZone)}) · ${
    data.clusters.length === 1 ? 'cluster' : 'clusters'
  } ${clusters || '–'} · ${formatCount(data.databases.length)} databases · generated ${escapeHtml(
    timeFormatter('UTC')(Date.parse(data.generatedAt)),
  )} UTC`;
}

/** Renders the page. */
export function renderReport(data: ReportData, assets: ReportAssets): string {
  const decoded = decodeAll(data);
  const summary = summarize(data, decoded);
  const at = timeFormatter(data.timeZone);
  const day = dayFormatter(data.timeZone);
  const title = `${data.title}: ${day(Date.parse(data.period.from))} – ${day(Date.parse(data.period.to) - 1)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sr-backup report">
<title>${escapeHtml(title)}</title>
<style>${assets.css}</style>
</head>
<body>
<div class="page">
<header class="masthead">
<h1>${escapeHtml(data.title)}</h1>
<p class="period">${periodLine(data)}</p>
${headline(data, summary)}
</header>
<nav class="toc" aria-label="Sections">
<a href="#outcomes">Outcomes</a><a href="#databases">Per database</a><a href="#window">Backup window</a><a href="#freshness">Freshness</a><a href="#drills">Drills</a><a href="#coverage">Coverage</a><a href="#failures">Failures</a><a href="#notes">How to read</a>
</nav>
<noscript><p class="noscript">The charts, the heat map and the per-cell tables need JavaScript; the tables below read without it.</p></noscript>
<main>
<section id="outcomes" aria-labelledby="outcomes-title">
<h2 id="outcomes-title">Outcomes by database and day</h2>
<p class="lede">One row per database, one column per day, coloured by the day's worst outcome. Point at a cell (or pick a database below) for its label, duration, size and error.</p>
${legend(summary)}
<div id="heatmap"></div>
<div class="cell-detail" id="cell-detail" aria-live="polite"><span class="hint">Point at a cell to see its backups.</span></div>
<div class="explorer no-print">
<div class="controls"><label for="cell-database">Cells of</label> <select id="cell-database"></select></div>
<div class="table-scroll"><table id="cell-table"><caption>Every slot of the selected database</caption><thead><tr><th scope="col">Slot</th><th scope="col">Outcome</th><th scope="col">Snapshot label</th><th scope="col" class="num">Started</th><th scope="col" class="num">Duration</th><th scope="col" class="num">Size</th><th scope="col">Error or reason</th></tr></thead><tbody></tbody></table></div>
</div>
</section>
<section id="databases" aria-labelledby="databases-title">
<h2 id="databases-title">Duration, size and recovery point per database</h2>
<p class="lede">Each FINISHED backup's duration and size with a linear trend; ▲ marks a size far from the database's usual size (as each run judges it). The recovery point is the age of the newest verified snapshot at each instant, against the database's objective (dashed).</p>
<div class="cards" id="cards"></div>
</section>
<section id="window" aria-labelledby="window-title">
<h2 id="window-title">Backup window per night</h2>
<p class="lede">When each night's jobs ran (hours after the slot), per cluster, and the most jobs that ran at once against <code>maxConcurrentBackups</code>. Pick a night for its jobs, stacked in the lanes they used.</p>
<div id="window-overview"></div>
<div class="controls no-print"><label for="night">Night</label> <select id="night"></select></div>
<div id="window-night"></div>
</section>
<section id="freshness" aria-labelledby="freshness-title">
<h2 id="freshness-title">Freshness: the recovery point each database had</h2>
<p class="lede">Databases whose newest verified snapshot was older than their objective at some time of the day; the table gives each database's worst age and how long it stayed over the objective.</p>
<div id="freshness-chart"></div>
${freshnessTable(data)}
</section>
<section id="drills" aria-labelledby="drills-title">
<h2 id="drills-title">Restore drills: the recovery time you can promise</h2>
<p class="lede">Measured restore times (submit to FINISHED) of the drills, by result; the line is the longest successful restore of each database, the recovery time its drills support.</p>
<div id="drills-chart"></div>
${drillsTable(data, at)}
</section>
<section id="coverage" aria-labelledby="coverage-title">
<h2 id="coverage-title">Coverage</h2>
${coverageTables(data, day)}
</section>
<section id="failures" aria-labelledby="failures-title">
<h2 id="failures-title">Failures of the period</h2>
<p class="lede">Every FAILED or TIMED_OUT attempt with StarRocks' status, what to check first, and the run it belongs to.</p>
${failuresTable(data, decoded, at)}
</section>
<section id="notes" aria-labelledby="notes-title">
<h2 id="notes-title">How to read this report</h2>
<ul class="notes">${data.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>
</section>
</main>
<footer>Generated by <code>sr-backup report</code> from the snapshot catalog. Self-contained: opening this file makes no network request.</footer>
</div>
<script type="application/json" id="report-data">${embeddedJson(data)}</script>
${assets.libraries.map(inlineScript).join('\n')}
${inlineScript(assets.client)}
</body>
</html>
`;
}
