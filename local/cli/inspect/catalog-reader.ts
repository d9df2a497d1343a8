/** Reading the snapshot catalog for the `snapshots` and `status` commands. */
import type { BackupAttempt, CatalogStore } from '#domain/catalog/index.ts';

/** Far enough ahead that every recorded slot is before it. */
const END_OF_TIME = new Date(Date.UTC(9999, 0, 1));

/**
 * The newest `limit` attempts of one database, or of a whole cluster when `database` is undefined, newest slot
 * first (then newest record first).
 */
export async function newestAttempts(
  catalog: Pick<CatalogStore, 'listSnapshots' | 'listOlderThan'>,
  request: {
    readonly cluster: string;
    readonly database?: string | undefined;
    readonly limit: number;
    /** Only attempts of slots at or after this time. */
    readonly since?: Date | undefined;
    /** Only the attempts this keeps (`--state`). */
    readonly keep?: ((attempt: BackupAttempt) => boolean) | undefined;
  },
): Promise<BackupAttempt[]> {
  const since = request.since?.toISOString();
  const wanted = (attempt: BackupAttempt) =>
    (since === undefined || attempt.scheduledTime >= since) && (request.keep?.(attempt) ?? true);
  const attempts: BackupAttempt[] = [];
  let cursor: string | null = null;
  if (request.database !== undefined) {
    const database = request.database;
    do {
      const page = await catalog.listSnapshots({ cluster: request.cluster, database, cursor, limit: 100 });
      attempts.push(...page.items.filter(wanted));
      cursor = page.nextCursor;
      // Newest slot first: once a page reaches before `since`, no later page holds anything wanted.
      const oldest = page.items.at(-1)?.scheduledTime;
      if (since !== undefined && oldest !== undefined && oldest < since) break;
    } while (cursor !== null && attempts.length < request.limit);
  } else {
    // The cluster/time index reads oldest first; a local catalog is small enough to read whole.
    do {
      const page = await catalog.listOlderThan({
        cluster: request.cluster,
        before: END_OF_TIME,
        cursor,
        limit: 500,
      });
      attempts.push(...page.items.filter(wanted));
      cursor = page.nextCursor;
    } while (cursor !== null);
  }
  return attempts
    .sort(
      (a, b) =>
        b.scheduledTime.localeCompare(a.scheduledTime) ||
        b.recordedAt.localeCompare(a.recordedAt) ||
        a.database.localeCompare(b.database),
    )
    .slice(0, request.limit);
}
