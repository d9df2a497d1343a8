import { TERMINAL_STATES } from '#domain/workflow/outcomes.ts';
import { z } from '#domain/zod.ts';
import { CATALOG_SCHEMA_VERSION, REASON_MAX_CHARS } from './schema.ts';

const isoUtc = z.iso.datetime();
const name = z.string().min(1).max(1024);

/** Longest list of table names a drill record keeps (the names of empty or missing tables). */
export const DRILL_TABLE_NAMES_MAX = 50;

/**
 * One restore drill (or an on-demand restore check) of one database, as stored in the catalog (kind `drill`):
 * which snapshot was restored into which scratch database, how long the RESTORE took and what the check found.
 * State uses the outcome vocabulary: FINISHED (restored and checked), FAILED, TIMED_OUT, SKIPPED (lock held).
 */
export const DrillRecordSchema = z.object({
  schemaVersion: z.literal(CATALOG_SCHEMA_VERSION),
  kind: z.literal('drill'),
  cluster: name,
  /** The database whose snapshot was restored. */
  database: name,
  /** The snapshot label restored (a chain drill: the differential, the point reached). */
  label: name,
  /**
   * What was restored (issue 20, EXPERIMENTAL): `full` one full snapshot, `chain` the full `fullLabel` and then the
   * differential `label`. Absent on items written before chain drills: a full. Restore times of the two are never
   * mixed (restoreHistorySeconds).
   */
  pointKind: z.enum(['full', 'chain']).optional(),
  /** A chain drill's full. */
  fullLabel: name.optional(),
  /** Why the newest restorable point (a differential) was not drilled as a chain; the full was drilled instead. */
  chainFallback: z.string().max(REASON_MAX_CHARS).optional(),
  repository: name,
  /** StarRocks' snapshot timestamp the RESTORE named, verbatim. */
  snapshotTimestamp: z.string().max(64).nullable(),
  /** The scratch database the snapshot was restored into. */
  scratchDatabase: name,
  /** Execution id of the drill run (or a CLI run id): identifies the drill together with startedAt. */
  runId: name,
  /** When the drill started (our clock), ISO 8601 UTC. */
  startedAt: isoUtc,
  finishedAt: isoUtc.nullable(),
  /** Measured restore time (submit → FINISHED; a chain: first submit → the last RESTORE FINISHED), seconds. */
  durationSeconds: z.number().nonnegative().nullable(),
  state: z.enum(TERMINAL_STATES),
  reason: z.string().max(REASON_MAX_CHARS).nullable(),
  /** Tables found in the scratch database after the restore. */
  tableCount: z.number().int().nonnegative().nullable(),
  /** Tables of the snapshot that were missing or had no rows (at most DRILL_TABLE_NAMES_MAX names). */
  emptyTables: z.array(z.string().max(1024)).max(DRILL_TABLE_NAMES_MAX).default([]),
  /** Total rows counted in the scratch database, when counted. */
  rowCount: z.number().int().nonnegative().nullable(),
  /** Whether the scratch database was dropped afterwards. */
  scratchDropped: z.boolean(),
  recordedAt: isoUtc,
});

/** One drill as stored in the catalog. */
export type DrillRecord = z.infer<typeof DrillRecordSchema>;

/** What a caller records; the catalog adds `schemaVersion`, `kind` and `recordedAt`. */
export type NewDrillRecord = Omit<z.input<typeof DrillRecordSchema>, 'schemaVersion' | 'kind' | 'recordedAt'>;

/** What a drill restored: `full` unless the record says `chain` (items written before chain drills say nothing). */
export function drillPointKind(drill: Pick<DrillRecord, 'pointKind'>): 'full' | 'chain' {
  return drill.pointKind ?? 'full';
}
