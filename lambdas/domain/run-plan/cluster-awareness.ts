/**
 * What the run learns about the cluster before it backs anything up: the StarRocks version (which decides the
 * BACKUP syntax and which objects a backup holds, lambdas/domain/starrocks/version.ts) and the run mode (StarRocks cannot
 * BACKUP a shared-data cluster; it has automated Cluster Snapshots instead).
 */
import {
  StarRocksAccessDeniedError,
  UnknownRepositoryError,
  UnsupportedClusterError,
} from '#domain/errors.ts';
import type { AppLogger } from '#domain/logger.ts';
import {
  capabilitiesOf,
  formatVersion,
  isSupportedVersion,
  type RepositoryInfo,
  type RunMode,
  type StarRocksCapabilities,
  type StarRocksVersion,
  SUPPORTED_LINES,
  sharedDataRefusal,
} from '#domain/starrocks/index.ts';

/** The FE calls cluster detection makes. */
export interface ClusterProbe {
  currentVersion(): Promise<StarRocksVersion>;
  runMode(): Promise<RunMode>;
  showRepositories(): Promise<RepositoryInfo[]>;
}

/** What the run knows about the FE (it travels in `$.plan.frontEnd`). */
export interface FrontEndFacts {
  /** `3.3.9`. */
  readonly version: string;
  /** `unknown` when the backup user lacks OPERATE (ADMIN SHOW FRONTEND CONFIG needs it). */
  readonly runMode: RunMode | 'unknown';
  readonly capabilities: StarRocksCapabilities;
}

/**
 * Reads the FE's version and run mode, and refuses a cluster StarRocks cannot back up.
 * @throws UnsupportedClusterError for a shared-data cluster, naming Cluster Snapshot and how to turn it on.
 */
export async function inspectCluster(
  probe: ClusterProbe,
  cluster: {
    readonly name: string;
    readonly host: string;
    readonly port: number;
    readonly repository: string;
  },
  logger: AppLogger,
): Promise<FrontEndFacts> {
  const version = await probe.currentVersion();
  if (!isSupportedVersion(version)) {
    logger.warn(`StarRocks version outside the tested lines (${SUPPORTED_LINES.join(', ')}); continuing`, {
      version: formatVersion(version),
    });
  }
  let runMode: FrontEndFacts['runMode'];
  try {
    runMode = await probe.runMode();
  } catch (error) {
    if (!(error instanceof StarRocksAccessDeniedError)) throw error;
    // Without OPERATE the mode cannot be read; a shared-data cluster is then recognised by the table type its
    // BACKUP refusal names (CLOUD_NATIVE from 3.4, an OLAP-looking table "not a OLAP table" before).
    logger.warn('cannot read the cluster run mode (needs the OPERATE privilege); assuming shared-nothing', {
      cluster: cluster.name,
    });
    runMode = 'unknown';
  }
  if (runMode === 'shared_data') {
    throw new UnsupportedClusterError(
      sharedDataRefusal(cluster, formatVersion(version), 'run_mode = shared_data'),
    );
  }
  await requireRepository(probe, cluster);
  return { version: formatVersion(version), runMode, capabilities: capabilitiesOf(version) };
}

/**
 * The cluster's repository must exist and be writable before any database is tried: every BACKUP of the run would
 * fail the same way (`Repository <r> does not exist`, `… is read only`, backup/BackupHandler.java), so it ends the
 * run with one error instead of one per database.
 * @throws UnknownRepositoryError
 */
async function requireRepository(
  probe: ClusterProbe,
  cluster: {
    readonly name: string;
    readonly host: string;
    readonly port: number;
    readonly repository: string;
  },
): Promise<void> {
  const repositories = await probe.showRepositories();
  const repository = repositories.find((candidate) => candidate.name === cluster.repository);
  if (repository === undefined) {
    const known = repositories.map((candidate) => candidate.name);
    throw new UnknownRepositoryError(
      `repository ${cluster.repository} does not exist on ${cluster.host}:${cluster.port} (SHOW REPOSITORIES lists ` +
        `${known.length === 0 ? 'none' : known.join(', ')}): create it (CREATE REPOSITORY) or fix clusters[].repository`,
    );
  }
  if (repository.readOnly) {
    throw new UnknownRepositoryError(
      `repository ${cluster.repository} on ${cluster.host}:${cluster.port} is read only: BACKUP cannot write to it`,
    );
  }
}
