/**
 * Where a seeded report catalog goes: through the real stores into a DynamoDB (dynalite in the tests), or, for the
 * 182,500-cell benchmark, into memory behind the same reader interfaces the collector uses.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type BackupAttempt,
  BackupAttemptSchema,
  CATALOG_SCHEMA_VERSION,
  createCatalogStore,
  type DrillRecord,
  DrillRecordSchema,
  isGoodSnapshot,
} from '#domain/catalog/index.ts';
import { createIncidentStore } from '#domain/incidents/incident-store.ts';
import type { Incident } from '#domain/incidents/schema.ts';
import { createPauseStore } from '#domain/pause/index.ts';
import type { ReportDeps } from '#domain/report/index.ts';
import type { SeededCatalog } from './seed.ts';

/** Runs `work` over `items`, at most `concurrency` at once. */
async function eachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  });
  await Promise.all(workers);
}

/**
 * Writes the seeded catalog through the real stores: recordAttempt (each with the clock reading it was recorded
 * at), markLost, setPinned, recordDrill, recordPausedSlot and openIncident.
 */
export async function writeSeededCatalog(
  seed: SeededCatalog,
  target: { readonly client: DynamoDBDocumentClient; readonly tableName: string },
): Promise<void> {
  const storeAt = (ms: number) => createCatalogStore({ ...target, clock: { now: () => ms } });
  // Attempts of one slot go in order (a retry is recorded after the failure it retries); slots in parallel.
  const bySlot = new Map<string, SeededCatalog['attempts'][number][]>();
  for (const item of seed.attempts) {
    const key = `${item.attempt.cluster}/${item.attempt.database}/${item.attempt.scheduledTime}`;
    bySlot.set(key, [...(bySlot.get(key) ?? []), item]);
  }
  await eachLimited([...bySlot.values()], 24, async (items) => {
    for (const item of items) await storeAt(item.recordedAtMs).recordAttempt(item.attempt);
  });
  for (const ref of seed.lost) await storeAt(ref.atMs).markLost(ref);
  for (const ref of seed.pinned) await storeAt(seed.period.toMs).setPinned({ ...ref, pinned: true });
  await eachLimited(seed.drills, 8, async (drill) => {
    await storeAt(Date.parse(drill.startedAt)).recordDrill(drill);
  });
  const pauses = createPauseStore({ ...target, clock: { now: () => seed.period.toMs } });
  for (const slot of seed.pausedSlots) await pauses.recordPausedSlot(slot);
  const incidents = createIncidentStore({
    ...target,
    clock: { now: () => seed.period.toMs - 5 * 86_400_000 },
  });
  for (const report of seed.drift) await incidents.openIncident(report);
}

/** The seeded records as the catalog would hand them out (schema-checked once). */
function storedAttempts(seed: SeededCatalog, validate: boolean): BackupAttempt[] {
  const lost = new Map(seed.lost.map((ref) => [`${ref.cluster}/${ref.database}/${ref.label}`, ref.atMs]));
  const pinned = new Set(seed.pinned.map((ref) => `${ref.cluster}/${ref.database}/${ref.label}`));
  return seed.attempts.map(({ attempt, recordedAtMs }) => {
    const key = `${attempt.cluster}/${attempt.database}/${attempt.label}`;
    const lostAt = lost.get(key);
    const item = {
      ...attempt,
      schemaVersion: CATALOG_SCHEMA_VERSION,
      kind: 'backup' as const,
      recordedAt: new Date(recordedAtMs).toISOString(),
      ...(lostAt === undefined || attempt.state !== 'FINISHED'
        ? {}
        : { lostAt: new Date(lostAt).toISOString() }),
      ...(pinned.has(key) ? { pinned: true } : {}),
    };
    return validate ? BackupAttemptSchema.parse(item) : (item as BackupAttempt);
  });
}

/**
 * The collector's dependencies over the seeded records held in memory: the same interfaces (ReportDeps) the CLI
 * fills with the real stores. For benchmarks, where writing 182,500 attempts through dynalite would take minutes.
 */
export function inMemoryReportDeps(seed: SeededCatalog, options: { validate?: boolean } = {}): ReportDeps {
  const attempts = storedAttempts(seed, options.validate ?? true).sort(
    (a, b) => a.scheduledTime.localeCompare(b.scheduledTime) || a.database.localeCompare(b.database),
  );
  const drills: DrillRecord[] = seed.drills.map((drill) =>
    DrillRecordSchema.parse({
      ...drill,
      schemaVersion: CATALOG_SCHEMA_VERSION,
      kind: 'drill',
      recordedAt: drill.finishedAt ?? drill.startedAt,
    }),
  );
  const ofDatabase = (cluster: string, database: string) =>
    attempts
      .filter((a) => a.cluster === cluster && a.database === database)
      .sort((a, b) => b.scheduledTime.localeCompare(a.scheduledTime));
  const incidents: Incident[] = seed.drift.map((report) => ({
    schemaVersion: 1,
    kind: 'incident',
    cluster: report.cluster,
    type: report.type,
    database: report.database,
    status: 'open',
    openedAt: new Date(seed.period.toMs - 5 * 86_400_000).toISOString(),
    lastSeenAt: new Date(seed.period.toMs).toISOString(),
    cause: report.cause,
    summary: report.summary,
    fields: [],
    alert: {
      state: 'delivered',
      attempts: 1,
      via: 'webhook',
      ts: null,
      channel: null,
      error: null,
      at: null,
    },
    resolvedAt: null,
    resolution: null,
    resolutionSummary: null,
    recovery: null,
  }));
  return {
    clock: { now: () => seed.period.toMs },
    catalog: {
      async listBetween({ cluster, from, to }) {
        const fromIso = from.toISOString();
        const toIso = to.toISOString();
        return {
          items: attempts.filter(
            (a) => a.cluster === cluster && a.scheduledTime >= fromIso && a.scheduledTime < toIso,
          ),
          nextCursor: null,
        };
      },
      async listDrills({ cluster, limit }) {
        return drills
          .filter((drill) => drill.cluster === cluster)
          .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
          .slice(0, limit ?? 20);
      },
      async latestGoodSnapshots(cluster) {
        const latest = new Map<string, BackupAttempt>();
        for (const attempt of attempts) {
          if (attempt.cluster === cluster && isGoodSnapshot(attempt)) latest.set(attempt.database, attempt);
        }
        return [...latest.values()];
      },
      async listAllSnapshots({ cluster, database }) {
        return ofDatabase(cluster, database);
      },
    },
    pauses: {
      async listPauses() {
        return [];
      },
      async listPausedSlots({ cluster, from, to }) {
        return seed.pausedSlots
          .filter(
            (slot) =>
              slot.cluster === cluster &&
              Date.parse(slot.scheduledTime) >= from.getTime() &&
              Date.parse(slot.scheduledTime) <= to.getTime(),
          )
          .map((slot) => ({ ...slot, recordedAt: slot.scheduledTime }));
      },
    },
    incidents: {
      async listIncidents(cluster) {
        return incidents.filter((incident) => incident.cluster === cluster);
      },
    },
  };
}
