import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { keySegment } from '#domain/catalog/keys.ts';
import type { Clock } from '#domain/clock.ts';
import { ConfigError } from '#domain/errors.ts';
import { z } from '#domain/zod.ts';
import { createPausedSlotLog, type PausedSlotLog } from './paused-slots.ts';

/**
 * A pause of backups, with the reason someone gave. It lives in the catalog table, not in the schedule:
 * the schedule stays enabled, so a redeploy cannot undo a pause, and every run checks it at its start.
 */
export interface Pause {
  readonly cluster: string;
  /** The paused schedule, or null for a pause of every schedule of the cluster. */
  readonly schedule: string | null;
  readonly reason: string;
  /** When the pause was set, ISO 8601 UTC. */
  readonly since: string;
  /** When the pause ends by itself, ISO 8601 UTC; null = until `resume`. */
  readonly until: string | null;
  /** Who set it (free text: a user name, an ARN), or null. */
  readonly by: string | null;
}

/** What the pause store needs from its environment. */
export interface PauseStoreDeps {
  readonly client: DynamoDBDocumentClient;
  /** Physical name of the catalog table (pauses are items there). */
  readonly tableName: string;
  readonly clock: Clock;
}

/** Pauses of a cluster or of one of its schedules, and the slots they stopped. */
export interface PauseStore extends PausedSlotLog {
  /**
   * Pauses the cluster (no `schedule`) or one schedule. Pausing again replaces the earlier pause (new reason,
   * new `since`).
   * @throws ConfigError when the reason is empty or too long, or `until` is not an ISO date-time in the future.
   */
  pause(request: {
    cluster: string;
    schedule?: string | undefined;
    reason: string;
    until?: string | undefined;
    by?: string | undefined;
  }): Promise<Pause>;
  /** Lifts the pause of the cluster (no `schedule`) or of the schedule. False when there was none. */
  resume(request: { cluster: string; schedule?: string | undefined }): Promise<boolean>;
  /**
   * The pause that stops `schedule` of `cluster` now: the cluster-wide pause if one is active, else the schedule's
   * own. A pause whose `until` has passed is not active. Strongly consistent.
   */
  activePause(request: { cluster: string; schedule: string }): Promise<Pause | null>;
  /**
   * The active pauses of the cluster (cluster-wide first, then by schedule name); with `includeExpired`, also
   * those whose `until` has passed and that DynamoDB's TTL has not removed yet.
   */
  listPauses(cluster: string, options?: { includeExpired?: boolean }): Promise<Pause[]>;
}

/** Longest reason kept (characters). */
export const PAUSE_REASON_MAX_CHARS = 1024;
/** An ended pause stays readable (history, `includeExpired`) this long before TTL removes it. */
export const EXPIRED_PAUSE_RETENTION_DAYS = 30;

const PAUSE_PARTITION_PREFIX = 'PAUSE#';
const CLUSTER_SORT_KEY = 'CLUSTER';
const SCHEDULE_SORT_KEY_PREFIX = 'SCHEDULE#';

/** Partition holding every pause of a cluster. */
export function pausePartitionKey(cluster: string): string {
  return `${PAUSE_PARTITION_PREFIX}${keySegment(cluster)}`;
}

/** Key of the cluster-wide pause (no schedule) or of one schedule's pause. */
export function pauseKey(cluster: string, schedule?: string | null): { pk: string; sk: string } {
  return {
    pk: pausePartitionKey(cluster),
    sk:
      schedule === undefined || schedule === null
        ? CLUSTER_SORT_KEY
        : `${SCHEDULE_SORT_KEY_PREFIX}${keySegment(schedule)}`,
  };
}

const PauseItemSchema = z.object({
  cluster: z.string().min(1),
  schedule: z.string().min(1).nullable(),
  reason: z.string(),
  since: z.iso.datetime(),
  until: z.iso.datetime().nullable(),
  by: z.string().nullable(),
});

const isoWithOffset = z.iso.datetime({ offset: true });

/** True while `pause` stops runs at `nowMs`. */
export function isPauseActive(pause: Pick<Pause, 'until'>, nowMs: number): boolean {
  return pause.until === null || Date.parse(pause.until) > nowMs;
}

/** Builds the pause store over the catalog table. */
export function createPauseStore(deps: PauseStoreDeps): PauseStore {
  const { client, tableName, clock } = deps;

  async function readAll(cluster: string): Promise<Pause[]> {
    const pauses: Pause[] = [];
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pausePartitionKey(cluster) },
        ConsistentRead: true,
      },
    );
    for await (const page of pages)
      for (const item of page.Items ?? []) pauses.push(PauseItemSchema.parse(item));
    return pauses.sort(byScope);
  }

  return {
    ...createPausedSlotLog(deps),

    async pause({ cluster, schedule, reason, until, by }) {
      const now = clock.now();
      const trimmed = reason.trim();
      if (trimmed === '') throw new ConfigError('reason: must say why backups are paused');
      if (trimmed.length > PAUSE_REASON_MAX_CHARS) {
        throw new ConfigError(`reason: at most ${PAUSE_REASON_MAX_CHARS} characters`);
      }
      let untilIso: string | null = null;
      if (until !== undefined) {
        if (!isoWithOffset.safeParse(until).success) {
          throw new ConfigError(
            `until: must be an ISO 8601 date-time with Z or an offset (e.g. 2026-12-01T08:00:00Z), got "${until}"`,
          );
        }
        const untilMs = Date.parse(until);
        if (untilMs <= now) throw new ConfigError(`until: ${until} is not in the future`);
        untilIso = new Date(untilMs).toISOString();
      }
      const pause: Pause = {
        cluster,
        schedule: schedule ?? null,
        reason: trimmed,
        since: new Date(now).toISOString(),
        until: untilIso,
        by: by === undefined || by.trim() === '' ? null : by.trim(),
      };
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...pauseKey(cluster, schedule),
            kind: 'pause',
            ...pause,
            ...(untilIso === null
              ? {}
              : {
                  expiresAtEpochSeconds:
                    Math.floor(Date.parse(untilIso) / 1000) + EXPIRED_PAUSE_RETENTION_DAYS * 86_400,
                }),
          },
        }),
      );
      return pause;
    },

    async resume({ cluster, schedule }) {
      const out = await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: pauseKey(cluster, schedule),
          ReturnValues: 'ALL_OLD',
        }),
      );
      return out.Attributes !== undefined;
    },

    async activePause({ cluster, schedule }) {
      const now = clock.now();
      const active = (await readAll(cluster)).filter(
        (pause) => (pause.schedule === null || pause.schedule === schedule) && isPauseActive(pause, now),
      );
      return active[0] ?? null;
    },

    async listPauses(cluster, options = {}) {
      const now = clock.now();
      const all = await readAll(cluster);
      return options.includeExpired === true ? all : all.filter((pause) => isPauseActive(pause, now));
    },
  };
}

function byScope(a: Pause, b: Pause): number {
  if (a.schedule === b.schedule) return 0;
  if (a.schedule === null) return -1;
  if (b.schedule === null) return 1;
  return a.schedule.localeCompare(b.schedule);
}
