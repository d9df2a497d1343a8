/** `sr-backup snapshots`: the snapshot catalog, newest first. */
import {
  type BackupAttempt,
  backupModeOf,
  type CatalogStore,
  type ClusterSnapshotRecord,
  chainSnapshotsOf,
  createCatalogStore,
  createClusterSnapshotRecords,
  isGoodSnapshot,
} from '#domain/catalog/index.ts';
import { type UnrestorableReason, unrestorableReason } from '#domain/differential/chain.ts';
import { formatDuration } from '#domain/time-format.ts';
import { loadConfigFile } from '#local/config/load.ts';
import {
  type LifecycleStoreOptions,
  type LifecycleTables,
  openLifecycleTables,
  reportLifecycleError,
  targetsDeployed,
} from '../commands/lifecycle-tables.ts';
import type { Colors } from '../format/color.ts';
import { colorState } from '../format/results.ts';
import { formatTable } from '../format/table.ts';
import { formatUtc } from '../format/time.ts';
import { EXIT, type ExitCode } from '../support/cli-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { storeIsAbsent, storeLocation } from '../support/local-store.ts';
import { type SinceOption, type SNAPSHOT_STATE_FILTERS, sinceInstant } from '../support/option-parsers.ts';
import { selectClusters } from '../support/selection.ts';
import { newestAttempts } from './catalog-reader.ts';

