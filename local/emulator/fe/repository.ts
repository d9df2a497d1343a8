import type { CatalogTable } from './catalog.ts';

/** One `__info_<timestamp>.<md5>` file: a complete snapshot written by a job of `database`. */
export interface SnapshotInfoFile {
  /** `yyyy-MM-dd-HH-mm-ss-SSS` in the FE JVM's zone (the job's CreateTime). */
  readonly timestamp: string;
  readonly database: string;
  readonly createdAt: number;
  /** The tables (with their row counts at backup time) the snapshot holds: what a RESTORE recreates. */
  readonly tables: readonly CatalogTable[];
  /** 4.2+: the cluster that wrote it (its job info records it); `undefined` for older snapshots. */
  readonly clusterId: number | undefined;
}

/** One `__ss_<name>/` directory of a repository, as an S3 listing shows it. */
export interface SnapshotDirectory {
  readonly name: string;
  readonly infoFiles: readonly SnapshotInfoFile[];
  /** Database of the directory's first writer (for inspection only; StarRocks reads it from the info file). */
  readonly database: string;
}

/** A snapshot directory that existed before the emulator started. */
export interface SeededSnapshot {
  readonly name: string;
  readonly database: string;
  readonly createdAt: number;
  readonly timestamp: string;
  readonly complete: boolean;
  readonly tables: readonly CatalogTable[];
  readonly clusterId: number | undefined;
}

/** A contribution of a BACKUP job to its repository: the dir once the upload started, the info file once done. */
export interface JobContribution {
  readonly name: string;
  readonly database: string;
  readonly dirSince: number;
  readonly info: SnapshotInfoFile | undefined;
  readonly infoWrittenAt: number | undefined;
}

/** A repository (`__starrocks_repository_<name>/` under its location). */
export class RepositoryState {
  private readonly seeded = new Map<string, SeededSnapshot>();
  /** Name → last time its directory was deleted by hand (the only way to delete before 4.2). */
  private readonly deletedAt = new Map<string, number>();
  /** Snapshot name → the error listing its directory fails with (a broker or object-store outage). */
  readonly listingFailures = new Map<string, string>();

  constructor(
    readonly id: number,
    readonly name: string,
    readonly location: string,
    readonly readOnly: boolean,
    readonly createdAt: number,
  ) {}

  /** Registers a snapshot that exists at start. */
  seed(snapshot: SeededSnapshot): void {
    this.seeded.set(snapshot.name, snapshot);
  }

  /** Deletes every object under `__ss_<name>/` at `now`. */
  deleteSnapshot(name: string, now: number): void {
    this.seeded.delete(name);
    this.deletedAt.set(name, now);
  }

  /**
   * Repository.getSnapshotInfoFile / download: lists `__ss_<name>/__info_<timestamp>*` and reads the one file
   * found. The error texts are Status messages (SHOW SNAPSHOT prefixes them with `Failed to get info: `,
   * RESTORE wraps them in `Failed to get info of snapshot …`).
   */
  readInfo(
    directory: SnapshotDirectory | undefined,
    name: string,
    timestamp: string,
  ): { readonly file: SnapshotInfoFile } | { readonly error: string } {
    const remotePath = `${this.rootPath()}/__ss_${name}/__info_${timestamp}`;
    const matching = (directory?.infoFiles ?? []).filter((file) => file.timestamp.startsWith(timestamp));
    if (matching.length !== 1) {
      return { error: `Expected one file with path: ${remotePath}. get: ${matching.length}` };
    }
    const file = matching[0] as SnapshotInfoFile;
    if (file.timestamp !== timestamp) return { error: `File does not exist: ${remotePath}` };
    return { file };
  }

  /** `<location>/__starrocks_repository_<repo>` as Repository.java joins it. */
  rootPath(): string {
    return `${this.location}/__starrocks_repository_${this.name}`;
  }

  /**
   * The snapshot directories now, in S3 listing order (UTF-8 byte order of the key).
   * @param contributions what this repository's BACKUP jobs have written so far
   */
  directories(contributions: readonly JobContribution[]): SnapshotDirectory[] {
    const byName = new Map<string, { database: string; infoFiles: SnapshotInfoFile[] }>();
    const entry = (name: string, database: string) => {
      let found = byName.get(name);
      if (!found) {
        found = { database, infoFiles: [] };
        byName.set(name, found);
      }
      return found;
    };
    for (const snapshot of this.seeded.values()) {
      const dir = entry(snapshot.name, snapshot.database);
      if (snapshot.complete) {
        dir.infoFiles.push({
          timestamp: snapshot.timestamp,
          database: snapshot.database,
          createdAt: snapshot.createdAt,
          tables: snapshot.tables,
          clusterId: snapshot.clusterId,
        });
      }
    }
    for (const contribution of contributions) {
      const deleted = this.deletedAt.get(contribution.name) ?? Number.NEGATIVE_INFINITY;
      if (
        contribution.dirSince <= deleted &&
        (contribution.infoWrittenAt ?? Number.NEGATIVE_INFINITY) <= deleted
      )
        continue;
      const dir = entry(contribution.name, contribution.database);
      if (contribution.info && (contribution.infoWrittenAt as number) > deleted)
        dir.infoFiles.push(contribution.info);
    }
    return [...byName.entries()]
      .sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
      .map(([name, dir]) => ({
        name,
        database: dir.database,
        infoFiles: [...dir.infoFiles].sort((a, b) =>
          a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0,
        ),
      }));
  }
}
