/**
 * §5 Differential backups (issue 20 "Measured"): 30 nights of a ~1 TiB database (bench/differential/model.ts), backed
 * up (a) in full every night, the baseline, and (b) in full once a week with a differential against that full on the
 * other nights, each differential planned by the real planner (`planDifferential`) and its newest point restored by
 * the real `restoreSteps`. Bytes and the plan are computed; times are bytes at a stated rate. The workflow does not
 * take differentials yet, so nothing here runs StarRocks, the emulator or a state machine.
 */

import {
  type BackupObject,
  type ChainSnapshot,
  planDifferential,
  type RestoreStep,
  restoreSteps,
} from '#domain/differential/index.ts';
import {
  DIFFERENTIAL_MODEL,
  databaseBytes,
  MIB,
  type ModelDatabase,
  type ModelTable,
  manifestOf,
  type NightChanges,
  simulateNights,
  tableBytes,
} from './model.ts';
import type { WorkflowNightsResult } from './workflow-nights.ts';

/** The stated upload (and restore download) rate: 200 MiB/s. */
export const TRANSFER_BYTES_PER_SECOND = 200 * MIB;

/** Issue 20's goal: at least this many times fewer bytes uploaded per week. */
export const DIFFERENTIAL_GOAL_RATIO = 10;

/** One night, both strategies. */
export interface DifferentialNight {
  readonly night: number;
  /** Week number (1 = nights 1–7). */
  readonly week: number;
  readonly databaseBytes: number;
  readonly changes: NightChanges;
  /** (a) a full every night: the whole database. */
  readonly fullNightlyBytes: number;
  /** (b) what night's backup is: the week's full or a differential against it. */
  readonly kind: 'full' | 'differential';
  readonly baseNight: number;
  readonly weeklyBytes: number;
  /** For a differential: partitions it holds (of partitioned tables), whole tables, and partitions dropped since the full. */
  readonly partitions: number;
  readonly wholeTables: number;
  readonly droppedPartitions: number;
}

/** One week, both strategies. */
export interface DifferentialWeek {
  readonly week: number;
  readonly nights: number;
  readonly fullNightlyBytes: number;
  readonly weeklyBytes: number;
  readonly ratio: number;
}

/** Restoring one point. */
export interface RestoreFigures {
  readonly bytes: number;
  /** Steps that act on the cluster (RESTORE, DROP PARTITION, REFRESH), the final check not counted. */
  readonly steps: number;
  readonly stepKinds: readonly string[];
  readonly seconds: number;
}

/** Applying restoreSteps to the model for one differential night, compared with the database that night. */
export interface ChainCheck {
  readonly night: number;
  readonly baseNight: number;
  /** Partitions (or whole objects) that differ between the restored model and the database. */
  readonly mismatches: number;
  /** The same against the restore plan's own `check` step (its expected partitions and versions). */
  readonly checkStepMismatches: number;
}

/** Fulls this often are compared over the same nights (the chosen interval among them). */
export const FULL_INTERVALS = [7, 14, 30] as const;

/** The whole run with a full every N nights. */
export interface IntervalFigures {
  readonly fullEveryNights: number;
  readonly fulls: number;
  readonly bytes: number;
  /** Full every night's bytes over the same nights / these. */
  readonly ratio: number;
  readonly largestDifferentialBytes: number;
}

export interface DifferentialBenchResult {
  readonly model: typeof DIFFERENTIAL_MODEL;
  readonly transferBytesPerSecond: number;
  readonly startBytes: number;
  readonly nights: readonly DifferentialNight[];
  readonly weeks: readonly DifferentialWeek[];
  /** The same nights with a full every 7, 14 and 30 nights. */
  readonly intervals: readonly IntervalFigures[];
  /** The newest point (the last night), restored both ways. */
  readonly restore: {
    readonly night: number;
    readonly baseNight: number;
    readonly fullNightly: RestoreFigures;
    readonly weekly: RestoreFigures;
    /** The chain restore's steps, described (empty when the newest point is a full). */
    readonly steps: readonly string[];
  };
  /** The differential night with the largest restore (the end of a week's chain), restored the same way. */
  readonly longestChainRestore: {
    readonly night: number;
    readonly baseNight: number;
    readonly weekly: RestoreFigures;
  };
  /** Every differential night; the newest first. */
  readonly checks: readonly ChainCheck[];
  readonly wallSeconds: number;
  /** The same nights run through the workflow on the emulator (absent when not measured). */
  readonly workflow?: WorkflowNightsResult | undefined;
}

