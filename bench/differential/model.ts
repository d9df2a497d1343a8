/**
 * §5's synthetic database: a ~1 TiB StarRocks database described by its partitions only (name, id, visible version,
 * bytes), changed night by night by a seeded pseudo-random workload, and turned into the partition manifest
 * (#domain/differential) the real planner reads. No rows, no emulator: a partition's contents are its
 * (id, visible version) pair, which is exactly what the planner compares.
 */
import { MANIFEST_FORMAT_VERSION, type Manifest, type PartitioningKind } from '#domain/differential/index.ts';

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

/** The workload, stated once (the doc prints it). */
export const DIFFERENTIAL_MODEL = {
  seed: 20,
  nights: 30,
  /** A full every `fullEveryNights` nights (night 1, 8, 15, …), differentials against it in between. */
  fullEveryNights: 7,
  fact: {
    name: 'sales',
    /** Daily RANGE partitions kept: each night adds one and drops the oldest (a rolling window). */
    partitions: 365,
    /** A partition's size is uniform in this range. */
    minBytes: 2.4 * GIB,
    maxBytes: 3.0 * GIB,
  },
  /** Of the fact table's partitions, this share changes each night (uniform in the range), the new one aside. */
  changedShare: { min: 0.01, max: 0.03 },
  /** Of those, 1 or 2 are late updates to a partition older than this many days; the rest are recent. */
  lateUpdate: { count: { min: 1, max: 2 }, olderThanDays: 30 },
  /** Recent changes hit a partition `floor(recentDays × u²)` days old (u uniform): mostly the last few days. */
  recentDays: 14,
  /** A change grows a partition by this share (an upsert or late rows). */
  growthPerChange: 0.005,
  /** Chance per night that one recent partition is reloaded with INSERT OVERWRITE (a new PARTITION_ID). */
  overwriteChance: 0.15,
  /** Unpartitioned dimension tables: size and the chance per night that each is updated. */
  dimensions: [
    { name: 'customers', bytes: 6 * GIB, changeChance: 1 },
    { name: 'products', bytes: 1.5 * GIB, changeChance: 0.3 },
    { name: 'stores', bytes: 50 * MIB, changeChance: 0.1 },
  ],
  /** A view over the fact table, never changed (a differential leaves it to the full). */
  views: ['sales_by_day'],
} as const;

/** A small seeded PRNG (mulberry32, as bench/window/makespan.ts): the same nights on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One partition of the model. */
export interface ModelPartition {
  readonly name: string;
  readonly id: number;
  readonly version: number;
  readonly bytes: number;
}

/** One table of the model; partitions in range order (oldest first). */
export interface ModelTable {
  readonly name: string;
  readonly partitioning: PartitioningKind;
  readonly partitions: readonly ModelPartition[];
}

/** The database at the end of one night (after its load, when the backup runs). */
export interface ModelDatabase {
  readonly tables: readonly ModelTable[];
  readonly views: readonly string[];
}

/** What one night did to the database. */
export interface NightChanges {
  readonly added: number;
  readonly dropped: number;
  /** Fact partitions whose version moved (the new one not counted), of which `late` are older than 30 days. */
  readonly changed: number;
  readonly late: number;
  readonly overwritten: number;
  readonly dimensionsChanged: number;
}

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2025, 10, 7);

