// Runs in milliseconds: restore plans checked against an in-memory model of RESTORE, no I/O.
import { describe, expect, it } from 'vitest';
import {
  type ChainSnapshot,
  isRangePartitioning,
  type Manifest,
  type OlapTableManifest,
  type RestoreStep,
  restoreSteps,
} from '#domain/differential/index.ts';
import { InvalidInputError, SnapshotNotFoundError } from '#domain/errors.ts';
import { dailyPartitions, manifest, mv, part, table, view, withPartition } from './manifest-builders.ts';

const F: ChainSnapshot = {
  kind: 'full',
  label: 'f1',
  baseLabel: null,
  verified: true,
  prunedAt: null,
  lost: false,
};
const D: ChainSnapshot = { ...F, kind: 'differential', label: 'd1', baseLabel: 'f1' };

type ModelTable = {
  table: OlapTableManifest;
  partitions: Map<string, { version: string; physical: number }>;
};
type Model = Map<string, ModelTable | { other: string }>;

function load(db: Model, source: Manifest, name: string, partitions: readonly string[] | null): void {
  const olap = source.tables.find((t) => t.name === name);
  const other = source.others.find((o) => o.name === name);
  if (!olap && !other) throw new Error(`Table ${name} does not exist in snapshot`);
  const existing = db.get(name);
  if (partitions === null) {
    // Our plans never restore a whole object over an existing one (that would need the schema to match).
    if (existing) throw new Error(`Table ${name} already exist`);
    if (other) db.set(name, { other: other.fingerprint });
    else if (olap) {
      const map = new Map(
        olap.partitions.map((p) => [
          p.name,
          { version: p.visibleVersion, physical: p.physicalPartitions ?? 1 },
        ]),
      );
      db.set(name, { table: olap, partitions: map });
    }
    return;
  }
  if (!olap || !existing || !('table' in existing))
    throw new Error(`partitions of ${name} need an existing table`);
  // RestoreJob.checkAndPrepareMeta: signature / columns compared first.
  if (existing.table.fingerprint !== olap.fingerprint)
    throw new Error(`Table ${name} already exist but with different schema`);
  for (const partName of partitions) {
    const source = olap.partitions.find((p) => p.name === partName);
    if (!source) throw new Error(`Partition ${partName} of table ${name} does not exist in snapshot`);
    const local = existing.partitions.get(partName);
    if (local) {
      if (local.physical > 1 || (source.physicalPartitions ?? 1) > 1)
        throw new Error(
          `Partition ${partName} in table ${name} is automatic bucket partition, can not be restored`,
        );
      existing.partitions.set(partName, { version: source.visibleVersion, physical: 1 });
    } else if (isRangePartitioning(existing.table.partitioning)) {
      existing.partitions.set(partName, { version: source.visibleVersion, physical: 1 });
    } else {
      throw new Error(`No partition exist in single partitioned table ${name}`);
    }
  }
}

/** Applies the steps to an empty database the way RestoreJob / DROP PARTITION behave (research §2.2, §8). */
function apply(steps: readonly RestoreStep[], full: Manifest, now: Manifest): Model {
  const db: Model = new Map();
  for (const step of steps) {
    if (step.step === 'restore-full') {
      const names = step.only ?? [...full.tables, ...full.others].map((o) => o.name);
      for (const name of names) load(db, full, name, null);
    } else if (step.step === 'drop-partitions') {
      const target = db.get(step.table);
      if (!target || !('table' in target)) throw new Error(`Unknown table ${step.table}`);
      if (target.table.partitioning === 'UNPARTITIONED') throw new Error('Not a partitioned table');
      for (const p of step.partitions)
        if (!target.partitions.delete(p)) throw new Error(`partition ${p} does not exist`);
    } else if (step.step === 'restore-differential') {
      for (const object of step.objects) load(db, now, object.name, object.partitions);
    }
  }
  return db;
}

function describeModel(db: Model): Record<string, unknown> {
  return Object.fromEntries(
    [...db.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => [
        name,
        'other' in value
          ? value.other
          : [
              value.table.fingerprint,
              Object.fromEntries([...value.partitions].map(([p, v]) => [p, v.version]).sort()),
            ],
      ]),
  );
}

function describeManifest(m: Manifest): Record<string, unknown> {
  const db: Model = new Map();
  for (const name of [...m.tables, ...m.others].map((o) => o.name)) load(db, m, name, null);
  return describeModel(db);
}

const fact = table('fact', dailyPartitions(10));
const full = manifest(
  [fact, table('dim', [part('dim', 500, 7)], 'UNPARTITIONED'), table('old', [part('o', 600, 2)])],
  [view('v_fact'), mv('mv_daily')],
);