function snapshotOf(night: number, kind: 'full' | 'differential', baseNight: number): ChainSnapshot {
  return {
    kind,
    label: `night-${night}`,
    baseLabel: kind === 'full' ? null : `night-${baseNight}`,
    verified: true,
    prunedAt: null,
    lost: false,
  };
}

function tableOf(database: ModelDatabase, name: string): ModelTable | undefined {
  return database.tables.find((table) => table.name === name);
}

/** Bytes a BACKUP of these objects uploads (views: their definition only, counted as 0). */
function backupBytes(database: ModelDatabase, objects: readonly BackupObject[]): number {
  let bytes = 0;
  for (const object of objects) {
    const table = tableOf(database, object.name);
    if (table === undefined) continue;
    if (object.partitions === null) bytes += tableBytes(table);
    else {
      const wanted = new Set(object.partitions);
      for (const partition of table.partitions) if (wanted.has(partition.name)) bytes += partition.bytes;
    }
  }
  return bytes;
}

/** The restored database: table → partition name → contents (`id:version:bytes` of the source partition). */
type Restored = Map<string, Map<string, string>>;

function contents(table: ModelTable): Map<string, string> {
  return new Map(
    table.partitions.map((partition) => [
      partition.name,
      `${partition.id}:${partition.version}:${partition.bytes}`,
    ]),
  );
}

/**
 * Applies the steps to the model, as the cluster would: the full's objects (those `only` names), then the drops,
 * then the differential's partitions (overwritten or added) and whole objects. Returns the restored database and the
 * bytes read from the repository.
 */
function applySteps(
  steps: readonly RestoreStep[],
  full: ModelDatabase,
  differential: ModelDatabase,
): { restored: Restored; views: Set<string>; bytes: number } {
  const restored: Restored = new Map();
  const views = new Set<string>();
  let bytes = 0;
  for (const step of steps) {
    if (step.step === 'restore-full') {
      const only = step.only === null ? null : new Set(step.only);
      for (const table of full.tables) {
        if (only !== null && !only.has(table.name)) continue;
        restored.set(table.name, contents(table));
        bytes += tableBytes(table);
      }
      for (const view of full.views) if (only === null || only.has(view)) views.add(view);
    } else if (step.step === 'drop-partitions') {
      const table = restored.get(step.table);
      for (const name of step.partitions) table?.delete(name);
    } else if (step.step === 'restore-differential') {
      for (const object of step.objects) {
        const table = tableOf(differential, object.name);
        if (table === undefined) {
          if (object.kind === 'VIEW') views.add(object.name);
          continue;
        }
        const source = contents(table);
        if (object.partitions === null) {
          restored.set(table.name, source);
          bytes += tableBytes(table);
          continue;
        }
        const target = restored.get(table.name) ?? new Map<string, string>();
        restored.set(table.name, target);
        for (const name of object.partitions) {
          target.set(name, source.get(name) ?? 'missing from the snapshot');
          bytes += table.partitions.find((partition) => partition.name === name)?.bytes ?? 0;
        }
      }
    }
  }
  return { restored, views, bytes };
}

/** Partitions (and objects) that differ between two databases given as table → partition → value. */
function countMismatches(
  restored: Map<string, Map<string, string>>,
  expected: Map<string, Map<string, string>>,
): number {
  let mismatches = 0;
  for (const name of new Set([...restored.keys(), ...expected.keys()])) {
    const have = restored.get(name);
    const want = expected.get(name);
    if (have === undefined || want === undefined) {
      mismatches += Math.max(1, (have ?? want)?.size ?? 0);
      continue;
    }
    for (const partition of new Set([...have.keys(), ...want.keys()])) {
      if (have.get(partition) !== want.get(partition)) mismatches += 1;
    }
  }
  return mismatches;
}

