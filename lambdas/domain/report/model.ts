/**
 * The data a backup report is drawn from: everything the HTML needs, and nothing else (no secret can be in it:
 * it is built from catalog items, incidents and pauses, and the configuration's names and schedules).
 *
 * It is compact on purpose, since a year of 500 databases is 182,500 cells and the file must stay small: per
 * database, one entry per backup attempt (or derived paused / missed slot), stored as columns. Numbers are
 * delta-encoded base-36 lists (see columns.ts), outcomes one character each, the rare fields (reasons, hints,
 * runs, exceptional labels) sparse and deduplicated through `strings`. Labels are not stored: the page rebuilds
 * them from their parts (schedule, database, slot and the hash of the four), and stores only those that differ.
 */

/** Bumped when the shape changes incompatibly (the page refuses data of another version). */
export const REPORT_DATA_VERSION = 1;

/**
 * One character per entry. `F` FINISHED with a verified snapshot, `U` FINISHED but not confirmed by SHOW SNAPSHOT,
 * `X` FAILED, `T` TIMED_OUT, `S` SKIPPED, `L` lost (FINISHED, later gone from the repository), `P` paused and `M`
 * missed (no attempt recorded for an expected slot; derived, see slots.ts).
 */
export const OUTCOME_CODES = {
  FINISHED: 'F',
  UNVERIFIED: 'U',
  FAILED: 'X',
  TIMED_OUT: 'T',
  SKIPPED: 'S',
  LOST: 'L',
  PAUSED: 'P',
  MISSED: 'M',
} as const;

/** An outcome character. */
export type OutcomeCode = (typeof OUTCOME_CODES)[keyof typeof OUTCOME_CODES];

/** A schedule as the report shows it. */
export interface ReportSchedule {
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly enabled: boolean;
}

/** One night (one slot) of a cluster: when its jobs ran, relative to the slot. */
export type ReportWindow = readonly [
  slotIndex: number,
  /** Seconds from the slot to the first job's start. */
  firstStart: number,
  /** Seconds from the slot to the last job's end. */
  lastEnd: number,
  /** Most jobs running at once. */
  peak: number,
  jobs: number,
];

/** A cluster of the report. */
export interface ReportCluster {
  readonly name: string;
  readonly maxConcurrentBackups: number;
  /** After a slot, this long passes before a missing backup counts (the freshness grace). */
  readonly graceSeconds: number;
  readonly schedules: readonly ReportSchedule[];
  /** Every slot of the period this cluster had or expected a backup for: epoch minutes (delta column). */
  readonly slots: string;
  /** The report day of each slot (delta column, days from the period's first day). */
  readonly slotDays: string;
  /** Per slot that ran jobs: the backup window. */
  readonly windows: readonly ReportWindow[];
  /** The retention policy in words, or null without one. */
  readonly retention: string | null;
}

/** Per-database facts about the recovery point over the period (see freshness-series.ts). */
export interface ReportFreshness {
  /** The objective: the age at which the freshness check calls the database late; null when nothing selects it. */
  readonly objectiveSeconds: number | null;
  /** The newest verified snapshot before the period: [takenAt, availableAt] in epoch seconds, or null. */
  readonly seed: readonly [takenAt: number, availableAt: number] | null;
  /** Largest age of the newest verified snapshot during the period (seconds), null without any snapshot. */
  readonly worstAgeSeconds: number | null;
  /** How long, in total, the age was above the objective (seconds). */
  readonly overObjectiveSeconds: number;
  /** The age at the end of the period, null without any snapshot. */
  readonly currentAgeSeconds: number | null;
  /** Report days on which the age went above the objective (delta column). */
  readonly overDays: string;
}

