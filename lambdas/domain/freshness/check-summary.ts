/**
 * What the CheckFreshness Task answers: the contract between the Task, the FreshnessCheck machine and the local
 * CLI (`sr-backup status --notify`) that prints it.
 */

/** What the FE said, or why it said nothing. */
export type InventorySource =
  | { readonly source: 'fe' }
  | { readonly source: 'catalog'; readonly error: string };

/** Names listed in the summary at most (the rest are counted): it travels as a Lambda destination payload. */
export const SUMMARY_NAME_LIMIT = 100;

/**
 * The checker's answer, kept small (it is Step Functions state, at most 256 KB): counts, and the late and
 * uncovered databases by name (capped).
 */
export interface FreshnessCheckSummary {
  readonly cluster: string;
  readonly evaluatedAt: string;
  readonly graceSeconds: number;
  readonly inventory: InventorySource;
  readonly counts: {
    readonly databases: number;
    readonly fresh: number;
    readonly late: number;
    readonly never: number;
    readonly uncovered: number;
  };
  /** Late databases and why (at most SUMMARY_NAME_LIMIT). */
  readonly late: readonly { readonly database: string; readonly cause: string }[];
  /** Uncovered databases by name (at most SUMMARY_NAME_LIMIT). */
  readonly uncovered: readonly string[];
  readonly incidents: { readonly opened: number; readonly resolved: number; readonly open: number };
  /** A shared-data cluster's automated Cluster Snapshots (absent for shared-nothing clusters). */
  readonly clusterSnapshot?: {
    readonly state: string;
    readonly summary: string;
    readonly latest: { readonly name: string; readonly createdAt: string } | null;
    readonly ageSeconds: number | null;
  };
}
