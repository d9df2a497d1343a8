import type { FreshnessCheck, IncidentChanges, InventorySource } from './core.ts';

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

function countChanges(changes: IncidentChanges) {
  return { opened: changes.opened.length, resolved: changes.resolved.length, open: changes.open };
}

/** The compact summary of a check. */
export function summarizeCheck(check: FreshnessCheck): FreshnessCheckSummary {
  const late = check.databases
    .filter((database) => database.overdue)
    .map((database) => ({ database: database.database, cause: database.cause ?? 'late' }));
  return {
    cluster: check.cluster,
    evaluatedAt: check.evaluatedAt,
    graceSeconds: check.graceSeconds,
    inventory: check.inventory,
    counts: {
      databases: check.databases.length,
      fresh: check.databases.filter((database) => !database.overdue && database.state === 'fresh').length,
      late: late.length,
      never: check.databases.filter((database) => database.state === 'never').length,
      uncovered: check.coverage.uncovered.length,
    },
    late: late.slice(0, SUMMARY_NAME_LIMIT),
    uncovered: check.coverage.uncovered.slice(0, SUMMARY_NAME_LIMIT),
    incidents: countChanges(check.incidents),
    ...(check.clusterSnapshot === null
      ? {}
      : {
          clusterSnapshot: {
            state: check.clusterSnapshot.state,
            summary: check.clusterSnapshot.summary,
            latest: 'latest' in check.clusterSnapshot ? check.clusterSnapshot.latest : null,
            ageSeconds: 'ageSeconds' in check.clusterSnapshot ? check.clusterSnapshot.ageSeconds : null,
          },
        }),
  };
}
