/**
 * A seeded catalog for report tests, benchmarks and the screenshot: N databases over D nights in two clusters, with
 * every outcome present (FINISHED, FAILED, TIMED_OUT, SKIPPED, lost, paused, missed), a retry, a relabelled
 * attempt, a size anomaly, drills, pins, a drift incident, and realistic lanes (jobs longest first in
 * `maxConcurrentBackups` lanes). Pure and deterministic: it produces catalog records of the real schema plus the
 * ground truth the report must show; sinks.ts writes them through the real stores or serves them from memory.
 */
import type { NewBackupAttempt, NewDrillRecord, SnapshotRef } from '#domain/catalog/index.ts';
import { type BackupConfig, parseConfig, previousSlot } from '#domain/config/index.ts';
import type { IncidentReport } from '#domain/incidents/incident-store.ts';
import type { PausedSlot } from '#domain/pause/index.ts';
import { buildSnapshotLabel } from '#domain/starrocks/snapshot-label.ts';

const DAY_MS = 86_400_000;

/** What to seed. */
export interface SeedOptions {
  readonly databases: number;
  /** Nights in the report period (the last `days` days up to `nowMs`). */
  readonly days: number;
  /** Nights before the period (the report's look-back reads them). */
  readonly historyDays?: number;
  readonly nowMs: number;
  readonly seed?: number;
}

/** One attempt to record, with the clock reading its record carries. */
export interface SeededAttempt {
  readonly attempt: NewBackupAttempt;
  readonly recordedAtMs: number;
}

/** The outcome the report must show for a (database, slot). */
export type TruthOutcome = 'F' | 'X' | 'T' | 'S' | 'L' | 'P' | 'M';

/** The seeded catalog and the ground truth. */
export interface SeededCatalog {
  readonly config: BackupConfig;
  readonly attempts: readonly SeededAttempt[];
  readonly lost: ReadonlyArray<SnapshotRef & { readonly atMs: number }>;
  readonly pinned: readonly SnapshotRef[];
  readonly drills: readonly NewDrillRecord[];
  readonly pausedSlots: ReadonlyArray<Omit<PausedSlot, 'recordedAt'>>;
  readonly drift: readonly IncidentReport[];
  readonly period: { readonly fromMs: number; readonly toMs: number; readonly days: number };
  /** Final outcome per `cluster/database` and report day (UTC), for the slots of the period. */
  readonly truth: ReadonlyMap<string, ReadonlyMap<number, TruthOutcome>>;
  /** FAILED or TIMED_OUT attempts in the period. */
  readonly failedAttempts: number;
  /** A FAILED slot to look for. */
  readonly knownFailure: {
    readonly cluster: string;
    readonly database: string;
    readonly day: number;
    readonly label: string;
    readonly reason: string;
  };
  /** The database whose size dropped, and the day. */
  readonly anomaly: { readonly cluster: string; readonly database: string; readonly day: number };
}

const NAMES = [
  'sales',
  'orders',
  'inventory',
  'marketing',
  'billing',
  'crm',
  'events',
  'clickstream',
  'payments',
  'ledger',
  'users',
  'catalog',
  'search',
  'reviews',
  'shipping',
  'returns',
  'pricing',
  'promotions',
  'support',
  'audit',
  'warehouse',
  'finance',
  'hr',
  'logistics',
  'analytics',
  'forecasts',
  'sessions',
  'recommendations',
  'ads',
  'geo',
];

const FAILURES = [
  '[COMMON_ERROR, msg: failed to choose replica to make snapshot for tablet 10042. visible version: 5]',
  '[BAD_CONNECTION, msg: failed to upload snapshot to s3a://acme-backups/starrocks: connection reset by peer]',
  '[OLAP_VERSION_ALREADY_MERGED, msg: version already merged, tablet 20931]',
  'Access denied; you need (at least one of) the REPOSITORY privilege(s) for this operation',
];
const TIMEOUTS = ['deadline', '[TIMEOUT, msg: backup job timed out after 21600 seconds]'];

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function databaseNames(count: number): string[] {
  const names: string[] = [];
  for (let index = 0; names.length < count; index += 1) {
    const base = NAMES[index % NAMES.length] as string;
    const round = Math.floor(index / NAMES.length);
    names.push(round === 0 ? base : `${base}_${String(round).padStart(2, '0')}`);
  }
  return names;
}