/** One restore step in a line (the doc lists them). */
export function describeStep(step: RestoreStep): string {
  switch (step.step) {
    case 'restore-full':
      return `restore-full ${step.label}${step.only === null ? ' (everything)' : ` (only ${step.only.join(', ')}; left out: ${step.leftOut.map((left) => `${left.name} ${left.why}`).join(', ')})`}`;
    case 'drop-partitions':
      return `drop-partitions ${step.table}: ${step.partitions.join(', ')} (${step.why})`;
    case 'restore-differential':
      return `restore-differential ${step.label}: ${step.objects.map((object) => (object.partitions === null ? `${object.name} whole` : `${object.name} ${object.partitions.length} partitions`)).join(', ')}`;
    case 'refresh-materialized-views':
      return `refresh-materialized-views ${step.names.join(', ')}`;
    case 'check':
      return `check: ${step.tables.length} tables, ${step.tables.reduce((sum, table) => sum + table.partitions.length, 0)} partitions, views ${step.others.length}`;
  }
}

function actingSteps(steps: readonly RestoreStep[]): string[] {
  return steps.filter((step) => step.step !== 'check').map((step) => step.step);
}

function restoreFigures(bytes: number, kinds: readonly string[]): RestoreFigures {
  return { bytes, steps: kinds.length, stepKinds: kinds, seconds: bytes / TRANSFER_BYTES_PER_SECOND };
}

/** Restores one differential night over the model and checks it. */
function chainRestore(
  databases: readonly ModelDatabase[],
  night: number,
  baseNight: number,
): { steps: RestoreStep[]; figures: RestoreFigures; check: ChainCheck } {
  const full = databases[baseNight] as ModelDatabase;
  const now = databases[night] as ModelDatabase;
  const steps = restoreSteps(
    snapshotOf(night, 'differential', baseNight),
    snapshotOf(baseNight, 'full', baseNight),
    manifestOf(now),
    manifestOf(full),
  );
  const applied = applySteps(steps, full, now);
  const expected = new Map(now.tables.map((table) => [table.name, contents(table)]));
  const viewMismatches =
    [...applied.views].filter((view) => !now.views.includes(view)).length +
    now.views.filter((view) => !applied.views.has(view)).length;

  // The plan's own check step: the partitions and visible versions it expects.
  const check = steps.find((step) => step.step === 'check');
  const versionsOf = (map: Restored) =>
    new Map(
      [...map].map(([table, partitions]) => [
        table,
        new Map([...partitions].map(([name, value]) => [name, value.split(':')[1] ?? ''])),
      ]),
    );
  const checkExpected = new Map(
    (check?.step === 'check' ? check.tables : []).map((table) => [
      table.name,
      new Map(table.partitions.map((partition) => [partition.name, partition.visibleVersion])),
    ]),
  );
  return {
    steps,
    figures: restoreFigures(applied.bytes, actingSteps(steps)),
    check: {
      night,
      baseNight,
      mismatches: countMismatches(applied.restored, expected) + viewMismatches,
      checkStepMismatches:
        check === undefined ? 1 : countMismatches(versionsOf(applied.restored), checkExpected),
    },
  };
}

/** Each night of (a) and (b) with a full every `fullEvery` nights (night 1, 1 + fullEvery, …). */
function planNights(
  databases: readonly ModelDatabase[],
  changes: readonly NightChanges[],
  fullEvery: number,
): DifferentialNight[] {
  const nights: DifferentialNight[] = [];
  const count = databases.length - 1;
  for (let night = 1; night <= count; night += 1) {
    const database = databases[night] as ModelDatabase;
    const week = Math.floor((night - 1) / 7) + 1;
    const baseNight = Math.floor((night - 1) / fullEvery) * fullEvery + 1;
    const whole = databaseBytes(database);
    const row = {
      night,
      week,
      databaseBytes: whole,
      changes: changes[night - 1] as NightChanges,
      fullNightlyBytes: whole,
      baseNight,
    };
    if (night === baseNight) {
      nights.push({
        ...row,
        kind: 'full',
        weeklyBytes: whole,
        partitions: 0,
        wholeTables: 0,
        droppedPartitions: 0,
      });
      continue;
    }
    const plan = planDifferential(manifestOf(databases[baseNight] as ModelDatabase), manifestOf(database));
    nights.push({
      ...row,
      kind: 'differential',
      weeklyBytes: plan.unchanged ? 0 : backupBytes(database, plan.backup),
      partitions: plan.objects.reduce(
        (sum, object) => sum + (object.change === 'partitions' ? object.partitions.length : 0),
        0,
      ),
      wholeTables: plan.backup.filter((object) => object.partitions === null).length,
      droppedPartitions: plan.objects.reduce(
        (sum, object) => sum + (object.change === 'partitions' ? object.droppedPartitions.length : 0),
        0,
      ),
    });
  }

  return nights;
}

