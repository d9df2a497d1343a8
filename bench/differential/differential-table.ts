/** §5's tables, goal and docs/benchmarks.md section. */
import { formatDuration } from '#domain/time-format.ts';
import type { GoalCheck } from '../report/goal-check.ts';
import { formatRatio, markdownTable } from '../report/table.ts';
import {
  DIFFERENTIAL_GOAL_RATIO,
  type DifferentialBenchResult,
  type DifferentialWeek,
  type RestoreFigures,
} from './differential-bench.ts';
import { GIB, MIB } from './model.ts';
import type { WorkflowNightsResult } from './workflow-nights.ts';

/** Bytes in GiB (one decimal), the unit of this section. */
export function formatGib(bytes: number): string {
  if (bytes > 0 && bytes < GIB) return `${(bytes / MIB).toFixed(0)} MiB`;
  return `${(bytes / GIB).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} GiB`;
}

function rate(result: DifferentialBenchResult): string {
  return `${result.transferBytesPerSecond / MIB} MiB/s`;
}

function time(result: DifferentialBenchResult, bytes: number): string {
  return formatDuration(bytes / result.transferBytesPerSecond);
}

/** The complete weeks (7 nights), on which the goal is checked. */
function completeWeeks(result: DifferentialBenchResult): DifferentialWeek[] {
  return result.weeks.filter((week) => week.nights === result.model.fullEveryNights);
}

/** Per week: bytes uploaded with a full every night vs a weekly full + nightly differentials. */
export function differentialWeekTable(result: DifferentialBenchResult): string {
  const rows = result.weeks.map((week) => {
    const first = (week.week - 1) * 7 + 1;
    return [
      `${week.week} (nights ${first}–${first + week.nights - 1})${week.nights < 7 ? ', partial' : ''}`,
      formatGib(week.fullNightlyBytes),
      formatGib(week.weeklyBytes),
      formatRatio(week.ratio),
    ];
  });
  const full = result.weeks.reduce((sum, week) => sum + week.fullNightlyBytes, 0);
  const weekly = result.weeks.reduce((sum, week) => sum + week.weeklyBytes, 0);
  rows.push([
    `all ${result.nights.length} nights`,
    formatGib(full),
    formatGib(weekly),
    formatRatio(full / weekly),
  ]);
  return markdownTable(
    ['week', '(a) full every night (baseline)', '(b) weekly full + nightly differential', 'fewer bytes'],
    rows,
    ['left', 'right', 'right', 'right'],
  );
}

/** Per night: bytes and backup time both ways, and what the differential holds. */
export function differentialNightTable(result: DifferentialBenchResult): string {
  return markdownTable(
    [
      'night',
      'changed (late) / overwritten / dimensions',
      '(a) bytes',
      '(a) time',
      '(b) backup',
      '(b) bytes',
      '(b) time',
      'partitions / whole tables / dropped since the full',
    ],
    result.nights.map((night) => [
      String(night.night),
      `${night.changes.changed} (${night.changes.late}) / ${night.changes.overwritten} / ${night.changes.dimensionsChanged}`,
      formatGib(night.fullNightlyBytes),
      time(result, night.fullNightlyBytes),
      night.kind === 'full' ? 'full' : `differential of night ${night.baseNight}`,
      formatGib(night.weeklyBytes),
      time(result, night.weeklyBytes),
      night.kind === 'full' ? '–' : `${night.partitions} / ${night.wholeTables} / ${night.droppedPartitions}`,
    ]),
    ['right', 'right', 'right', 'right', 'left', 'right', 'right', 'right'],
  );
}

function restoreRow(result: DifferentialBenchResult, name: string, figures: RestoreFigures): string[] {
  return [
    name,
    formatGib(figures.bytes),
    `${figures.steps} (${figures.stepKinds.join(', ')})`,
    time(result, figures.bytes),
  ];
}

/** Restoring the newest point (and the end of the longest chain) both ways. */
export function differentialRestoreTable(result: DifferentialBenchResult): string {
  const { restore, longestChainRestore: longest } = result;
  const newestCheck = result.checks.find((check) => check.night === restore.night);
  const rows = [
    restoreRow(result, `(a) night ${restore.night}: its full (baseline)`, restore.fullNightly),
    restoreRow(
      result,
      `(b) night ${restore.night}: full of night ${restore.baseNight} + differential`,
      restore.weekly,
    ),
    restoreRow(
      result,
      `(b) night ${longest.night}, the largest chain restore: full of night ${longest.baseNight} + differential`,
      longest.weekly,
    ),
  ];
  return `${markdownTable(['restore', 'bytes restored', 'steps', `time at ${rate(result)}`], rows, [
    'left',
    'right',
    'left',
    'right',
  ])}\n\nCorrectness: restoreSteps applied to the model for night ${restore.night} (the full's partitions, then the drops, then the differential's partitions) against the database at night ${restore.night}: ${newestCheck?.mismatches ?? 'not checked'} mismatches (must be 0); for all ${result.checks.length} differential nights: ${sum(result.checks.map((check) => check.mismatches))} mismatches, ${sum(result.checks.map((check) => check.checkStepMismatches))} against the plan's own check step.`;
}

