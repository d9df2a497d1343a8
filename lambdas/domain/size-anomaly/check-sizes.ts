/**
 * Size anomalies of one run: for each database the run backed up (FINISHED and verified, with its SHOW DATA size),
 * the size against the median of its earlier FINISHED backups; a drop or a growth beyond the cluster's thresholds
 * raises one warning per snapshot. It never changes the backup's outcome and never throws.
 */
import type { BackupAttempt, CatalogStore } from '#domain/catalog/index.ts';
import { isGoodSnapshot } from '#domain/catalog/index.ts';
import type { IncidentStore } from '#domain/incidents/incident-store.ts';
import type { AppLogger } from '#domain/logger.ts';
import type { AlertDetails } from '#domain/notify/alert-message.ts';
import { boundedList, SLACK_LIMITS } from '#domain/notify/slack-message.ts';
import type { SlackNotifier } from '#domain/notify/slack-notifier.ts';
import { historyWindow, judgeSize, type SizeThresholds, type SizeVerdict } from './judge.ts';

/** How many of the newest attempts are read at most to find the earlier sizes. */
export const SIZE_HISTORY_LOOKBACK = 200;

/** What the check needs. */
export interface SizeCheckDeps {
  readonly catalog: Pick<CatalogStore, 'listSnapshots'>;
  /** Remembers which snapshots were warned about, so a retried or re-run summary warns once. */
  readonly once: Pick<IncidentStore, 'claimOnce'>;
  readonly slack: Pick<SlackNotifier, 'postAlert'>;
  readonly logger: AppLogger;
}

/** One anomaly found (and warned about, unless it was warned about before). */
export interface SizeAnomaly {
  readonly database: string;
  readonly label: string;
  readonly kind: 'drop' | 'growth';
  readonly sizeBytes: number;
  readonly medianBytes: number;
  readonly ratio: number;
  /** False when an earlier summary of the same snapshot already warned. */
  readonly warned: boolean;
  readonly delivered: boolean;
}