describe('restoreSteps', () => {
  it('restores the full without what the differential replaces or dropped, drops partitions, then restores the differential', () => {
    let changedFact = withPartition(fact, 'p0000', null); // dropped partition
    changedFact = withPartition(changedFact, 'p0002', part('p0002', 10_002, 5)); // late update of an old partition
    changedFact = withPartition(changedFact, 'p0003', part('p0003', 40_000, 1)); // replaced (INSERT OVERWRITE)
    changedFact = { ...changedFact, partitions: [...changedFact.partitions, part('p0010', 20_000, 2)] }; // new
    const now = manifest(
      [
        changedFact,
        table('dim', [part('dim', 500, 8)], 'UNPARTITIONED'),
        table('events', [part('e1', 700, 2)]),
      ],
      [view('v_fact'), mv('mv_daily')],
    );
    const steps = restoreSteps(D, F, now, full);
    expect(steps.map((s) => s.step)).toEqual([
      'restore-full',
      'drop-partitions',
      'drop-partitions',
      'restore-differential',
      'refresh-materialized-views',
      'check',
    ]);
    expect(steps[0]).toEqual({
      step: 'restore-full',
      label: 'f1',
      only: ['fact', 'v_fact', 'mv_daily'],
      leftOut: [
        { name: 'dim', why: 'in-differential' },
        { name: 'old', why: 'dropped-since-full' },
      ],
    });
    expect(steps[1]).toEqual({
      step: 'drop-partitions',
      table: 'fact',
      partitions: ['p0000'],
      why: 'dropped-since-full',
    });
    expect(steps[2]).toEqual({
      step: 'drop-partitions',
      table: 'fact',
      partitions: ['p0003'],
      why: 'replaced-since-full',
    });
    expect(steps[3]).toEqual({
      step: 'restore-differential',
      label: 'd1',
      objects: [
        { name: 'fact', kind: 'OLAP', partitions: ['p0002', 'p0003', 'p0010'] },
        { name: 'dim', kind: 'OLAP', partitions: null },
        { name: 'events', kind: 'OLAP', partitions: null },
      ],
    });
    expect(steps[4]).toEqual({ step: 'refresh-materialized-views', names: ['mv_daily'] });
    expect(describeModel(apply(steps, full, now))).toEqual(describeManifest(now));
  });

  it('restores the whole full when nothing is left out, and nothing of the differential when it only dropped', () => {
    const now = manifest([withPartition(fact, 'p0005', null), ...full.tables.slice(1)], full.others);
    const steps = restoreSteps(D, F, now, full);
    expect(steps[0]).toMatchObject({ step: 'restore-full', only: null, leftOut: [] });
    expect(steps.map((s) => s.step)).not.toContain('restore-differential');
    expect(describeModel(apply(steps, full, now))).toEqual(describeManifest(now));
  });

  it('refuses a pair that is not a full and its differential', () => {
    expect(() => restoreSteps({ ...D, baseLabel: 'f0' }, F, full, full)).toThrow(InvalidInputError);
    expect(() => restoreSteps(F, F, full, full)).toThrow(InvalidInputError);
  });

  it('refuses a chain whose full is pruned or unverified, or whose differential is unverified', () => {
    expect(() => restoreSteps(D, { ...F, prunedAt: '2026-01-09T00:00:00.000Z' }, full, full)).toThrow(
      SnapshotNotFoundError,
    );
    expect(() => restoreSteps(D, { ...F, verified: false }, full, full)).toThrow(/base-not-verified/);
    expect(() => restoreSteps({ ...D, verified: false }, F, full, full)).toThrow(SnapshotNotFoundError);
  });

  it('yields exactly the database at the differential time, over many random histories', () => {
    let seed = 20;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    let nextId = 100_000;
    const base = manifest(
      [
        table('fact', dailyPartitions(30)),
        table('by_region', [part('eu', 1, 2), part('us', 2, 2)], 'LIST'),
        table('dim', [part('dim', 3, 2)], 'UNPARTITIONED'),
        table('auto', [part('a1', 4, 2, 2), part('a2', 5, 2)], 'EXPR_RANGE'),
      ],
      [view('v'), mv('m')],
    );
    for (let history = 0; history < 300; history++) {
      const now: Manifest = structuredClone(base);
      for (let change = 0, changes = 1 + Math.floor(random() * 6); change < changes; change++) {
        const kind = pick([
          'bump',
          'bump',
          'add',
          'drop',
          'replace',
          'schema',
          'new-table',
          'drop-table',
          'view',
        ]);
        const t = pick(now.tables);
        if (kind === 'view' || !t) {
          now.others = now.others.map((o) =>
            random() < 0.5 ? { ...o, fingerprint: `${o.fingerprint}+` } : o,
          );
        } else if (kind === 'new-table') {
          now.tables.push(table(`new${history}_${change}`, [part('n1', nextId++, 2)]));
        } else if (kind === 'drop-table') {
          now.tables = now.tables.filter((x) => x !== t);
        } else if (kind === 'schema') {
          t.fingerprint += '+';
        } else if (kind === 'add' && t.partitioning !== 'UNPARTITIONED') {
          t.partitions.push(part(`x${nextId}`, nextId++, 2));
        } else {
          const p = pick(t.partitions);
          if (!p) continue;
          if (kind === 'bump') p.visibleVersion = String(Number(p.visibleVersion) + 1);
          else if (kind === 'replace') p.id = String(nextId++);
          else if (kind === 'drop' && t.partitioning !== 'UNPARTITIONED')
            t.partitions = t.partitions.filter((x) => x !== p);
        }
      }
      for (const options of [{}, { materializedViews: 'whole' as const }]) {
        const steps = restoreSteps(D, F, now, base, options);
        expect(describeModel(apply(steps, base, now)), `history ${history}`).toEqual(describeManifest(now));
      }
    }
  });
});