interface SeedDatabase {
  readonly cluster: string;
  readonly name: string;
  readonly baseBytes: number;
  readonly growth: number;
  readonly empty: boolean;
  /** Last night (index) the configuration selected it; later nights have no attempt. */
  readonly lastNight: number;
}

interface ClusterPlan {
  readonly name: string;
  readonly lanes: number;
  readonly timeoutSeconds: number;
  readonly schedule: { readonly name: string; readonly cron: string; readonly timezone: string };
}

/** The seeded configuration: prod (UTC nightly, retention, drill) and analytics (Berlin, 22:30). */
function seedConfig(shape: {
  readonly prodLanes: number;
  readonly analyticsLanes: number;
  readonly prodDrill: string;
  readonly analyticsDrill: string;
  readonly maxAgeDays: number;
}): BackupConfig {
  return parseConfig({
    clusters: [
      {
        name: 'prod',
        host: 'fe.prod.internal',
        repository: 's3_repo',
        // tmp_* and z* fall through the patterns: drift.
        include: ['[a-s]*', 'u*', 'w*'],
        exclude: ['*_scratch'],
        maxConcurrentBackups: shape.prodLanes,
        timeoutSeconds: 21_600,
        schedules: [{ name: 'nightly', cron: '0 1 * * ? *', timezone: 'UTC' }],
        retention: { keepLast: 7, maxAgeDays: shape.maxAgeDays },
        drill: { database: shape.prodDrill, cron: '0 6 ? * SUN *', timezone: 'UTC' },
      },
      {
        name: 'analytics',
        host: 'fe.analytics.internal',
        repository: 's3_analytics',
        maxConcurrentBackups: shape.analyticsLanes,
        timeoutSeconds: 14_400,
        schedules: [{ name: 'nightly', cron: '30 22 * * ? *', timezone: 'Europe/Berlin' }],
        drill: { database: shape.analyticsDrill, cron: '0 7 ? * SAT *', timezone: 'UTC' },
      },
    ],
  });
}