/** One database (a row of the heat map) and its entries, as columns of equal length `n`. */
export interface ReportDatabase {
  /** Index into `clusters`. */
  readonly cluster: number;
  readonly name: string;
  readonly n: number;
  /** Slot of each entry: index into its cluster's slots (delta column). */
  readonly k: string;
  /** Outcome of each entry, one OutcomeCode character each. */
  readonly o: string;
  /** Schedule of each entry: index into the cluster's schedules, one base-36 character each ('' when all 0). */
  readonly h: string;
  /** Seconds from the slot to the start (delta column; empty = not started). */
  readonly s: string;
  /** Duration in seconds (delta column; empty = none). */
  readonly d: string;
  /** Size in units of `sizeUnit` bytes (delta column; empty = none). */
  readonly z: string;
  /** Bytes per size unit (a power of two, so sizes keep about five significant digits). */
  readonly sizeUnit: number;
  /** Sparse: [entry, index into strings] of the reason (StarRocks' status, the pause's reason, …). */
  readonly reasons: readonly (readonly [number, number])[];
  /** Sparse: [entry, index into strings] of the hint of a FAILED or TIMED_OUT entry. */
  readonly hints: readonly (readonly [number, number])[];
  /** Sparse: [entry, index into strings] of the run (execution id) of a FAILED or TIMED_OUT entry. */
  readonly runs: readonly (readonly [number, number])[];
  /** Sparse: [entry, label] where the label is not the one rebuilt from its parts (an attempt suffix, …). */
  readonly labels: readonly (readonly [number, string])[];
  /** Sparse: [entry, 'drop' | 'growth', usual size in units] for sizes far from the database's usual size. */
  readonly anomalies: readonly (readonly [number, 'drop' | 'growth', number])[];
  /** Sparse: entries whose snapshot is pinned. */
  readonly pinned: readonly number[];
  readonly freshness: ReportFreshness;
}

/** One restore drill of the period. */
export interface ReportDrill {
  readonly cluster: number;
  readonly database: string;
  readonly label: string;
  /** Epoch seconds. */
  readonly startedAt: number;
  readonly durationSeconds: number | null;
  readonly state: 'FINISHED' | 'FAILED' | 'TIMED_OUT' | 'SKIPPED';
  readonly reason: string | null;
  readonly tableCount: number | null;
  readonly rowCount: number | null;
  readonly scratchDropped: boolean;
  /**
   * `chain`: a differential restored on top of its full `fullLabel` (issue 20, EXPERIMENTAL); absent: one full. A
   * chain's restore time is never compared with a full's (summary.ts, digest.ts).
   */
  readonly pointKind?: 'chain';
  readonly fullLabel?: string;
}

/** A database nobody decided about: no schedule covers it. */
export interface ReportUncovered {
  readonly cluster: string;
  readonly database: string;
  /** `freshness check`: an open drift incident (the FE has it, no schedule selects it); `configuration`: backed
   * up in the period, but no schedule of the current configuration selects it any more. */
  readonly source: 'freshness check' | 'configuration';
  /** When it was first reported (ISO), or null. */
  readonly since: string | null;
}

/** A pinned snapshot. */
export interface ReportPinned {
  readonly cluster: string;
  readonly database: string;
  readonly label: string;
  readonly scheduledTime: string;
  readonly sizeBytes: number | null;
}

/** A snapshot retention removes at its next prune. */
export interface ReportRemoval {
  readonly cluster: string;
  readonly database: string;
  readonly label: string;
  readonly scheduledTime: string;
  readonly reasons: readonly string[];
}

/** Coverage: what no schedule covers, what is pinned, what retention removes next. */
export interface ReportCoverage {
  readonly uncovered: readonly ReportUncovered[];
  readonly pinned: readonly ReportPinned[];
  readonly removals: readonly ReportRemoval[];
  /** Clusters without a retention policy (nothing is ever removed there). */
  readonly withoutRetention: readonly string[];
}

/** The whole report. */
export interface ReportData {
  readonly version: typeof REPORT_DATA_VERSION;
  readonly title: string;
  /** ISO 8601 UTC. */
  readonly generatedAt: string;
  /** The IANA zone the days are cut in. */
  readonly timeZone: string;
  /** [from, to) as ISO 8601 UTC; `firstDay` is the first report day (YYYY-MM-DD in `timeZone`). */
  readonly period: {
    readonly from: string;
    readonly to: string;
    readonly firstDay: string;
    readonly days: number;
  };
  readonly clusters: readonly ReportCluster[];
  /** By cluster, then name. */
  readonly databases: readonly ReportDatabase[];
  /** Deduplicated texts the sparse fields point into. */
  readonly strings: readonly string[];
  readonly drills: readonly ReportDrill[];
  readonly coverage: ReportCoverage;
  /** How the report was derived, in sentences (paused and missed slots, objectives, what was not read). */
  readonly notes: readonly string[];
}
