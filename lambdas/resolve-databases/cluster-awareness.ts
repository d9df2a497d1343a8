/**
 * What the run learns about the cluster before it backs anything up: the StarRocks version (which decides the
 * BACKUP syntax, whether views may be in a whole-database backup, and whether DROP SNAPSHOT exists) and the run
 * mode (StarRocks cannot BACKUP a shared-data cluster).
 */
import { StarRocksAccessDeniedError, UnsupportedClusterError } from '../shared/errors.ts';
import type { AppLogger } from '../shared/logger.ts';
import {
  capabilitiesOf,
  formatVersion,
  isSupportedVersion,
  type RunMode,
  type StarRocksCapabilities,
  type StarRocksVersion,
} from '../starrocks/index.ts';

/** The FE calls cluster detection makes. */
export interface ClusterProbe {
  currentVersion(): Promise<StarRocksVersion>;
  runMode(): Promise<RunMode>;
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
 * @throws UnsupportedClusterError for a shared-data cluster (BACKUP and RESTORE do not support it).
 */
export async function inspectCluster(
  probe: ClusterProbe,
  cluster: { readonly name: string; readonly host: string; readonly port: number },
  logger: AppLogger,
): Promise<FrontEndFacts> {
  const version = await probe.currentVersion();
  if (!isSupportedVersion(version)) {
    logger.warn('StarRocks version outside the tested range (3.0–3.5); continuing', {
      version: formatVersion(version),
    });
  }
  let runMode: FrontEndFacts['runMode'];
  try {
    runMode = await probe.runMode();
  } catch (error) {
    if (!(error instanceof StarRocksAccessDeniedError)) throw error;
    // Without OPERATE the mode cannot be read; a shared-data cluster then fails at BACKUP with StarRocks' own text.
    logger.warn('cannot read the cluster run mode (needs the OPERATE privilege); assuming shared-nothing', {
      cluster: cluster.name,
    });
    runMode = 'unknown';
  }
  if (runMode === 'shared_data') {
    throw new UnsupportedClusterError(
      `cluster ${cluster.name} (${cluster.host}:${cluster.port}) is a shared-data cluster (run_mode = shared_data, ` +
        `StarRocks ${formatVersion(version)}): StarRocks does not support BACKUP or RESTORE on shared-data clusters, ` +
        'so this scheduler cannot back it up. Remove the cluster from the configuration (or disable its schedules).',
    );
  }
  return { version: formatVersion(version), runMode, capabilities: capabilitiesOf(version) };
}
