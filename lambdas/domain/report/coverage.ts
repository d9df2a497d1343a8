/** Coverage: databases no schedule covers, pinned snapshots, and what retention removes next. Pure. */
import type { BackupAttempt } from '#domain/catalog/index.ts';
import { effectiveDatabaseFilters, selectDatabases } from '#domain/config/index.ts';
import type { Incident } from '#domain/incidents/schema.ts';
import { planRetention, type RetentionSettings } from '#domain/prune/retention-policy.ts';
import type { ReportPinned, ReportRemoval, ReportUncovered } from './model.ts';
import type { SlotCluster } from './slots.ts';

/**
 * Covered: a schedule's patterns select it (enabled or not: disabling a schedule is a decision); excluded on
 * purpose: an exclude pattern names it. Neither is drift (docs/trust.md, "Coverage drift").
 */
function decidedAbout(config: SlotCluster, database: string): boolean {
  return config.schedules.some((schedule) => {
    const selection = selectDatabases([database], effectiveDatabaseFilters(config, schedule));
    return selection.selected.length > 0 || selection.excluded[0]?.reason === 'excluded-by-pattern';
  });
}

/** Databases no schedule covers: open drift incidents, and databases of the period the configuration no longer selects. */
export function uncoveredDatabases(request: {
  readonly cluster: string;
  readonly config: SlotCluster;
  readonly incidents: readonly Incident[];
  /** The databases the catalog holds attempts of in the period. */
  readonly catalogDatabases: readonly string[];
}): ReportUncovered[] {
  const drift: ReportUncovered[] = request.incidents
    .filter((incident) => incident.type === 'drift' && incident.status === 'open')
    .map((incident) => ({
      cluster: request.cluster,
      database: incident.database,
      source: 'freshness check',
      since: incident.openedAt,
    }));
  // A cluster without schedules has no drift: nobody is backed up there, by decision.
  if (request.config.schedules.length === 0) return drift;
  const named = new Set(drift.map((entry) => entry.database));
  const deselected: ReportUncovered[] = request.catalogDatabases
    .filter((database) => !named.has(database))
    .filter((database) => !decidedAbout(request.config, database))
    .map((database) => ({ cluster: request.cluster, database, source: 'configuration', since: null }));
  return [...drift, ...deselected].sort((a, b) => a.database.localeCompare(b.database));
}

/** The pinned snapshots of one database (one entry per label, newest first). */
export function pinnedSnapshots(cluster: string, attempts: readonly BackupAttempt[]): ReportPinned[] {
  const byLabel = new Map<string, ReportPinned>();
  for (const attempt of attempts) {
    if (attempt.pinned !== true || attempt.prunedAt !== undefined) continue;
    const known = byLabel.get(attempt.label);
    if (known && known.scheduledTime >= attempt.scheduledTime) continue;
    byLabel.set(attempt.label, {
      cluster,
      database: attempt.database,
      label: attempt.label,
      scheduledTime: attempt.scheduledTime,
      sizeBytes: attempt.sizeBytes,
    });
  }
  return [...byLabel.values()].sort((a, b) => b.scheduledTime.localeCompare(a.scheduledTime));
}

/** Why retention removes a snapshot, in words. */
function removalReason(reason: string, retention: RetentionSettings): string {
  if (reason === 'older-than-max-age') return `older than ${retention.maxAgeDays} d`;
  if (reason === 'beyond-keep-last') return `not among the newest ${retention.keepLast}`;
  return reason;
}

/**
 * What retention removes from one database at its next prune, as `sr-backup prune` would plan it now (restores
 * and drills holding a snapshot are not known here, so none counts as in use).
 */
export function nextRemovals(request: {
  readonly cluster: string;
  readonly retention: RetentionSettings;
  readonly attempts: readonly BackupAttempt[];
  readonly nowMs: number;
}): ReportRemoval[] {
  return planRetention({
    attempts: request.attempts,
    policy: request.retention,
    now: request.nowMs,
    inUse: new Set(),
  }).flatMap((decision) =>
    decision.action === 'remove'
      ? [
          {
            cluster: request.cluster,
            database: decision.database,
            label: decision.label,
            scheduledTime: decision.scheduledTime,
            reasons: decision.reasons.map((reason) => removalReason(reason, request.retention)),
          },
        ]
      : [],
  );
}

/** The retention policy in words. */
export function describeRetention(retention: RetentionSettings | undefined): string | null {
  if (retention === undefined) return null;
  const parts = [`keep the newest ${retention.keepLast}`];
  if (retention.daily) parts.push(`${retention.daily} daily`);
  if (retention.weekly) parts.push(`${retention.weekly} weekly`);
  if (retention.monthly) parts.push(`${retention.monthly} monthly`);
  if (retention.maxAgeDays !== undefined) parts.push(`everything younger than ${retention.maxAgeDays} d`);
  return parts.join(', ');
}