/** The same nights with a full every 7, 14 or 30 nights. */
export function differentialIntervalTable(result: DifferentialBenchResult): string {
  return markdownTable(
    [
      'a full every',
      'fulls',
      `bytes over ${result.nights.length} nights`,
      'fewer bytes than (a)',
      'largest differential',
    ],
    result.intervals.map((interval) => [
      `${interval.fullEveryNights} nights${interval.fullEveryNights === result.model.fullEveryNights ? ' (b)' : ''}`,
      String(interval.fulls),
      formatGib(interval.bytes),
      formatRatio(interval.ratio),
      formatGib(interval.largestDifferentialBytes),
    ]),
    ['left', 'right', 'right', 'right', 'right'],
  );
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Issue 20's goals: ≥ 10× fewer bytes per week, and a correct chain restore. */
export function differentialGoals(result: DifferentialBenchResult): GoalCheck[] {
  const weeks = completeWeeks(result);
  const worst = weeks.reduce<DifferentialWeek | undefined>(
    (low, week) => (low === undefined || week.ratio < low.ratio ? week : low),
    undefined,
  );
  const met = worst !== undefined && worst.ratio >= DIFFERENTIAL_GOAL_RATIO;
  const every = result.model.fullEveryNights;
  const lastDifferential = result.nights
    .filter((night) => night.kind === 'differential' && night.week === worst?.week)
    .at(-1);
  const meeting = result.intervals.find((interval) => interval.ratio >= DIFFERENTIAL_GOAL_RATIO);
  const goals: GoalCheck[] = [
    {
      section: '§5',
      goal: `≥ ${DIFFERENTIAL_GOAL_RATIO}× fewer bytes uploaded per week: weekly full + nightly differential vs a full every night (1 TiB model, every complete week)`,
      measured:
        worst === undefined
          ? 'no complete week'
          : `worst week ${worst.week}: ${formatGib(worst.fullNightlyBytes)} vs ${formatGib(worst.weeklyBytes)} = ${formatRatio(worst.ratio)} (weeks ${weeks.map((week) => formatRatio(week.ratio)).join(', ')})`,
      met,
      ...(met || worst === undefined
        ? {}
        : {
            why: `a week of ${every} nights with one full uploads at least 1 full for ${every}, so the ratio cannot pass ${every}× even with empty differentials; and each differential holds every partition changed since the full, so they grow through the week (night ${lastDifferential?.night ?? '?'}: ${formatGib(lastDifferential?.weeklyBytes ?? 0)}, ${lastDifferential?.partitions ?? 0} partitions; the week's ${every - 1} differentials ${formatGib(worst.weeklyBytes - (result.nights.find((night) => night.night === (worst.week - 1) * 7 + 1)?.weeklyBytes ?? 0))} beside its full).`,
            close: `Not fewer fulls alone: over the same ${result.nights.length} nights ${result.intervals.map((interval) => `a full every ${interval.fullEveryNights} nights gives ${formatRatio(interval.ratio)} (largest differential ${formatGib(interval.largestDifferentialBytes)})`).join(', ')}${meeting === undefined ? ', because a differential against its full accumulates every partition changed since, so longer chains mostly move bytes from fulls to differentials' : ` (${DIFFERENTIAL_GOAL_RATIO}× from a full every ${meeting.fullEveryNights} nights)`}. Reaching ${DIFFERENTIAL_GOAL_RATIO}× per week needs fulls less often than every ${DIFFERENTIAL_GOAL_RATIO} nights AND differentials that do not accumulate (taken against the previous point, which the chain rules do not allow today: a differential depends on its full only), or smaller units of change (finer partitions, fewer whole dimension tables); else restate the goal (a weekly full caps it at ${every}×)`,
          }),
    },
  ];
  const workflow = result.workflow;
  if (workflow !== undefined) {
    const restore = workflow.restore;
    const restored = restore.exitCode === 0 && restore.mismatchedPartitions === 0;
    const full = sum(workflow.nights.map((night) => night.fullNightly.bytes));
    const differential = sum(workflow.nights.map((night) => night.differential.bytes));
    goals.push({
      section: '§5',
      goal: `Through the workflow (${workflow.nights.length} nights on the emulator): the newest point of the differential schedule, restored by sr-backup restore, equals the source partition by partition`,
      measured: `exit ${restore.exitCode}, ${restore.mismatchedPartitions} of ${restore.comparedPartitions} partitions differ; bytes uploaded ${formatGib(full)} (full every night) vs ${formatGib(differential)} (weekly full + differentials) = ${formatRatio(full / differential)}`,
      met: restored,
      ...(restored
        ? {}
        : {
            why: 'the chain restore of the workflow-made chain does not reproduce the source',
            close: 'See local/restore/run-chain-restore.ts and the manifests the workflow recorded.',
          }),
    });
  }
  const mismatches = sum(result.checks.map((check) => check.mismatches));
  const newest = result.checks.find((check) => check.night === result.restore.night);
  goals.push({
    section: '§5',
    goal: `Restoring the newest point (night ${result.restore.night}) with restoreSteps yields exactly the database of that night, partition by partition`,
    measured: `${newest?.mismatches ?? 'not checked'} mismatches at night ${result.restore.night}; ${mismatches} over all ${result.checks.length} differential nights`,
    met: newest !== undefined && newest.mismatches === 0 && mismatches === 0,
    ...(newest !== undefined && mismatches === 0
      ? {}
      : {
          why: 'the restore steps leave out, drop or restore a partition the database does not have at that night',
          close:
            'Fix lambdas/domain/differential/restore-steps.ts (or plan.ts) for the case the model shows.',
        }),
  });
  return goals;
}

/** Per week, through the workflow: bytes and backup time of each schedule. */
export function workflowWeekTable(workflow: WorkflowNightsResult): string {
  const weeks = new Map<number, WorkflowNightsResult['nights'][number][]>();
  for (const night of workflow.nights) {
    const week = Math.floor((night.night - 1) / 7) + 1;
    weeks.set(week, [...(weeks.get(week) ?? []), night]);
  }
  const seconds = (values: readonly (number | null)[]) =>
    formatDuration(sum(values.map((value) => value ?? 0)));
  const row = (label: string, nights: readonly WorkflowNightsResult['nights'][number][]) => {
    const full = sum(nights.map((night) => night.fullNightly.bytes));
    const differential = sum(nights.map((night) => night.differential.bytes));
    return [
      label,
      formatGib(full),
      seconds(nights.map((night) => night.fullNightly.seconds)),
      formatGib(differential),
      seconds(nights.map((night) => night.differential.seconds)),
      formatRatio(full / differential),
    ];
  };
  const rows = [...weeks.entries()].map(([week, nights]) => {
    const first = (week - 1) * 7 + 1;
    return row(
      `${week} (nights ${first}–${first + nights.length - 1})${nights.length < 7 ? ', partial' : ''}`,
      nights,
    );
  });
  rows.push(row(`all ${workflow.nights.length} nights`, workflow.nights));
  return markdownTable(
    ['week', '(a) bytes', '(a) backup time', '(b) bytes', '(b) backup time', 'fewer bytes'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** Per night, through the workflow: what each schedule recorded. */
export function workflowNightTable(workflow: WorkflowNightsResult): string {
  const describe = (figures: WorkflowNightsResult['nights'][number]['fullNightly']) =>
    figures.state === 'FINISHED' ? figures.mode : `${figures.state} ${figures.reason ?? ''}`.trim();
  return markdownTable(
    ['night', '(a) bytes', '(a) time', '(b) kind', '(b) bytes', '(b) time'],
    workflow.nights.map((night) => [
      String(night.night),
      formatGib(night.fullNightly.bytes),
      night.fullNightly.seconds === null ? '-' : formatDuration(night.fullNightly.seconds),
      describe(night.differential),
      formatGib(night.differential.bytes),
      night.differential.seconds === null ? '-' : formatDuration(night.differential.seconds),
    ]),
    ['right', 'right', 'right', 'left', 'right', 'right'],
  );
}

function workflowSection(workflow: WorkflowNightsResult | undefined): string[] {
  if (workflow === undefined) return [];
  const restore = workflow.restore;
  return [
    '### Through the workflow (run, not computed)',
    '',
    `The same ${workflow.nights.length} nights applied to two copies of the database in the FE emulator (StarRocks 3.3),`,
    'each night a whole nightly run of the real ASL in the local interpreter with the real Lambdas and dynalite, on a',
    `virtual clock: (a) a schedule with \`mode: full\`, (b) one with \`mode: differential\` and \`fullEvery: 7\`. The emulator`,
    `uploads at **${workflow.uploadBytesPerSecond / MIB} MiB/s** (a job lasts its bytes over that rate), so the times are the`,
    "workflow's own (submit to the check that saw FINISHED, polls included). Bytes are those of the partitions each",
    'snapshot holds, read from the emulator (bench/differential/workflow-nights.ts).',
    '',
    workflowWeekTable(workflow),
    '',
    `The newest point of (b), restored with \`sr-backup restore --execute\` (the chain: full ${restore.fullLabel ?? '-'}, then`,
    `differential ${restore.differentialLabel ?? '-'}): exit ${restore.exitCode}, ${restore.state}; compared with the source`,
    `partition by partition (rows, bytes, visible version): **${restore.mismatchedPartitions} of ${restore.comparedPartitions} differ**.`,
    '',
    workflowNightTable(workflow),
    '',
    `The workflow part took ${workflow.wallSeconds.toFixed(1)} s.`,
    '',
  ];
}

/** The §5 section of docs/benchmarks.md. */
export function differentialSection(result: DifferentialBenchResult, machineLine: string): string[] {
  const model = result.model;
  const dimensions = model.dimensions
    .map(
      (dimension) =>
        `${dimension.name} ${formatGib(dimension.bytes)} (${dimension.changeChance === 1 ? 'updated every night' : `updated on ${Math.round(dimension.changeChance * 100)} % of nights`})`,
    )
    .join(', ');
  return [
    '## §5 Differential backups',
    '',
    machineLine,
    '',
    '**Computed first, then run:** the tables up to "Through the workflow" are computed from the planner alone (no',
    'StarRocks, emulator or state machine); "Through the workflow" runs the same nights through the deployed workflow',
    'on the FE emulator. A synthetic database',
    '(bench/differential/model.ts, seed',
    `${model.seed}) is described by its partitions only (name, PARTITION_ID, visible version, bytes); each night's manifest goes`,
    'through the real planner (`planDifferential`, lambdas/domain/differential/plan.ts) and the newest point through the real',
    "`restoreSteps`. A backup's bytes are those of the partitions (or whole tables) the plan puts in its BACKUP; times are",
    `those bytes at a stated **${rate(result)}**, for the upload and for the restore's download alike (no snapshot, metadata or`,
    'queueing time).',
    '',
    `The database: a fact table \`${model.fact.name}\` of ${model.fact.partitions} daily RANGE partitions of ${formatGib(model.fact.minBytes)}–${formatGib(model.fact.maxBytes)} and three`,
    `unpartitioned dimension tables, ${dimensions}, plus a view; ${formatGib(result.startBytes)} at the start.`,
    `Each night, before its backup: a new daily partition is added and loaded and the oldest dropped (a rolling ${model.fact.partitions}-day`,
    `window); ${Math.round(model.changedShare.min * 100)}–${Math.round(model.changedShare.max * 100)} % of the partitions change (a new visible version, +${model.growthPerChange * 100} % bytes), of which`,
    `${model.lateUpdate.count.min}–${model.lateUpdate.count.max} are late updates to partitions older than ${model.lateUpdate.olderThanDays} days and the rest recent ones (age 1 + ⌊${model.recentDays}·u²⌋ days);`,
    `with a chance of ${Math.round(model.overwriteChance * 100)} % one partition of the last week is reloaded by INSERT OVERWRITE (a new PARTITION_ID).`,
    '',
    `**(a)**, the baseline: a full backup every night. **(b)**: a full on nights ${result.nights
      .filter((night) => night.kind === 'full')
      .map((night) => night.night)
      .join(', ')}, and on the other nights a`,
    "differential against that week's full (a differential depends on its full only, so each one holds everything changed",
    'since the full: it grows through the week).',
    '',
    differentialWeekTable(result),
    '',
    `Goal: ≥ ${DIFFERENTIAL_GOAL_RATIO}× fewer bytes uploaded per week; measured ${completeWeeks(result)
      .map((week) => formatRatio(week.ratio))
      .join(', ')} over the complete weeks.`,
    '',
    ...workflowSection(result.workflow),
    '### Restoring the newest point',
    '',
    '(a) restores one full. (b) restores the full (without the objects the differential holds whole), drops the',
    "partitions dropped or replaced since the full, then restores the differential over it: its bytes are the full's",
    "plus the differential's, so a chain restore reads more than a full one. Steps counted are those that act on the",
    "cluster; the plan's final check step is not counted.",
    '',
    differentialRestoreTable(result),
    '',
    `The chain restore of night ${result.restore.night}, as restoreSteps plans it:`,
    '',
    ...result.restore.steps.map((step) => `- ${step}`),
    '',
    '### Every night',
    '',
    'Changed = fact partitions with a new version (not counting the new one), of them late; overwritten = INSERT OVERWRITE;',
    'dimensions = dimension tables updated. For a differential: partitions it holds of the fact table, tables it holds',
    'whole (a changed unpartitioned table is taken whole), fact partitions dropped since its full.',
    '',
    differentialNightTable(result),
    '',
    '### How often a full',
    '',
    'The same nights with a full every 7 (the chain above), 14 or 30 nights (30: one full on night 1, 29 differentials):',
    '',
    differentialIntervalTable(result),
    '',
    `§5 took ${(result.wallSeconds * 1000).toFixed(0)} ms. Repeat it with \`npm run bench -- --only differential\`.`,
  ];
}
