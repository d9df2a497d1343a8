/** The report's headline figures, from its data. Pure. */
import type { DecodedEntry } from './decode.ts';
import { OUTCOME_CODES, type OutcomeCode, type ReportData } from './model.ts';

/** Outcome counts over (database, slot) pairs, each counted once by its final attempt. */
export type OutcomeCounts = Record<OutcomeCode, number>;

/** What the top of the report says. */
export interface ReportSummary {
  readonly slots: OutcomeCounts;
  /** Every FAILED or TIMED_OUT attempt (a slot retried after a failure counts its failure too). */
  readonly failedAttempts: number;
  readonly databases: number;
  readonly databasesOverObjective: number;
  readonly drills: {
    readonly total: number;
    readonly passed: number;
    /** The longest restore of a passed drill of one full snapshot. */
    readonly longestRestoreSeconds: number | null;
    /**
     * The longest restore of a passed chain drill (a full, then a differential; issue 20, EXPERIMENTAL), kept apart
     * from the fulls' figure: the two are different recovery paths. Null without one.
     */
    readonly longestChainRestoreSeconds: number | null;
  };
  /** Report days with a FAILED, TIMED_OUT, lost or missed slot. */
  readonly troubledDays: number;
}

function emptyCounts(): OutcomeCounts {
  return Object.fromEntries(Object.values(OUTCOME_CODES).map((code) => [code, 0])) as OutcomeCounts;
}

const TROUBLE: ReadonlySet<OutcomeCode> = new Set([
  OUTCOME_CODES.FAILED,
  OUTCOME_CODES.TIMED_OUT,
  OUTCOME_CODES.LOST,
  OUTCOME_CODES.MISSED,
]);

/** The final entry of each (database, slot): entries are ordered by slot, then by when they were recorded. */
export function finalEntries(entries: readonly DecodedEntry[]): DecodedEntry[] {
  const finals: DecodedEntry[] = [];
  entries.forEach((entry, index) => {
    const next = entries[index + 1];
    if (next === undefined || next.slotMs !== entry.slotMs || next.schedule !== entry.schedule)
      finals.push(entry);
  });
  return finals;
}

/** Summarises the report. */
export function summarize(data: ReportData, decoded: readonly DecodedEntry[][]): ReportSummary {
  const slots = emptyCounts();
  let failedAttempts = 0;
  const troubledDays = new Set<number>();
  for (const entries of decoded) {
    for (const entry of entries) {
      if (entry.outcome === OUTCOME_CODES.FAILED || entry.outcome === OUTCOME_CODES.TIMED_OUT)
        failedAttempts += 1;
    }
    for (const entry of finalEntries(entries)) {
      slots[entry.outcome] += 1;
      if (TROUBLE.has(entry.outcome)) troubledDays.add(entry.day);
    }
  }
  const passed = data.drills.filter((drill) => drill.state === 'FINISHED');
  const restoresOf = (chain: boolean) =>
    passed
      .filter((drill) => (drill.pointKind === 'chain') === chain)
      .map((drill) => drill.durationSeconds)
      .filter((value) => value !== null);
  const restores = restoresOf(false);
  const chainRestores = restoresOf(true);
  return {
    slots,
    failedAttempts,
    databases: data.databases.length,
    databasesOverObjective: data.databases.filter((database) => database.freshness.overObjectiveSeconds > 0)
      .length,
    drills: {
      total: data.drills.length,
      passed: passed.length,
      longestRestoreSeconds: restores.length === 0 ? null : Math.max(...restores),
      longestChainRestoreSeconds: chainRestores.length === 0 ? null : Math.max(...chainRestores),
    },
    troubledDays: troubledDays.size,
  };
}