/** Options of `sr-backup snapshots`. */
export interface SnapshotsCommandOptions extends LifecycleStoreOptions {
  readonly config: string;
  readonly cluster?: string;
  readonly database?: string[];
  readonly limit: number;
  /** Only attempts in one of these states or with one of these marks. */
  readonly state?: Array<(typeof SNAPSHOT_STATE_FILTERS)[number]>;
  /** Only attempts of slots at or after this. */
  readonly since?: SinceOption;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** One catalog entry in `--json`. */
export interface SnapshotJson {
  readonly cluster: string;
  readonly database: string;
  readonly schedule: string;
  readonly snapshot: string;
  readonly state: BackupAttempt['state'];
  readonly scheduledTime: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationSeconds: number | null;
  readonly sizeBytes: number | null;
  readonly tableCount: number | null;
  readonly repository: string;
  readonly snapshotTimestamp: string | null;
  readonly verified: boolean;
  readonly reason: string | null;
  readonly error: string | null;
  /** The kinds of object the snapshot holds (TABLE, MATERIALIZED_VIEW, VIEW, FUNCTION), when recorded. */
  readonly objects: readonly string[] | null;
  /** What the backup left out and why. */
  readonly omitted: readonly { readonly name: string; readonly kind: string; readonly why: string }[];
  /** When a later attempt found the snapshot gone from the repository. */
  readonly lostAt: string | null;
  /** Retention keeps it whatever its age (`sr-backup pin`). */
  readonly pinned: boolean;
  /** When retention dropped it from the repository. */
  readonly prunedAt: string | null;
  /**
   * Whether a restore can use it: a verified FINISHED snapshot neither pruned nor lost, and for a differential, whose
   * full is one too.
   */
  readonly restorable: boolean;
  /** `full`, or `differential` (EXPERIMENTAL, issue 20): only the partitions changed since `baseLabel`. */
  readonly mode: 'full' | 'differential';
  /** The full a differential was taken against; null for a full. */
  readonly baseLabel: string | null;
  /** Why a verified differential is no restorable point (`base-pruned`, `base-lost`, …); null otherwise. */
  readonly chainProblem: UnrestorableReason | null;
}

/** Chain problems of the verified differentials among `attempts`, by `cluster/database/label`. */
type ChainProblems = ReadonlyMap<string, UnrestorableReason>;

const chainKey = (attempt: Pick<BackupAttempt, 'cluster' | 'database' | 'label'>) =>
  `${attempt.cluster}\u0000${attempt.database}\u0000${attempt.label}`;

/**
 * Why each verified differential of `attempts` cannot be restored (absent when it can): its full must be restorable
 * too. A full outside the listed attempts (older than `--since`, past `--limit`) is read from the catalog.
 */
async function chainProblemsOf(
  catalog: Pick<CatalogStore, 'findSnapshot'>,
  attempts: readonly BackupAttempt[],
): Promise<ChainProblems> {
  const problems = new Map<string, UnrestorableReason>();
  for (const attempt of attempts) {
    if (backupModeOf(attempt) !== 'differential' || !isGoodSnapshot(attempt)) continue;
    const base = attempt.baseLabel;
    const ref = { cluster: attempt.cluster, database: attempt.database };
    const listedBase =
      base === undefined
        ? []
        : attempts.filter((other) => chainKey(other) === chainKey({ ...ref, label: base }));
    const baseItems =
      base === undefined || listedBase.length > 0
        ? listedBase
        : await catalog.findSnapshot({ ...ref, label: base });
    const chain = chainSnapshotsOf([attempt, ...baseItems]);
    const own = chain.find((snapshot) => snapshot.label === attempt.label);
    const reason = own === undefined ? null : unrestorableReason(own, chain);
    if (reason !== null) problems.set(chainKey(attempt), reason);
  }
  return problems;
}

/** The marks of an attempt, as `--state` names them. */
function marksOf(attempt: BackupAttempt): Array<'PINNED' | 'PRUNED' | 'LOST'> {
  return [
    ...(attempt.pinned === true ? (['PINNED'] as const) : []),
    ...(attempt.prunedAt === undefined ? [] : (['PRUNED'] as const)),
    ...(attempt.lostAt === undefined ? [] : (['LOST'] as const)),
  ];
}

/** Whether `attempt` is in one of `states` or carries one of them as a mark. */
export function matchesStateFilter(
  attempt: BackupAttempt,
  states: readonly (typeof SNAPSHOT_STATE_FILTERS)[number][],
): boolean {
  const marks: readonly string[] = marksOf(attempt);
  return states.some((state) => state === attempt.state || marks.includes(state));
}

function toJson(attempt: BackupAttempt, problems: ChainProblems): SnapshotJson {
  const chainProblem = problems.get(chainKey(attempt)) ?? null;
  return {
    cluster: attempt.cluster,
    database: attempt.database,
    schedule: attempt.schedule,
    snapshot: attempt.label,
    state: attempt.state,
    scheduledTime: attempt.scheduledTime,
    startedAt: attempt.startedAt,
    finishedAt: attempt.finishedAt,
    durationSeconds: attempt.durationSeconds,
    sizeBytes: attempt.sizeBytes,
    tableCount: attempt.tableCount,
    repository: attempt.repository,
    snapshotTimestamp: attempt.snapshotTimestamp,
    verified: attempt.verified,
    reason: attempt.reason,
    error: attempt.state === 'FINISHED' ? null : attempt.reason,
    objects: attempt.objects ?? null,
    omitted: (attempt.omitted ?? []).map(({ name, kind, why }) => ({ name, kind, why })),
    lostAt: attempt.lostAt ?? null,
    pinned: attempt.pinned === true,
    prunedAt: attempt.prunedAt ?? null,
    restorable:
      attempt.state === 'FINISHED' &&
      attempt.verified &&
      attempt.prunedAt === undefined &&
      attempt.lostAt === undefined &&
      chainProblem === null,
    mode: backupModeOf(attempt),
    baseLabel: attempt.baseLabel ?? null,
    chainProblem,
  };
}

/** The recorded automated Cluster Snapshots of shared-data clusters, newest first. */
export function formatClusterSnapshotsTable(
  records: readonly ClusterSnapshotRecord[],
  colors: Colors,
): string {
  return formatTable(
    [
      { header: 'CLUSTER' },
      { header: 'CLUSTER SNAPSHOT' },
      { header: 'TAKEN (UTC)' },
      { header: 'STORAGE VOLUME' },
    ],
    records.map((record) => [
      record.cluster,
      record.name,
      formatUtc(record.createdAt),
      record.storageVolume ?? '-',
    ]),
    { styleHeader: colors.bold },
  );
}

/** `1.2 GiB`, `80.0 MiB`, `512 B`. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** What the table says of a differential that is no restorable point. */
function chainNote(reason: UnrestorableReason | undefined): string {
  if (reason === undefined) return '';
  const why: Record<UnrestorableReason, string> = {
    'not-verified': 'never verified',
    pruned: 'pruned',
    lost: 'gone from the repository',
    'no-base': 'names no full',
    'base-missing': 'full not in the catalog',
    'base-not-full': 'base is not a full',
    'base-not-verified': 'full never verified',
    'base-pruned': 'full pruned',
    'base-lost': 'full gone from the repository',
  };
  return `NOT RESTORABLE (${why[reason]})`;
}

/** The catalog as a table, newest first. */
export function formatSnapshotsTable(
  attempts: readonly BackupAttempt[],
  colors: Colors,
  options: {
    readonly showCluster: boolean;
    readonly indent?: string;
    readonly chainProblems?: ChainProblems;
  },
): string {
  const columns = [
    ...(options.showCluster ? [{ header: 'CLUSTER' }] : []),
    { header: 'DATABASE' },
    { header: 'STATE' },
    { header: 'SLOT (UTC)' },
    { header: 'SNAPSHOT' },
    { header: 'DURATION', align: 'right' as const },
    { header: 'SIZE', align: 'right' as const },
    { header: 'MARKS' },
    { header: 'DETAILS', maxWidth: 80 },
  ];
  const rows = attempts.map((attempt) => [
    ...(options.showCluster ? [attempt.cluster] : []),
    attempt.database,
    colorState(attempt.state, colors),
    formatUtc(attempt.scheduledTime),
    attempt.label,
    attempt.durationSeconds === null ? '-' : formatDuration(attempt.durationSeconds),
    formatBytes(attempt.sizeBytes),
    marksOf(attempt).join(' ') || '-',
    [
      // The verdict first: DETAILS is cut at 80 characters, and a label is about 40.
      chainNote(options.chainProblems?.get(chainKey(attempt))),
      attempt.baseLabel === undefined ? '' : `differential of ${attempt.baseLabel}`,
      attempt.prunedAt === undefined ? '' : `pruned ${formatUtc(attempt.prunedAt)}`,
      attempt.lostAt === undefined ? '' : `gone from the repository since ${formatUtc(attempt.lostAt)}`,
      attempt.reason ?? '',
    ]
      .filter((part) => part !== '')
      .join('; '),
  ]);
  return formatTable(columns, rows, {
    styleHeader: colors.bold,
    ...(options.indent === undefined ? {} : { indent: options.indent }),
  });
}

/** Runs the command; resolves with the exit status. */
export async function runSnapshotsCommand(
  options: SnapshotsCommandOptions,
  io: CommandIo,
): Promise<ExitCode> {
  const colors = colorsFor(io);
  let store: LifecycleTables | undefined;
  try {
    const config = await loadConfigFile(options.config);
    const clusters = selectClusters(config, options.cluster, options.config);
    const location = storeLocation(options);
    const since = options.since === undefined ? undefined : sinceInstant(options.since, io.clock.now());
    const states = options.state;
    const keep =
      states === undefined ? undefined : (attempt: BackupAttempt) => matchesStateFilter(attempt, states);
    const attempts: BackupAttempt[] = [];
    let chainProblems: ChainProblems = new Map();
    const clusterSnapshots: ClusterSnapshotRecord[] = [];
    if (!targetsDeployed(options, io.env) && storeIsAbsent(location)) {
      if (!options.json) {
        io.stdout.write(
          `No local catalog in ${location.kind === 'state-dir' ? location.stateDir : ''} yet: \`sr-backup run --config ${options.config}\` creates it.\n`,
        );
      }
    } else {
      store = await openLifecycleTables(options, io, { locks: false, readOnly: true });
      const catalog = createCatalogStore({
        client: store.client,
        tableName: store.catalogTableName,
        clock: io.clock,
      });
      const records = createClusterSnapshotRecords({
        client: store.client,
        tableName: store.catalogTableName,
        clock: io.clock,
      });
      for (const { cluster } of clusters) {
        if (options.database === undefined && states === undefined && since === undefined) {
          clusterSnapshots.push(...(await records.list({ cluster: cluster.name, limit: options.limit })));
        }
        for (const database of options.database ?? [undefined]) {
          attempts.push(
            ...(await newestAttempts(catalog, {
              cluster: cluster.name,
              database,
              limit: options.limit,
              since,
              keep,
            })),
          );
        }
      }
      chainProblems = await chainProblemsOf(catalog, attempts);
    }
    if (options.json) {
      io.stdout.write(
        `${JSON.stringify({ snapshots: attempts.map((attempt) => toJson(attempt, chainProblems)), clusterSnapshots }, null, 2)}\n`,
      );
    } else if (store) {
      if (clusterSnapshots.length > 0) {
        io.stdout.write(`${formatClusterSnapshotsTable(clusterSnapshots, colors.out)}\n`);
      }
      if (attempts.length === 0 && clusterSnapshots.length > 0) {
        // A shared-data cluster has cluster snapshots only.
      } else if (attempts.length === 0) {
        io.stdout.write(
          states !== undefined || since !== undefined
            ? `No backup in ${store.description} matches${states ? ` --state ${states.join(',')}` : ''}${since ? ` --since ${formatUtc(since)}` : ''}.\n`
            : `The catalog in ${store.description} holds no backups${options.database ? ' of that database' : ''} yet.\n`,
        );
      } else {
        io.stdout.write(
          `${formatSnapshotsTable(attempts, colors.out, { showCluster: config.clusters.length > 1 && clusters.length > 1, chainProblems })}\n`,
        );
      }
    }
    return EXIT.ok;
  } catch (error) {
    return reportLifecycleError(error, {
      io,
      colors: colors.err,
      options,
      catalogTable: store?.catalogTableName,
    });
  } finally {
    await store?.close();
  }
}
