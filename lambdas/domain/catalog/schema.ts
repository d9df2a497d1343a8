import { TERMINAL_STATES } from '#domain/workflow/outcomes.ts';
import { z } from '#domain/zod.ts';

/**
 * Version of the catalog item shape; bump it (and teach readers) when the shape changes incompatibly. Optional fields
 * added since (`objects`, `omitted`, `lostAt`, `mode`, `baseLabel`) are compatible both ways: an item without them
 * reads as before, and a reader that does not know them strips them (`z.object`), so they kept version 1.
 */
export const CATALOG_SCHEMA_VERSION = 1;

/** How a snapshot was taken (issue 20): the whole database, or the partitions changed since its chain's full. */
export const BACKUP_MODES = ['full', 'differential'] as const;
export type BackupMode = (typeof BACKUP_MODES)[number];

/** Longest `reason` kept (characters); longer texts (StarRocks status dumps, stack-like messages) are cut. */
export const REASON_MAX_CHARS = 2048;

const isoUtc = z.iso.datetime();
const name = z.string().min(1).max(1024);

/**
 * One backup attempt of one database, as stored in the catalog (kind `backup`; restore drills will add
 * their own kind to the same table). Every field is bounded, so an item stays a few KB at most.
 */
export const BackupAttemptSchema = z.object({
  schemaVersion: z.literal(CATALOG_SCHEMA_VERSION),
  kind: z.literal('backup'),
  cluster: name,
  database: name,
  label: name,
  repository: name,
  schedule: name,
  /** The slot's scheduled time, ISO 8601 UTC (normalised to `toISOString()` form). */
  scheduledTime: isoUtc,
  /** Execution id of the nightly run (or of the manual start) this attempt belongs to. */
  runId: name,
  /** Execution id of the per-database execution. */
  executionId: name,
  /** Attempt number of this database in this slot (the child execution's attempt). */
  attempt: z.number().int().min(0).max(9999),
  state: z.enum(TERMINAL_STATES),
  reason: z.string().max(REASON_MAX_CHARS).nullable(),
  startedAt: isoUtc.nullable(),
  finishedAt: isoUtc.nullable(),
  durationSeconds: z.number().nonnegative().nullable(),
  /** StarRocks' snapshot timestamp, verbatim (RESTORE needs it exactly). */
  snapshotTimestamp: z.string().max(64).nullable(),
  /** SHOW SNAPSHOT listed the label with status OK. */
  verified: z.boolean(),
  sizeBytes: z.number().int().nonnegative().nullable(),
  tableCount: z.number().int().nonnegative().nullable(),
  starRocksJobId: z.string().max(64).nullable(),
  recordedAt: isoUtc,
  /**
   * The kinds of object the snapshot holds (TABLE, MATERIALIZED_VIEW, VIEW, FUNCTION), so a restore knows what to
   * expect; absent on items written before it was recorded, and on adopted snapshots.
   */
  objects: z.array(z.string().min(1).max(32)).max(8).optional(),
  /** Objects the backup left out and why (at most 20 by name; `omittedTotal` counts all). */
  omitted: z
    .array(
      z.object({
        name: z.string().min(1).max(1024),
        kind: z.string().min(1).max(32),
        why: z.string().min(1).max(64),
        detail: z.string().max(500).optional(),
      }),
    )
    .max(20)
    .optional(),
  omittedTotal: z.number().int().nonnegative().optional(),
  /** Retention keeps pinned snapshots. */
  pinned: z.boolean().optional(),
  /** When retention dropped the snapshot from the repository. */
  prunedAt: isoUtc.optional(),
  /**
   * When a later attempt of the same slot found the snapshot gone from the repository (SHOW SNAPSHOT no longer
   * lists it): the item stays as recorded, but nothing can be restored from it.
   */
  lostAt: isoUtc.optional(),
  /**
   * Only on the latest-good pointer: a differential schedule's run found the database unchanged since this snapshot
   * at that later slot, so the snapshot holds that slot's data too (freshness counts it as covered).
   */
  unchangedThrough: isoUtc.optional(),
  /**
   * How the snapshot was taken (issue 20). Absent = `full`: every item written before differentials existed is a
   * full. Independent of StarRocks' backupType (always FULL here).
   */
  mode: z.enum(BACKUP_MODES).optional(),
  /** The label of the full a differential was taken against (same database); only on a differential. */
  baseLabel: name.optional(),
});

/** One backup attempt as stored in the catalog. */
export type BackupAttempt = z.infer<typeof BackupAttemptSchema>;

/** What a caller records; the catalog adds `schemaVersion`, `kind` and `recordedAt`. */
export type NewBackupAttempt = Omit<
  BackupAttempt,
  'schemaVersion' | 'kind' | 'recordedAt' | 'pinned' | 'prunedAt' | 'lostAt' | 'unchangedThrough'
>;

/** The mode of an attempt item: `full` when the item does not say (written before modes existed). */
export function backupModeOf(attempt: Pick<BackupAttempt, 'mode'>): BackupMode {
  return attempt.mode ?? 'full';
}

/** Cuts a reason text to REASON_MAX_CHARS, marking the cut. */
export function truncateReason(reason: string | null): string | null {
  if (reason === null || reason.length <= REASON_MAX_CHARS) return reason;
  return `${reason.slice(0, REASON_MAX_CHARS - 1)}…`;
}

/**
 * A snapshot RESTORE may rely on: StarRocks finished it, SHOW SNAPSHOT confirmed it, and no later look found it gone.
 */
export function isGoodSnapshot(attempt: Pick<BackupAttempt, 'state' | 'verified' | 'lostAt'>): boolean {
  return attempt.state === 'FINISHED' && attempt.verified && attempt.lostAt === undefined;
}

/**
 * Precedence of terminal states for the same attempt: a write only replaces a stored state of lower rank.
 * FINISHED is a proven fact (SHOW SNAPSHOT saw it) and beats an earlier failure verdict; a failure never
 * overwrites a success; equal ranks keep the first write.
 */
export function stateRank(state: BackupAttempt['state']): number {
  switch (state) {
    case 'SKIPPED':
      return 0;
    case 'FAILED':
    case 'TIMED_OUT':
      return 1;
    case 'FINISHED':
      return 2;
  }
}
