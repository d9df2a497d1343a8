/** Reads the compact report data back into entries (the static parts of the page are rendered from them). */
import { decodeColumn } from './columns.ts';
import type { OutcomeCode, ReportCluster, ReportData, ReportDatabase } from './model.ts';

/** One entry of a database, decoded. */
export interface DecodedEntry {
  /** Index into `data.databases`. */
  readonly database: number;
  /** Index within the database's entries. */
  readonly index: number;
  readonly slotMs: number;
  readonly day: number;
  readonly outcome: OutcomeCode;
  /** Index into the cluster's schedules. */
  readonly schedule: number;
  readonly startSeconds: number | null;
  readonly durationSeconds: number | null;
  readonly sizeBytes: number | null;
}

/** A cluster's slots: epoch ms and report day of each. */
export interface DecodedSlots {
  readonly slotMs: readonly number[];
  readonly day: readonly number[];
}

/** Decodes a cluster's slot table. */
export function decodeSlots(cluster: ReportCluster): DecodedSlots {
  const minutes = cluster.slots === '' ? [] : decodeColumn(cluster.slots, cluster.slots.split(',').length);
  const days = decodeColumn(cluster.slotDays, minutes.length);
  return {
    slotMs: minutes.map((minute) => (minute ?? 0) * 60_000),
    day: days.map((day) => day ?? 0),
  };
}

/** Decodes one database's entries. */
export function decodeEntries(
  database: ReportDatabase,
  databaseIndex: number,
  slots: DecodedSlots,
): DecodedEntry[] {
  const k = decodeColumn(database.k, database.n);
  const s = decodeColumn(database.s, database.n);
  const d = decodeColumn(database.d, database.n);
  const z = decodeColumn(database.z, database.n);
  return k.map((slot, index) => ({
    database: databaseIndex,
    index,
    slotMs: slots.slotMs[slot ?? 0] ?? 0,
    day: slots.day[slot ?? 0] ?? 0,
    outcome: database.o[index] as OutcomeCode,
    schedule: database.h === '' ? 0 : Number.parseInt(database.h[index] ?? '0', 36),
    startSeconds: s[index] ?? null,
    durationSeconds: d[index] ?? null,
    sizeBytes: z[index] === null || z[index] === undefined ? null : (z[index] as number) * database.sizeUnit,
  }));
}

/** Every database's entries, decoded. */
export function decodeAll(data: ReportData): DecodedEntry[][] {
  const slots = data.clusters.map(decodeSlots);
  return data.databases.map((database, index) =>
    decodeEntries(database, index, slots[database.cluster] ?? { slotMs: [], day: [] }),
  );
}
