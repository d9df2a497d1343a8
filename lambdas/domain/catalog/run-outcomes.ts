import type { CatalogStore } from './catalog-store.ts';
import { type BackupAttempt, stateRank } from './schema.ts';

/**
 * One attempt per database of a run, the best it recorded (a database may have several attempts in one run
 * when a child execution was restarted under a new name), sorted by database name.
 */
export async function runOutcomes(
  catalog: Pick<CatalogStore, 'listRun'>,
  runId: string,
): Promise<BackupAttempt[]> {
  const best = new Map<string, BackupAttempt>();
  let cursor: string | null = null;
  do {
    const page = await catalog.listRun({ runId, cursor });
    for (const attempt of page.items) {
      const known = best.get(attempt.database);
      if (!known || stateRank(attempt.state) > stateRank(known.state)) best.set(attempt.database, attempt);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return [...best.values()].sort((a, b) => a.database.localeCompare(b.database));
}