/** Seeds a catalog. */
export function seedReportCatalog(options: SeedOptions): SeededCatalog {
  const rand = random(options.seed ?? 20_261_201);
  const historyDays = options.historyDays ?? 10;
  const totalNights = options.days + historyDays;
  const prodCount = Math.max(1, Math.round(options.databases * 0.7));
  const names = databaseNames(options.databases);
  const config = seedConfig({
    prodLanes: Math.min(40, Math.max(4, Math.ceil(prodCount / 7))),
    analyticsLanes: Math.min(40, Math.max(2, Math.ceil((options.databases - prodCount) / 6))),
    prodDrill: names[0] as string,
    analyticsDrill: names[prodCount] ?? (names[0] as string),
    // Earlier prunes removed what is older; the next one removes the oldest night or two.
    maxAgeDays: totalNights - 2,
  });
  const lastDayStart = Math.floor((options.nowMs - 1) / DAY_MS) * DAY_MS;
  const fromMs = lastDayStart - (options.days - 1) * DAY_MS;
  const dayOf = (ms: number) => Math.floor((ms - fromMs) / DAY_MS);

  const plans: ClusterPlan[] = config.clusters.map((cluster) => ({
    name: cluster.name,
    lanes: cluster.maxConcurrentBackups,
    timeoutSeconds: cluster.timeoutSeconds,
    schedule: cluster.schedules[0] as ClusterPlan['schedule'],
  }));
  const databases: SeedDatabase[] = names.map((name, index) => ({
    cluster: index < prodCount ? 'prod' : 'analytics',
    name: index === 5 % options.databases && index < prodCount ? 'archive_2019' : name,
    baseBytes: Math.exp(Math.log(50e6) + rand() * (Math.log(400e9) - Math.log(50e6))),
    growth: rand() * 0.004,
    empty: index === 5 % options.databases && index < prodCount,
    lastNight: Number.POSITIVE_INFINITY,
  }));
  // A database the configuration no longer selects (z*): backed up for the first half of the period only.
  if (prodCount > 8) {
    databases[prodCount - 1] = {
      ...(databases[prodCount - 1] as SeedDatabase),
      name: 'zz_legacy',
      lastNight: historyDays + Math.floor(options.days / 2),
    };
  }

  const truth = new Map<string, Map<number, TruthOutcome>>();
  const attempts: SeededAttempt[] = [];
  const lost: Array<SnapshotRef & { atMs: number }> = [];
  const pinned: SnapshotRef[] = [];
  const pausedSlots: Array<Omit<PausedSlot, 'recordedAt'>> = [];
  let failedAttempts = 0;
  const finishedLabels = new Map<string, string[]>();

  const prodDbs = databases.filter((db) => db.cluster === 'prod');
  const analyticsDbs = databases.filter((db) => db.cluster === 'analytics');
  const pick = (list: readonly SeedDatabase[], index: number) => list[index % Math.max(1, list.length)];
  const known = pick(prodDbs, 1) as SeedDatabase;
  const anomalyDb = pick(prodDbs, 3) as SeedDatabase;
  const retryDb = pick(prodDbs, 4) as SeedDatabase;
  const lostDb = pick(prodDbs, 2) as SeedDatabase;
  const relabelDb = pick(prodDbs, 6) as SeedDatabase;
  const skippedDb = pick(prodDbs, 7) as SeedDatabase;
  const notReachedDb = pick(analyticsDbs, 1) as SeedDatabase;

  const knownNight = historyDays + options.days - 10;
  const anomalyNight = historyDays + options.days - 15;
  const missedNight = historyDays + options.days - 20;
  const pausedNights = new Set([historyDays + options.days - 30, historyDays + options.days - 29]);
  const retryNight = historyDays + options.days - 30;
  const lostNight = historyDays + options.days - 40;
  const relabelNight = historyDays + options.days - 45;
  const lockHeldNight = historyDays + options.days - 12;
  const notReachedNight = historyDays + options.days - 5;
  let knownFailure: SeededCatalog['knownFailure'] | undefined;

  for (const plan of plans) {
    const clusterDbs = databases.filter((db) => db.cluster === plan.name);
    const schedule = plan.schedule;
    const firstSlot = previousSlot(schedule, new Date(options.nowMs - (totalNights - 1) * DAY_MS));
    if (firstSlot === null) continue;
    for (let night = 0; night < totalNights; night += 1) {
      const slot = previousSlot(schedule, new Date(firstSlot.getTime() + night * DAY_MS + 3_600_000));
      if (slot === null) continue;
      const slotMs = slot.getTime();
      // Slots still inside their grace at the end are not judged; the seed leaves them out.
      if (slotMs > options.nowMs - plan.timeoutSeconds * 1000) continue;
      const day = dayOf(slotMs);
      const inPeriod = slotMs >= fromMs;
      const scheduledTime = slot.toISOString();
      const runId = `arn:aws:states:eu-west-1:123456789012:execution:NightlyBackup:${plan.name}-nightly-${scheduledTime.slice(0, 10).replaceAll('-', '')}`;
      const mark = (db: SeedDatabase, outcome: TruthOutcome) => {
        if (!inPeriod) return;
        const key = `${db.cluster}/${db.name}`;
        const days = truth.get(key) ?? new Map<number, TruthOutcome>();
        days.set(day, outcome);
        truth.set(key, days);
      };
      const selected = clusterDbs.filter((db) => night <= db.lastNight);
      if (plan.name === 'prod' && night === missedNight) {
        for (const db of selected) mark(db, 'M');
        continue;
      }
      if (plan.name === 'analytics' && pausedNights.has(night)) {
        pausedSlots.push({
          cluster: plan.name,
          schedule: schedule.name,
          scheduledTime,
          pausedSchedule: null,
          reason: 'FE upgrade to 3.4 (CHG-1234)',
          since: new Date(slotMs - 3 * 3_600_000).toISOString(),
          until: null,
          by: 'alice',
          runId,
        });
        for (const db of selected) mark(db, 'P');
        continue;
      }
      const sizeOf = (db: SeedDatabase) =>
        Math.round(db.baseBytes * (1 + db.growth) ** night * (0.995 + rand() * 0.01));
      const jobs = selected
        .map((db) => ({ db, bytes: db.empty ? 0 : sizeOf(db) }))
        .sort((a, b) => b.bytes - a.bytes);
      const laneFree = new Array<number>(plan.lanes).fill(slotMs + 3_000);
      for (const { db, bytes: plannedBytes } of jobs) {
        if (plan.name === 'analytics' && db === notReachedDb && night === notReachedNight) {
          mark(db, 'M');
          continue;
        }
        const lane = laneFree.indexOf(Math.min(...laneFree));
        const startMs = (laneFree[lane] as number) + 2_000 + Math.round(rand() * 4_000);
        let bytes = plannedBytes;
        if (db === anomalyDb && night === anomalyNight) bytes = Math.round(plannedBytes * 0.3);
        const throughput = 40e6 * (0.8 + rand() * 0.4);
        let seconds = Math.max(30, Math.round(bytes / throughput)) + 15 + Math.round(rand() * 40);
        let state: NewBackupAttempt['state'] = 'FINISHED';
        let reason: string | null = null;
        const roll = rand();
        if (db.empty) {
          state = 'SKIPPED';
          reason = 'empty';
          seconds = 1;
        } else if (db === known && night === knownNight) {
          state = 'FAILED';
          reason = FAILURES[0] as string;
          seconds = Math.round(seconds * 0.4);
        } else if (db === skippedDb && night === lockHeldNight) {
          state = 'SKIPPED';
          reason = `lock-held by arn:aws:states:eu-west-1:123456789012:execution:RestoreDrill:${plan.name}-drill`;
          seconds = 1;
        } else if (roll < 0.012 && db !== anomalyDb && db !== lostDb && db !== relabelDb) {
          state = 'FAILED';
          reason = FAILURES[Math.floor(rand() * FAILURES.length)] as string;
          seconds = Math.round(seconds * (0.2 + rand() * 0.6));
        } else if (roll < 0.016 && db !== anomalyDb && db !== lostDb && db !== relabelDb) {
          state = 'TIMED_OUT';
          reason = TIMEOUTS[Math.floor(rand() * TIMEOUTS.length)] as string;
          seconds = reason === 'deadline' ? plan.timeoutSeconds : Math.round(plan.timeoutSeconds * 0.9);
        }
        const endMs = startMs + seconds * 1000;
        laneFree[lane] = endMs;
        const label = buildSnapshotLabel({
          cluster: plan.name,
          schedule: schedule.name,
          database: db.name,
          scheduledTime: slot,
        });
        const record = (
          overrides: Partial<NewBackupAttempt> & { state: NewBackupAttempt['state'] },
          recordedAtMs: number,
        ) => {
          const attempt: NewBackupAttempt = {
            cluster: plan.name,
            database: db.name,
            label,
            repository: config.clusters.find((c) => c.name === plan.name)?.repository ?? 's3_repo',
            schedule: schedule.name,
            scheduledTime,
            runId,
            executionId: `${runId}-${db.name}`,
            attempt: 1,
            reason,
            startedAt: new Date(startMs).toISOString(),
            finishedAt: new Date(endMs).toISOString(),
            durationSeconds: seconds,
            snapshotTimestamp: null,
            verified: false,
            sizeBytes: null,
            tableCount: null,
            starRocksJobId: String(10_000 + attempts.length),
            ...overrides,
          };
          attempts.push({ attempt, recordedAtMs });
          if (inPeriod && (attempt.state === 'FAILED' || attempt.state === 'TIMED_OUT')) failedAttempts += 1;
          return attempt;
        };
        const finishedFields = {
          state: 'FINISHED' as const,
          reason: null,
          verified: true,
          sizeBytes: bytes,
          tableCount: 12,
          snapshotTimestamp: new Date(endMs).toISOString().replace(/[-:T]/g, '-').slice(0, 19),
        };
        if (db === retryDb && night === retryNight) {
          record(
            {
              state: 'FAILED',
              reason: FAILURES[1] as string,
              durationSeconds: 40,
              finishedAt: new Date(startMs + 40_000).toISOString(),
            },
            startMs + 40_000,
          );
          record(
            {
              ...finishedFields,
              attempt: 2,
              startedAt: new Date(startMs + 60_000).toISOString(),
              finishedAt: new Date(endMs + 60_000).toISOString(),
            },
            endMs + 60_000,
          );
          mark(db, 'F');
        } else if (state === 'FINISHED') {
          record(finishedFields, endMs);
          const labels = finishedLabels.get(`${plan.name}/${db.name}`) ?? [];
          labels.push(label);
          finishedLabels.set(`${plan.name}/${db.name}`, labels);
          if (db === lostDb && night === lostNight) {
            lost.push({ cluster: plan.name, database: db.name, label, atMs: endMs + 2 * DAY_MS });
            mark(db, 'L');
          } else if (db === relabelDb && night === relabelNight) {
            // The snapshot vanished and the slot was run again: a new attempt label, FINISHED.
            lost.push({ cluster: plan.name, database: db.name, label, atMs: endMs + 3_600_000 });
            record(
              {
                ...finishedFields,
                label: `${label}_a2`,
                attempt: 2,
                startedAt: new Date(endMs + 3_700_000).toISOString(),
                finishedAt: new Date(endMs + 3_700_000 + seconds * 1000).toISOString(),
              },
              endMs + 3_700_000 + seconds * 1000,
            );
            mark(db, 'F');
          } else {
            mark(db, 'F');
          }
        } else {
          record(
            {
              state,
              reason,
              durationSeconds: state === 'SKIPPED' ? null : seconds,
              ...(state === 'SKIPPED' ? { startedAt: null, finishedAt: null } : {}),
            },
            endMs,
          );
          mark(db, state === 'FAILED' ? 'X' : state === 'TIMED_OUT' ? 'T' : 'S');
        }
        if (db === known && night === knownNight) {
          knownFailure = { cluster: plan.name, database: db.name, day, label, reason: reason ?? '' };
        }
      }
    }
  }

  // Pins: a recent snapshot, and one old enough that only the pin keeps it.
  for (const [db, back] of [
    [pick(prodDbs, 0), 5],
    [pick(prodDbs, 9), options.days - 5],
  ] as const) {
    const labels = finishedLabels.get(`prod/${db?.name}`) ?? [];
    const label = labels[Math.max(0, labels.length - back)];
    if (db && label) pinned.push({ cluster: 'prod', database: db.name, label });
  }

  const drills: NewDrillRecord[] = [];
  for (const [cluster, database, weekday] of [
    ['prod', config.clusters[0]?.drill?.database ?? 'sales', 0],
    ['analytics', config.clusters[1]?.drill?.database ?? 'events', 6],
  ] as const) {
    const labels = finishedLabels.get(`${cluster}/${database}`) ?? [];
    for (let day = 0; day < options.days; day += 1) {
      const startMs = fromMs + day * DAY_MS + (cluster === 'prod' ? 6 : 7) * 3_600_000;
      if (new Date(startMs).getUTCDay() !== weekday || startMs > options.nowMs) continue;
      const failed = cluster === 'prod' && day >= options.days - 21 && day < options.days - 14;
      const duration = Math.round((cluster === 'prod' ? 1500 : 700) * (0.85 + rand() * 0.4));
      drills.push({
        cluster,
        database,
        label: labels[Math.max(0, labels.length - (options.days - day))] ?? 'unknown',
        repository: cluster === 'prod' ? 's3_repo' : 's3_analytics',
        snapshotTimestamp: null,
        scratchDatabase: `drill_${database}_${new Date(startMs).toISOString().slice(0, 16).replace(/[-:T]/g, '')}`,
        runId: `arn:aws:states:eu-west-1:123456789012:execution:RestoreDrill:${cluster}-${day}`,
        startedAt: new Date(startMs).toISOString(),
        finishedAt: new Date(startMs + duration * 1000).toISOString(),
        durationSeconds: failed ? null : duration,
        state: failed ? 'FAILED' : 'FINISHED',
        reason: failed
          ? 'RESTORE failed: [COMMON_ERROR, msg: download snapshot of tablet 30442 failed]'
          : null,
        tableCount: failed ? null : 12,
        emptyTables: [],
        rowCount: failed ? null : 1_204_331 + day,
        scratchDropped: true,
      });
    }
  }

  const drift: IncidentReport[] = [
    {
      cluster: 'prod',
      type: 'drift',
      database: 'tmp_import_2026',
      cause: 'uncovered',
      summary: 'tmp_import_2026 is not covered by any schedule',
      fields: [],
    },
  ];

  if (knownFailure === undefined)
    throw new Error('the seed has no known failure: use more days or databases');
  return {
    config,
    attempts,
    lost,
    pinned,
    drills,
    pausedSlots,
    drift,
    period: { fromMs, toMs: options.nowMs, days: options.days },
    truth,
    failedAttempts,
    knownFailure,
    anomaly: { cluster: 'prod', database: anomalyDb.name, day: dayOf(fromMs) + (anomalyNight - historyDays) },
  };
}