function partitionName(day: number): string {
  return `p${new Date(FIRST_DAY + day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** Total bytes of a table or database. */
export function tableBytes(table: ModelTable): number {
  return table.partitions.reduce((sum, partition) => sum + partition.bytes, 0);
}

export function databaseBytes(database: ModelDatabase): number {
  return database.tables.reduce((sum, table) => sum + tableBytes(table), 0);
}

/** The manifest of the database as the StarRocks client would read it. */
export function manifestOf(database: ModelDatabase): Manifest {
  return {
    formatVersion: MANIFEST_FORMAT_VERSION,
    tables: database.tables.map((table) => ({
      name: table.name,
      fingerprint: `${table.name}-schema-1`,
      partitioning: table.partitioning,
      partitions: table.partitions.map((partition) => ({
        name: partition.name,
        id: String(partition.id),
        visibleVersion: String(partition.version),
        visibleVersionTime: null,
      })),
    })),
    others: database.views.map((name) => ({
      name,
      kind: 'VIEW' as const,
      fingerprint: `${name}-definition-1`,
    })),
  };
}

/**
 * The database before night 1, then each of the nights: `databases[n]` is the database at night n's backup
 * (`databases[0]` is the starting point, never backed up).
 */
export function simulateNights(model = DIFFERENTIAL_MODEL): {
  readonly databases: readonly ModelDatabase[];
  readonly changes: readonly NightChanges[];
} {
  const next = seededRandom(model.seed);
  let nextId = 10_000;
  const between = (min: number, max: number) => min + (max - min) * next();
  const integer = (min: number, max: number) => Math.floor(between(min, max + 1));

  const fact: ModelPartition[] = [];
  for (let day = 0; day < model.fact.partitions; day += 1) {
    fact.push({
      name: partitionName(day),
      id: nextId++,
      version: 2,
      bytes: between(model.fact.minBytes, model.fact.maxBytes),
    });
  }
  let dimensions: ModelTable[] = model.dimensions.map((dimension) => ({
    name: dimension.name,
    partitioning: 'UNPARTITIONED',
    partitions: [{ name: dimension.name, id: nextId++, version: 2, bytes: dimension.bytes }],
  }));
  const snapshot = (): ModelDatabase => ({
    tables: [{ name: model.fact.name, partitioning: 'RANGE', partitions: [...fact] }, ...dimensions],
    views: [...model.views],
  });

  const databases: ModelDatabase[] = [snapshot()];
  const changes: NightChanges[] = [];
  for (let night = 1; night <= model.nights; night += 1) {
    // The day's partition is created and loaded; the oldest leaves the window.
    fact.shift();
    fact.push({
      name: partitionName(model.fact.partitions - 1 + night),
      id: nextId++,
      version: 2,
      bytes: between(model.fact.minBytes, model.fact.maxBytes),
    });
    const newest = fact.length - 1;

    // 1–3 % of the partitions change: 1–2 late updates to old ones, the rest recent (mostly the last few days).
    const changedCount = Math.round(
      model.fact.partitions * between(model.changedShare.min, model.changedShare.max),
    );
    const late = integer(model.lateUpdate.count.min, model.lateUpdate.count.max);
    const touched = new Set<number>();
    while (touched.size < late) {
      touched.add(integer(0, newest - model.lateUpdate.olderThanDays));
    }
    let guard = 0;
    while (touched.size < changedCount && guard++ < 10_000) {
      // Age 0 is yesterday's partition (the new one is loaded, not changed).
      const age = 1 + Math.floor(model.recentDays * next() ** 2);
      touched.add(newest - age);
    }
    for (const index of touched) {
      const partition = fact[index] as ModelPartition;
      fact[index] = {
        ...partition,
        version: partition.version + 1,
        bytes: partition.bytes * (1 + model.growthPerChange),
      };
    }
    let overwritten = 0;
    if (next() < model.overwriteChance) {
      const index = newest - 1 - integer(0, 6);
      const partition = fact[index] as ModelPartition;
      fact[index] = { ...partition, id: nextId++, version: 2 };
      overwritten = 1;
    }

    let dimensionsChanged = 0;
    dimensions = dimensions.map((table, index) => {
      if (next() >= (model.dimensions[index]?.changeChance ?? 0)) return table;
      dimensionsChanged += 1;
      const partition = table.partitions[0] as ModelPartition;
      return { ...table, partitions: [{ ...partition, version: partition.version + 1 }] };
    });

    databases.push(snapshot());
    changes.push({
      added: 1,
      dropped: 1,
      changed: touched.size,
      late,
      overwritten,
      dimensionsChanged,
    });
  }
  return { databases, changes };
}
