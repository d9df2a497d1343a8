/**
 * Deterministic snapshot labels and Step Functions child execution names (design: "Deterministic label",
 * "Child execution names").
 *
 * Label: `<schedule>_<database>_<yyyyMMddTHHmmZ>_<hash12>[_a<attempt>]`, e.g. `nightly_sales_20261124T1800Z_3f9a1c0b2d4e`.
 * - The name parts are the schedule and database names reduced to `[A-Za-z0-9_]` (readable, not unique).
 * - The time is the scheduled time of the slot in UTC, to the minute.
 * - The hash is the first 12 hex characters of SHA-256 over a JSON array `[cluster, schedule, database, slot]`,
 *   so two different tuples get different hashes however their names sanitise (JSON keeps the fields apart).
 *   48 bits are plenty: the hash only has to separate tuples whose visible parts already coincide (same sanitised
 *   schedule and database, same minute), a handful at most; for k such tuples the chance of a clash is about
 *   k² / 2⁴⁹ (10⁻¹¹ for k = 100). It also keeps labels of clusters that share a repository apart.
 * - Attempt 1 has no suffix; attempt n ≥ 2 appends `_a<n>` (a leftover failed `__ss_<label>` forces a new attempt).
 * - Always matches `^[A-Za-z][A-Za-z0-9_]{0,127}$`: the name parts are truncated, never the time, hash or suffix.
 */
import { createHash } from 'node:crypto';

/** The slot a backup belongs to: one database of one schedule of one cluster at one scheduled time. */
export interface BackupSlot {
  readonly cluster: string;
  readonly schedule: string;
  readonly database: string;
  /** The time EventBridge Scheduler scheduled the run for (not the time it actually fired). */
  readonly scheduledTime: Date;
  /** 1 for the first attempt; n ≥ 2 when an earlier attempt left something behind. Defaults to 1. */
  readonly attempt?: number;
}

/** The pattern every label matches. */
export const SNAPSHOT_LABEL_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;

const LABEL_MAX_LENGTH = 128;
const LABEL_HASH_HEX_CHARS = 12;
const EXECUTION_NAME_MAX_LENGTH = 80;
const EXECUTION_HASH_HEX_CHARS = 20;
const EXECUTION_DATABASE_MAX_CHARS = 36;
const MAX_ATTEMPT = 9999;

function checkedAttempt(attempt: number | undefined): number {
  const value = attempt ?? 1;
  if (!Number.isInteger(value) || value < 1 || value > MAX_ATTEMPT) {
    throw new RangeError(`attempt must be an integer from 1 to ${MAX_ATTEMPT}, got ${String(attempt)}`);
  }
  return value;
}

function checkedTime(scheduledTime: Date): Date {
  if (!(scheduledTime instanceof Date) || Number.isNaN(scheduledTime.getTime())) {
    throw new RangeError('scheduledTime must be a valid Date');
  }
  return scheduledTime;
}

