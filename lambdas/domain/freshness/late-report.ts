/** What an incident about one late database says: one summary sentence and the facts, for its Slack alert. */

import { formatDuration, formatUtc } from '#domain/time-format.ts';
import type { DatabaseFreshness } from './index.ts';

/** Why a database counts as late. */
export type LateCause = 'missed' | 'failed' | 'skipped' | 'stuck' | 'paused' | 'never';

/** One database as the checker judged it: the freshness verdict plus whether it is overdue, and why. */
export interface DatabaseCheck extends DatabaseFreshness {
  /**
   * True when the database counts as late and is alerted: late, never backed up although a slot since it first
   * appeared has passed its grace, or held by a stuck run.
   */
  readonly overdue: boolean;
  readonly cause: LateCause | null;
  /** The evidence behind the cause (StarRocks' status text, the lock holder, the pause's reason). */
  readonly causeDetail: string | null;
}

function utc(iso: string | null): string {
  return iso === null ? '—' : formatUtc(Date.parse(iso));
}

function causeSentence(cause: LateCause | null, detail: string | null): string {
  const evidence = detail?.trim().replace(/\.$/, '') ?? 'no detail recorded';
  switch (cause) {
    case 'missed':
      return 'No backup of that slot was recorded: check that the schedule fired (NightlyBackup executions, the schedules’ dead-letter queue) and that the run reached this database.';
    case 'failed':
      return `The backup of that slot failed (${evidence}).`;
    case 'skipped':
      return `The backup of that slot was skipped (${evidence}).`;
    case 'stuck':
      return `A run is stuck: ${evidence}.`;
    case 'paused':
      return `${evidence}.`;
    case 'never':
      return 'It has never been backed up.';
    case null:
      return '';
  }
}

/** The summary of a late database: since when, how old its latest good snapshot is, and why. */
export function lateSummary(check: DatabaseCheck): string {
  const sentences = [
    check.expectedSlot === null
      ? `No good snapshot of ${check.database}.`
      : `No good snapshot of ${check.database} since the ${check.expectedSchedule ?? ''} slot of ${utc(check.expectedSlot)} (due by ${utc(check.expectedBy)}).`,
  ];
  if (check.snapshot !== null) {
    sentences.push(`The latest good snapshot is ${formatDuration(check.ageSeconds ?? 0)} old.`);
  }
  sentences.push(causeSentence(check.cause, check.causeDetail));
  return sentences
    .filter((sentence) => sentence !== '')
    .join(' ')
    .replaceAll(/\s+/g, ' ');
}

/** The labelled facts of a late database. */
export function lateFields(cluster: string, check: DatabaseCheck): Array<[string, string]> {
  const fields: Array<[string, string]> = [
    ['Cluster', cluster],
    ['Database', check.database],
    ['Latest good snapshot', check.snapshot ?? 'none'],
    [
      'Taken',
      check.takenAt === null ? '—' : `${utc(check.takenAt)} (${formatDuration(check.ageSeconds ?? 0)} ago)`,
    ],
    [
      'Expected slot',
      check.expectedSlot === null ? '—' : `${utc(check.expectedSlot)} (${check.expectedSchedule ?? '?'})`,
    ],
    ['Late by', check.lateBySeconds === null ? '—' : formatDuration(check.lateBySeconds)],
    ['Cause', check.cause ?? 'late'],
  ];
  return fields;
}
