import { type FreshnessCheckSummary, SUMMARY_NAME_LIMIT } from '#domain/freshness/check-summary.ts';
import type { FreshnessCheck, IncidentChanges } from './core.ts';

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
