/** `sr-backup snapshots`: the snapshot catalog, newest first. */
import type { BackupAttempt } from '#domain/catalog/index.ts';
import {
  type ClusterSnapshotRecord,
  createCatalogStore,
  createClusterSnapshotRecords,
} from '#domain/catalog/index.ts';
import { formatDuration } from '#domain/time-format.ts';
import { loadConfigFile } from '#local/config/load.ts';
import type { Colors } from '../format/color.ts';
import { colorState } from '../format/results.ts';
import { formatTable } from '../format/table.ts';
import { formatUtc } from '../format/time.ts';
import { isolateFromAwsSettings } from '../support/aws-isolation.ts';
import { EXIT, type ExitCode } from '../support/cli-error.ts';
import { explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { type LocalStore, openLocalStore, storeIsAbsent, storeLocation } from '../support/local-store.ts';
import { reportError } from '../support/report.ts';
import { selectClusters } from '../support/selection.ts';
import { newestAttempts } from './catalog-reader.ts';

/** Options of `sr-backup snapshots`. */
export interface SnapshotsCommandOptions {
  readonly config: string;
  readonly cluster?: string;
  readonly database?: string[];
  readonly limit: number;
  readonly stateDir?: string;
  readonly dynamodbEndpoint?: string;
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
}

function toJson(attempt: BackupAttempt): SnapshotJson {
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

/** The catalog as a table, newest first. */
export function formatSnapshotsTable(
  attempts: readonly BackupAttempt[],
  colors: Colors,
  options: { readonly showCluster: boolean; readonly indent?: string },
): string {
  const columns = [
    ...(options.showCluster ? [{ header: 'CLUSTER' }] : []),
    { header: 'DATABASE' },
    { header: 'STATE' },
    { header: 'SLOT (UTC)' },
    { header: 'SNAPSHOT' },
    { header: 'DURATION', align: 'right' as const },
    { header: 'SIZE', align: 'right' as const },
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
    [
      attempt.lostAt === undefined
        ? ''
        : `LOST (gone from the repository since ${formatUtc(attempt.lostAt)})`,
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
  let store: LocalStore | undefined;
  try {
    const config = await loadConfigFile(options.config);
    const clusters = selectClusters(config, options.cluster, options.config);
    const location = storeLocation(options);
    const attempts: BackupAttempt[] = [];
    const clusterSnapshots: ClusterSnapshotRecord[] = [];
    if (storeIsAbsent(location)) {
      if (!options.json) {
        io.stdout.write(
          `No local catalog in ${location.kind === 'state-dir' ? location.stateDir : ''} yet: \`sr-backup run --config ${options.config}\` creates it.\n`,
        );
      }
    } else {
      isolateFromAwsSettings(io.env);
      store = await openLocalStore(location);
      const catalog = createCatalogStore({
        client: store.client,
        tableName: store.tables.catalogTableName,
        clock: io.clock,
      });
      const records = createClusterSnapshotRecords({
        client: store.client,
        tableName: store.tables.catalogTableName,
        clock: io.clock,
      });
      for (const { cluster } of clusters) {
        if (options.database === undefined) {
          clusterSnapshots.push(...(await records.list({ cluster: cluster.name, limit: options.limit })));
        }
        for (const database of options.database ?? [undefined]) {
          attempts.push(
            ...(await newestAttempts(catalog, { cluster: cluster.name, database, limit: options.limit })),
          );
        }
      }
    }
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ snapshots: attempts.map(toJson), clusterSnapshots }, null, 2)}\n`);
    } else if (store) {
      if (clusterSnapshots.length > 0) {
        io.stdout.write(`${formatClusterSnapshotsTable(clusterSnapshots, colors.out)}\n`);
      }
      if (attempts.length === 0 && clusterSnapshots.length > 0) {
        // A shared-data cluster has cluster snapshots only.
      } else if (attempts.length === 0) {
        io.stdout.write(
          `The catalog in ${store.description} holds no backups${options.database ? ' of that database' : ''} yet.\n`,
        );
      } else {
        io.stdout.write(
          `${formatSnapshotsTable(attempts, colors.out, { showCluster: config.clusters.length > 1 && clusters.length > 1 })}\n`,
        );
      }
    }
    return EXIT.ok;
  } catch (error) {
    const explained = explainError(error, {
      configPath: options.config,
      dynamodbEndpoint: options.dynamodbEndpoint,
    });
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return explained.exitCode;
  } finally {
    await store?.close();
  }
}