/** Runs §5. Pure computation: well under a second. */
export function runDifferentialBench(
  options: { readonly log?: (line: string) => void; readonly model?: typeof DIFFERENTIAL_MODEL } = {},
): DifferentialBenchResult {
  const started = performance.now();
  const model = options.model ?? DIFFERENTIAL_MODEL;
  const log = options.log ?? (() => {});
  const { databases, changes } = simulateNights(model);
  log(
    `§5 differential: ${model.nights} nights of a ${(databaseBytes(databases[0] as ModelDatabase) / 1024 ** 4).toFixed(2)} TiB model`,
  );

  const nights = planNights(databases, changes, model.fullEveryNights);
  const intervals = FULL_INTERVALS.map((fullEvery) => {
    const planned = fullEvery === model.fullEveryNights ? nights : planNights(databases, changes, fullEvery);
    const bytes = planned.reduce((sum, night) => sum + night.weeklyBytes, 0);
    const fullNightlyBytes = planned.reduce((sum, night) => sum + night.fullNightlyBytes, 0);
    return {
      fullEveryNights: fullEvery,
      fulls: planned.filter((night) => night.kind === 'full').length,
      bytes,
      ratio: fullNightlyBytes / bytes,
      largestDifferentialBytes: Math.max(
        0,
        ...planned.filter((night) => night.kind === 'differential').map((night) => night.weeklyBytes),
      ),
    };
  });

  const weeks: DifferentialWeek[] = [];
  for (const week of new Set(nights.map((night) => night.week))) {
    const own = nights.filter((night) => night.week === week);
    const fullNightlyBytes = own.reduce((sum, night) => sum + night.fullNightlyBytes, 0);
    const weeklyBytes = own.reduce((sum, night) => sum + night.weeklyBytes, 0);
    weeks.push({
      week,
      nights: own.length,
      fullNightlyBytes,
      weeklyBytes,
      ratio: fullNightlyBytes / weeklyBytes,
    });
  }

  const checks: ChainCheck[] = [];
  let newest: ReturnType<typeof chainRestore> | undefined;
  let longest: ReturnType<typeof chainRestore> | undefined;
  for (const night of [...nights].reverse()) {
    if (night.kind !== 'differential') continue;
    const restored = chainRestore(databases, night.night, night.baseNight);
    checks.push(restored.check);
    newest ??= restored;
    if (longest === undefined || restored.figures.bytes > longest.figures.bytes) longest = restored;
  }

  const last = nights.at(-1) as DifferentialNight;
  // The newest point: a chain restore when the last night is a differential, else its full alone.
  const weeklyRestore =
    last.kind === 'differential' && newest !== undefined
      ? newest.figures
      : restoreFigures(last.databaseBytes, ['restore-full']);
  log(`§5 differential: ${checks.length} chain restores checked`);
  return {
    model,
    transferBytesPerSecond: TRANSFER_BYTES_PER_SECOND,
    startBytes: databaseBytes(databases[0] as ModelDatabase),
    nights,
    weeks,
    intervals,
    restore: {
      night: last.night,
      baseNight: last.baseNight,
      fullNightly: restoreFigures(last.databaseBytes, ['restore-full']),
      weekly: weeklyRestore,
      steps: last.kind === 'differential' && newest !== undefined ? newest.steps.map(describeStep) : [],
    },
    longestChainRestore: {
      night: longest?.check.night ?? last.night,
      baseNight: longest?.check.baseNight ?? last.baseNight,
      weekly: longest?.figures ?? weeklyRestore,
    },
    checks,
    wallSeconds: (performance.now() - started) / 1000,
  };
}