/** `2026-11-24T18:00:27Z` → `20261124T1800Z` (UTC, to the minute). */
export function formatSlotTimeUtc(scheduledTime: Date): string {
  const iso = checkedTime(scheduledTime).toISOString(); // yyyy-MM-ddTHH:mm:ss.sssZ, always UTC
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

/**
 * Hex SHA-256 of the slot tuple. JSON encoding of an array keeps the fields unambiguous
 * (`["a_b","c"]` and `["a","b_c"]` differ), unlike joining sanitised names.
 */
function slotDigest(slot: BackupSlot): string {
  const encoded = JSON.stringify([
    slot.cluster,
    slot.schedule,
    slot.database,
    checkedTime(slot.scheduledTime).toISOString(),
  ]);
  return createHash('sha256').update(encoded, 'utf8').digest('hex');
}

/** Reduces a name to `[A-Za-z0-9_]`: accents dropped, other runs of characters become one `_`, no edge `_`. */
export function sanitiseNamePart(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function truncateParts(schedule: string, database: string, budget: number): [string, string] {
  if (schedule.length + database.length <= budget) {
    return [schedule, database];
  }
  // The database is the more telling part: the schedule keeps at most half of the budget.
  const scheduleLength = Math.min(schedule.length, Math.floor(budget / 2));
  const databaseLength = Math.min(database.length, budget - scheduleLength);
  const trimmedSchedule = schedule.slice(0, budget - databaseLength).replace(/_+$/, '');
  const trimmedDatabase = database.slice(0, databaseLength).replace(/_+$/, '');
  return [trimmedSchedule, trimmedDatabase];
}

/**
 * Builds the snapshot label of a slot (see the module comment for the format and its guarantees).
 * The same slot and attempt always give the same label.
 */
export function buildSnapshotLabel(slot: BackupSlot): string {
  const attempt = checkedAttempt(slot.attempt);
  const time = formatSlotTimeUtc(slot.scheduledTime);
  const hash = slotDigest(slot).slice(0, LABEL_HASH_HEX_CHARS);
  const suffix = attempt >= 2 ? `_a${attempt}` : '';

  let schedulePart = sanitiseNamePart(slot.schedule) || 'schedule';
  if (!/^[A-Za-z]/.test(schedulePart)) {
    schedulePart = `s${schedulePart}`;
  }
  const databasePart = sanitiseNamePart(slot.database) || 'db';
  const fixedLength = `__${time}_${hash}${suffix}`.length; // the two separators around the name parts
  const [schedule, database] = truncateParts(schedulePart, databasePart, LABEL_MAX_LENGTH - fixedLength);
  return `${schedule}_${database}_${time}_${hash}${suffix}`;
}

/**
 * The name of a slot's child execution: `<database>_<yyyyMMddTHHmmZ>_<hash20>_a<attempt>`, at most 80 characters
 * of `[A-Za-z0-9_-]`. The database part is only for people reading the console; the 80-bit hash of
 * (cluster, schedule, database, slot) makes the name unique, and the attempt number lets a caller step past a name
 * Step Functions still reserves (ExecutionAlreadyExists for 90 days after it closed).
 */
export function executionNameFor(slot: BackupSlot): string {
  const attempt = checkedAttempt(slot.attempt);
  const time = formatSlotTimeUtc(slot.scheduledTime);
  const hash = slotDigest(slot).slice(0, EXECUTION_HASH_HEX_CHARS);
  const database = (sanitiseNamePart(slot.database) || 'db')
    .slice(0, EXECUTION_DATABASE_MAX_CHARS)
    .replace(/_+$/, '');
  const name = `${database}_${time}_${hash}_a${attempt}`;
  // 36 + 1 + 14 + 1 + 20 + 2 + 4 = 78: the bound holds by construction; the check documents it.
  if (name.length > EXECUTION_NAME_MAX_LENGTH) {
    throw new RangeError(`execution name longer than ${EXECUTION_NAME_MAX_LENGTH} characters: ${name}`);
  }
  return name;
}

/** How many labels one slot may try (each leftover `__ss_<label>` of an interrupted upload costs one). */
export const MAX_LABEL_ATTEMPTS = 5;

/** Every label one slot may use, attempt 1 first: a job carrying one of them belongs to the slot. */
export function slotLabels(slot: Omit<BackupSlot, 'attempt'>): string[] {
  return Array.from({ length: MAX_LABEL_ATTEMPTS }, (_, index) =>
    buildSnapshotLabel({ ...slot, attempt: index + 1 }),
  );
}

const LABEL_TAIL = /_(\d{8}T\d{4}Z)_([0-9a-f]{12})(?:_a\d{1,4})?$/;

/**
 * The database part of a label built by {@link buildSnapshotLabel} for one of `schedules`: the text between the
 * schedule's part and the slot time. It is the database's name when that name is already `[A-Za-z0-9_]` and short
 * enough not to be cut (the common case); callers confirm it against the catalog. Undefined when the label is not
 * one of ours.
 */
export function databasePartOfLabel(label: string, schedules: readonly string[]): string | undefined {
  const tail = LABEL_TAIL.exec(label);
  if (tail === null) return undefined;
  const head = label.slice(0, tail.index);
  const parts = schedules
    .map((schedule) => {
      const part = sanitiseNamePart(schedule) || 'schedule';
      return /^[A-Za-z]/.test(part) ? part : `s${part}`;
    })
    // The longest schedule part first: `nightly_eu` must win over `nightly` for `nightly_eu_sales_…`.
    .sort((a, b) => b.length - a.length);
  const schedulePart = parts.find((part) => head.startsWith(`${part}_`) && head.length > part.length + 1);
  return schedulePart === undefined ? undefined : head.slice(schedulePart.length + 1);
}