/** The earlier FINISHED sizes of the database, newest first (slots before the attempt's, other labels). */
export async function earlierSizes(
  catalog: Pick<CatalogStore, 'listSnapshots'>,
  attempt: Pick<BackupAttempt, 'cluster' | 'database' | 'label' | 'scheduledTime'>,
  limit: number,
): Promise<number[]> {
  const sizes: number[] = [];
  let examined = 0;
  let cursor: string | null = null;
  do {
    const page = await catalog.listSnapshots({
      cluster: attempt.cluster,
      database: attempt.database,
      limit: 50,
      cursor,
    });
    for (const item of page.items) {
      examined += 1;
      if (
        item.state === 'FINISHED' &&
        item.sizeBytes !== null &&
        item.label !== attempt.label &&
        item.scheduledTime < attempt.scheduledTime
      ) {
        sizes.push(item.sizeBytes);
      }
    }
    cursor = page.nextCursor;
  } while (cursor !== null && sizes.length < limit && examined < SIZE_HISTORY_LOOKBACK);
  return sizes.slice(0, limit);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

/** The warning about one anomalous snapshot. */
export function sizeAnomalyAlert(
  cluster: string,
  attempt: BackupAttempt,
  verdict: Extract<SizeVerdict, { median: number }>,
  thresholds: SizeThresholds,
): AlertDetails {
  const percent = Math.round(verdict.ratio * 100);
  const drop = verdict.kind === 'drop';
  const limit = drop
    ? `below ${100 - thresholds.dropPercent} %`
    : `above ${100 + thresholds.growthPercent} %`;
  return {
    title: `Backup size ${drop ? 'dropped' : 'grew'}: ${cluster} / ${attempt.database}`,
    severity: 'warning',
    fields: [
      ['Cluster', cluster],
      ['Database', attempt.database],
      ['Snapshot', attempt.label],
      ['Size', formatBytes(attempt.sizeBytes ?? 0)],
      ['Usual size', `${formatBytes(verdict.median)} (median of the last ${verdict.history} backups)`],
      ['Change', `${percent} % of usual (warns ${limit})`],
    ],
    text: drop
      ? `The database was ${percent} % of its usual size when it was backed up. A sudden drop is how data loss often shows first: check for recent DROP, TRUNCATE or DELETE on ${attempt.database}, and keep the older snapshots (pin them) until you know. The backup itself succeeded.`
      : `The database was ${percent} % of its usual size when it was backed up: check for runaway loads or duplicated data; backups will take longer and cost more. The backup itself succeeded.`,
  };
}

/** More anomalies than this in one run share one warning. */
export const SIZE_GROUP_THRESHOLD = 3;

/** No warning is started with less time than this left in the invocation (a Slack post may take 20 s). */
export const MIN_TIME_TO_POST_MS = 25_000;

/** One warning for several anomalous snapshots of one run. */
export function groupedSizeAnomalyAlert(cluster: string, anomalies: readonly SizeAnomaly[]): AlertDetails {
  return {
    title: `Backup sizes far from usual: ${cluster}: ${anomalies.length} databases`,
    severity: 'warning',
    fields: [
      ['Cluster', cluster],
      ['Databases', String(anomalies.length)],
    ],
    text: boundedList(
      anomalies.map(
        (anomaly) =>
          `• ${anomaly.database}: ${Math.round(anomaly.ratio * 100)} % of usual (${formatBytes(anomaly.sizeBytes)}, usually ${formatBytes(anomaly.medianBytes)}), snapshot ${anomaly.label}`,
      ),
      SLACK_LIMITS.sectionText - 400,
    ).concat(
      '\nA sudden drop is how data loss often shows first: check the shrunken databases before older snapshots are pruned. The backups themselves succeeded.',
    ),
  };
}

/**
 * Judges each good attempt's size and warns once per anomalous snapshot (one message each, or one for all when
 * there are more than SIZE_GROUP_THRESHOLD). Attempts without a size, and databases with too little history, are
 * not judged. With less than MIN_TIME_TO_POST_MS left (`timeLeftMs`), nothing more is posted. Errors are logged,
 * never thrown.
 */
export async function checkRunSizes(
  request: {
    readonly cluster: string;
    readonly thresholds: SizeThresholds;
    readonly attempts: readonly BackupAttempt[];
    readonly timeLeftMs?: (() => number) | undefined;
  },
  deps: SizeCheckDeps,
): Promise<SizeAnomaly[]> {
  const { cluster, thresholds } = request;
  if (!thresholds.enabled) return [];
  const found: Array<{
    attempt: BackupAttempt;
    verdict: Extract<SizeVerdict, { median: number }>;
    first: boolean;
  }> = [];
  for (const attempt of request.attempts) {
    if (!isGoodSnapshot(attempt) || attempt.sizeBytes === null) continue;
    try {
      const history = await earlierSizes(deps.catalog, attempt, historyWindow(thresholds));
      const verdict = judgeSize(attempt.sizeBytes, history, thresholds);
      if (verdict.kind !== 'drop' && verdict.kind !== 'growth') continue;
      const first = await deps.once.claimOnce({
        cluster,
        scope: 'size-anomaly',
        key: `${attempt.database}#${attempt.label}`,
      });
      deps.logger.warn('backup size anomaly', {
        database: attempt.database,
        label: attempt.label,
        kind: verdict.kind,
        sizeBytes: attempt.sizeBytes,
        medianBytes: verdict.median,
        warned: first,
      });
      found.push({ attempt, verdict, first });
    } catch (error) {
      deps.logger.error('could not check the backup size; the backup is not affected', {
        database: attempt.database,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  }

  const anomalies = found.map(({ attempt, verdict, first }) => ({
    database: attempt.database,
    label: attempt.label,
    kind: verdict.kind as 'drop' | 'growth',
    sizeBytes: attempt.sizeBytes ?? 0,
    medianBytes: verdict.median,
    ratio: verdict.ratio,
    warned: first,
    delivered: false,
  }));
  const toWarn = found.filter((entry) => entry.first);
  const delivered = new Set<string>();
  const post = async (alert: AlertDetails, databases: readonly string[]) => {
    if (request.timeLeftMs !== undefined && request.timeLeftMs() < MIN_TIME_TO_POST_MS) {
      deps.logger.error('no time left to post the size warning', { databases });
      return;
    }
    const delivery = await deps.slack.postAlert(alert);
    if (delivery.delivered) for (const database of databases) delivered.add(database);
  };
  if (toWarn.length > SIZE_GROUP_THRESHOLD) {
    const warned = anomalies.filter((anomaly) => anomaly.warned);
    await post(
      groupedSizeAnomalyAlert(cluster, warned),
      warned.map((anomaly) => anomaly.database),
    );
  } else {
    for (const { attempt, verdict } of toWarn) {
      await post(sizeAnomalyAlert(cluster, attempt, verdict, thresholds), [attempt.database]);
    }
  }
  return anomalies.map((anomaly) => ({ ...anomaly, delivered: delivered.has(anomaly.database) }));
}
