import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { isValidDatabaseName } from './fe/names.ts';
import { createFeTimeZone } from './fe/time-zone.ts';
import { resolveProfile } from './profiles.ts';

/** The kind of a table; OLAP tables, MVs (3.2+) and views (3.4+) can be backed up. */
export type TableType = 'OLAP' | 'VIEW' | 'MATERIALIZED_VIEW' | 'EXTERNAL';

/**
 * How a table is partitioned (catalog/PartitionInfo): `LIST` (PARTITION BY LIST, 3.1+) and `AUTOMATIC_LIST`
 * (`PARTITION BY (col)`, 3.1+) are both ListPartitionInfo, which older patches refuse in BACKUP.
 */
export type Partitioning = 'UNPARTITIONED' | 'RANGE' | 'LIST' | 'AUTOMATIC_LIST';

/** How a database's BACKUP jobs end. */
export type BackupOutcome =
  | 'finish'
  | 'hang'
  | {
      /** StarRocks Status text, e.g. `[COMMON_ERROR, msg: failed to choose replica to make snapshot for tablet 10042. visible version: 5]`. */
      readonly cancelWithStatus: string;
      /** The state whose end the job dies at (default UPLOADING: the snapshot dir is left behind without an info file). */
      readonly atState?: 'SNAPSHOTING' | 'UPLOADING' | 'UPLOAD_INFO';
    };

/** How a database's RESTORE jobs end (the database the restore writes into). */
export type RestoreOutcome =
  | 'finish'
  | 'hang'
  | {
      /** StarRocks Status text, e.g. `[COMMON_ERROR, msg: Failed to read backup meta from file]`. */
      readonly cancelWithStatus: string;
      /** The state whose end the job dies at (default DOWNLOADING). */
      readonly atState?: 'SNAPSHOTING' | 'DOWNLOADING' | 'COMMITTING';
    };

/**
 * What a non-root user may do (privilege/PrivilegeType.java: REPOSITORY on SYSTEM, EXPORT on tables). Given at all, every field defaults to "no"; a user without
 * `privileges` (and root always) may do everything.
 */
export interface UserPrivileges {
  /** `GRANT REPOSITORY ON SYSTEM`: BACKUP, RESTORE, SHOW/CANCEL BACKUP and RESTORE, SHOW SNAPSHOT, DROP SNAPSHOT. */
  readonly repository?: boolean;
  /**
   * `GRANT EXPORT`: `'all'` (ALL TABLES IN ALL DATABASES), or entries `db` (ALL TABLES IN DATABASE db) and
   * `db.table` (one table; database names hold no `.`, so the first `.` splits).
   */
  readonly export?: 'all' | readonly string[];
  /**
   * The other privileges a restore drill needs, lumped together: CREATE DATABASE on the catalog, CREATE TABLE,
   * INSERT, SELECT and DROP on databases and tables, OPERATE on SYSTEM (ADMIN SHOW FRONTEND CONFIG).
   */
  readonly admin?: boolean;
}

/** A login of the emulated FE (mysql_native_password). */
export interface ScenarioUser {
  readonly name: string;
  readonly password: string;
  /** Active roles, shown in AccessDeniedException texts as `Current role(s): [r1, r2]` (default NONE). */
  readonly roles?: readonly string[];
  readonly privileges?: UserPrivileges;
}

/**
 * One partition of a scenario table (catalog/Partition, PhysicalPartitionImpl): what SHOW PARTITIONS and
 * information_schema.partitions_meta report of it, and what a BACKUP uploads of it.
 */
export interface ScenarioPartition {
  readonly name: string;
  /** RowCount / ROW_COUNT (default 0). */
  readonly rows?: number;
  /** DataSize / DATA_SIZE: one replica's bytes, what a BACKUP of the partition uploads (default 0). */
  readonly sizeBytes?: number;
  /**
   * VisibleVersion. Default 2 when it holds rows (one load after PARTITION_INIT_VERSION 1), else 1
   * (catalog/Partition.PARTITION_INIT_VERSION).
   */
  readonly visibleVersion?: number;
  /** VisibleVersionTime as ISO-8601 (default: the emulator's start). */
  readonly visibleVersionTime?: string;
  /** RANGE tables: `[from, to)`, compared as text (ISO dates compare in order); RestoreJob checks overlaps. */
  readonly range?: { readonly from: string; readonly to: string };
  /** LIST tables: the partition's values. */
  readonly values?: readonly string[];
}

/** A table of a scenario database. */
export interface ScenarioTable {
  readonly name: string;
  readonly type?: TableType;
  /**
   * Data size over all replicas, as SHOW DATA reports it. With `partitions` it is their sum and must not be
   * given.
   */
  readonly sizeBytes?: number;
  /** Row count; with `partitions` it is their sum and must not be given. */
  readonly rows?: number;
  /** Replica count SHOW DATA reports (default 3). */
  readonly replicaCount?: number;
  /** Default `UNPARTITIONED`; list partitioning needs a 3.1+ profile. */
  readonly partitioning?: Partitioning;
  /**
   * The table's partitions (OLAP tables and MVs). Absent: one partition named after the table holding the
   * table's `rows` and `sizeBytes` at visible version 2 (what the emulator always modelled).
   */
  readonly partitions?: readonly ScenarioPartition[];
  /**
   * An opaque text standing for everything RestoreJob.checkAndPrepareMeta compares when restoring into an
   * existing table (columns, keys, indexes, bloom filters, distribution, bucket num: OlapTable.getSignature).
   * Equal text = same schema. Default `v1`; `state.alterSchema` changes it.
   */
  readonly schema?: string;
  /** The table's `replication_num` (SHOW PARTITIONS' ReplicationNum; RestoreJob compares it). Default 3. */
  readonly replicationNum?: number;
}

/** A database of the emulated cluster. */
export interface ScenarioDatabase {
  readonly name: string;
  /**
   * `true`: a name FeNameFormat refuses today (a database an older release, or a replayed metadata image, left
   * behind; how such names arise is UNVERIFIED). SHOW DATABASES lists it; every statement that names it fails the
   * analyzer's checkDbName with `Incorrect database name '<db>'`.
   */
  readonly legacyName?: boolean;
  readonly tables: readonly ScenarioTable[];
  readonly backup?: {
    readonly durationMs?: number;
    readonly outcome?: BackupOutcome;
    /**
     * `false`: SHOW BACKUP's Progress column stays empty for this database's jobs (as on a build that reports
     * no upload progress, or a job with nothing to upload); state and times advance as usual. Default `true`.
     */
    readonly progress?: boolean;
    /** Overrides the scenario's `uploadBytesPerSecond` for this database's jobs. */
    readonly uploadBytesPerSecond?: number;
  };
  /** How RESTOREs into this database behave. */
  readonly restore?: { readonly durationMs?: number; readonly outcome?: RestoreOutcome };
}

/** A repository (`CREATE REPOSITORY`), already created. */
export interface ScenarioRepository {
  readonly name: string;
  readonly location: string;
  readonly readOnly?: boolean;
}

/** A snapshot that already exists in a repository when the emulator starts. */
export interface ScenarioSnapshot {
  readonly repository: string;
  readonly name: string;
  readonly database: string;
  /** ISO-8601 instant of the job's CreateTime (default: one day before start). */
  readonly createdAt?: string;
  /** `ERROR`: a `__ss_` directory without an info file (an interrupted upload). */
  readonly status?: 'OK' | 'ERROR';
  /** The tables the snapshot holds (default: the database's OLAP tables in the scenario), for RESTORE. */
  readonly tables?: readonly ScenarioTable[];
  /** 4.2+: the cluster id its info file records (DROP SNAPSHOT refuses another cluster's without FORCE). */
  readonly clusterId?: number;
}

/** A shared-data cluster's automated Cluster Snapshots (3.4.2+). */
export interface ScenarioClusterSnapshots {
  /** `ADMIN SET AUTOMATED CLUSTER SNAPSHOT ON` already given at start (default false). */
  readonly automated?: boolean;
  /** The storage volume it writes to (default `builtin_storage_volume`). */
  readonly storageVolume?: string;
  /** FE config `automated_cluster_snapshot_interval_seconds` (default 600). */
  readonly intervalSeconds?: number;
  /** How long one snapshot job takes (default 20 s). */
  readonly jobDurationSeconds?: number;
  /** Every job from now on ends in ERROR with this message (an unreachable storage volume, say). */
  readonly failWith?: string;
}

/** Everything that describes one emulated StarRocks cluster. */
export interface EmulatorScenario {
  /** Version profile by major.minor (`3.0` … `4.2`) or a full version (`3.3.11`). */
  readonly version: string;
  /**
   * The FE JVM's zone: IANA zone or `+08:00`; default `UTC`. SHOW SNAPSHOT's Timestamp (and `__info_` file names)
   * follow it (backup/Repository.jobInfoFileNameWithTimestamp uses a zone-less SimpleDateFormat).
   */
  readonly feTimeZone?: string;
  /**
   * The global `time_zone` variable, every new session's `time_zone` (default: the JVM zone, as
   * SessionVariable's default is). SHOW BACKUP / SHOW RESTORE / SHOW REPOSITORIES times follow the session's
   * `time_zone` (common/util/TimeUtils.longToTimeString).
   */
  readonly timeZone?: string;
  /** Automated Cluster Snapshots (shared-data clusters, 3.4.2+). */
  readonly clusterSnapshots?: ScenarioClusterSnapshots;
  /** Default `[{ name: 'root', password: '' }]`. */
  readonly users?: readonly ScenarioUser[];
  /** `run_mode` of the FE (ADMIN SHOW FRONTEND CONFIG); shared-data clusters cannot back up. Default shared_nothing. */
  readonly runMode?: 'shared_nothing' | 'shared_data';
  /** The FE's cluster id (4.2 snapshot ownership). Default 1234567890. */
  readonly clusterId?: number;
  readonly repositories: readonly ScenarioRepository[];
  readonly databases: readonly ScenarioDatabase[];
  readonly snapshots?: readonly ScenarioSnapshot[];
  /** Default 3000 ms. */
  readonly defaultBackupDurationMs?: number;
  /**
   * The BEs' combined upload rate. Given, a BACKUP's UPLOADING state lasts (bytes of the partitions it backs up)
   * / rate, the other states keep their share of the fixed duration; absent, every job takes its fixed duration.
   */
  readonly uploadBytesPerSecond?: number;
  /** RESTORE duration when a database sets none; default 3000 ms. */
  readonly defaultRestoreDurationMs?: number;
  /** Wire format of errors; defaults follow the profile (codes) and raw texts (no wrappers). */
  readonly errors?: {
    readonly codes?: 'legacy' | 'typed';
    readonly analyzerPrefix?: boolean;
    readonly unexpectedExceptionPrefix?: boolean;
  };
  /** Overrides the profile's SHOW BACKUP Progress format. */
  readonly progressFormat?: 'compact' | 'verbose';
}

/** A scenario file or object that does not describe a usable cluster; `issues` are `field.path: problem`. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  readonly issues: readonly string[];

  constructor(message: string, issues: readonly string[]) {
    super(message);
    this.issues = issues;
  }
}

const identifier = z.string().min(1, 'must not be empty');
const nonNegative = z.number().int().nonnegative();
const DATABASE_NAME_RULE =
  'not a database name StarRocks accepts: a letter (or "_" and a letter or digit), then letters, digits, "_" or -~!@#$%^&<>=+, at most 256 characters (set legacyName for a name an older release left behind)';
const timeZone = z.string().refine(
  (value) => {
    try {
      createFeTimeZone(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown time zone: use an IANA name (Asia/Shanghai) or an offset (+08:00)' },
);

const restoreOutcomeSchema = z.union([
  z.literal('finish'),
  z.literal('hang'),
  z.strictObject({
    cancelWithStatus: z.string().min(1),
    atState: z.enum(['SNAPSHOTING', 'DOWNLOADING', 'COMMITTING']).optional(),
  }),
]);

const partitionSchema = z.strictObject({
  name: identifier,
  rows: nonNegative.optional(),
  sizeBytes: nonNegative.optional(),
  visibleVersion: z.number().int().positive().optional(),
  visibleVersionTime: z.iso.datetime({ offset: true }).optional(),
  range: z.strictObject({ from: z.string(), to: z.string() }).optional(),
  values: z.array(z.string()).min(1).optional(),
});

const tableSchema = z
  .strictObject({
    name: identifier,
    type: z.enum(['OLAP', 'VIEW', 'MATERIALIZED_VIEW', 'EXTERNAL']).optional(),
    sizeBytes: nonNegative.optional(),
    rows: nonNegative.optional(),
    replicaCount: nonNegative.optional(),
    partitioning: z.enum(['UNPARTITIONED', 'RANGE', 'LIST', 'AUTOMATIC_LIST']).optional(),
    partitions: z.array(partitionSchema).min(1).optional(),
    schema: z.string().min(1).optional(),
    replicationNum: z.number().int().positive().optional(),
  })
  .superRefine((table, context) => {
    if (table.partitions === undefined) return;
    if (table.type === 'VIEW' || table.type === 'EXTERNAL') {
      context.addIssue({
        code: 'custom',
        path: ['partitions'],
        message: 'a view or external table has no partitions',
      });
    }
    if (table.rows !== undefined || table.sizeBytes !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['partitions'],
        message: 'give rows and sizeBytes per partition (the table holds their sum)',
      });
    }
    const seen = new Set<string>();
    table.partitions.forEach((partition, index) => {
      if (seen.has(partition.name)) {
        context.addIssue({
          code: 'custom',
          path: ['partitions', index, 'name'],
          message: `duplicate partition '${partition.name}'`,
        });
      }
      seen.add(partition.name);
    });
    if ((table.partitioning ?? 'UNPARTITIONED') === 'UNPARTITIONED' && table.partitions.length > 1) {
      context.addIssue({
        code: 'custom',
        path: ['partitioning'],
        message: 'an UNPARTITIONED table has one partition; set partitioning (RANGE, LIST, AUTOMATIC_LIST)',
      });
    }
  });

const privilegesSchema = z.strictObject({
  repository: z.boolean().optional(),
  export: z.union([z.literal('all'), z.array(identifier)]).optional(),
  admin: z.boolean().optional(),
});

const outcomeSchema = z.union([
  z.literal('finish'),
  z.literal('hang'),
  z.strictObject({
    cancelWithStatus: z.string().min(1),
    atState: z.enum(['SNAPSHOTING', 'UPLOADING', 'UPLOAD_INFO']).optional(),
  }),
]);

const scenarioSchema = z
  .strictObject({
    version: z.string().refine(
      (value) => {
        try {
          resolveProfile(value);
          return true;
        } catch {
          return false;
        }
      },
      {
        message:
          'unknown StarRocks version: use 3.0, 3.1, 3.2, 3.3, 3.4, 3.5, 4.0, 4.1 or 4.2 (optionally with a patch number)',
      },
    ),
    feTimeZone: timeZone.optional(),
    timeZone: timeZone.optional(),
    clusterSnapshots: z
      .strictObject({
        automated: z.boolean().optional(),
        storageVolume: identifier.optional(),
        intervalSeconds: z.number().int().positive().optional(),
        jobDurationSeconds: z.number().int().positive().optional(),
        failWith: z.string().min(1).optional(),
      })
      .optional(),
    users: z
      .array(
        z.strictObject({
          name: identifier,
          password: z.string(),
          roles: z.array(identifier).optional(),
          privileges: privilegesSchema.optional(),
        }),
      )
      .min(1)
      .optional(),
    runMode: z.enum(['shared_nothing', 'shared_data']).optional(),
    clusterId: z.number().int().positive().optional(),
    repositories: z.array(
      z.strictObject({ name: identifier, location: identifier, readOnly: z.boolean().optional() }),
    ),
    databases: z.array(
      z
        .strictObject({
          name: identifier,
          legacyName: z.boolean().optional(),
          tables: z.array(tableSchema),
          backup: z
            .strictObject({
              durationMs: z.number().int().positive().optional(),
              outcome: outcomeSchema.optional(),
              progress: z.boolean().optional(),
              uploadBytesPerSecond: z.number().positive().optional(),
            })
            .optional(),
          restore: z
            .strictObject({
              durationMs: z.number().int().positive().optional(),
              outcome: restoreOutcomeSchema.optional(),
            })
            .optional(),
        })
        .superRefine((database, context) => {
          if (database.legacyName !== true && !isValidDatabaseName(database.name)) {
            context.addIssue({ code: 'custom', path: ['name'], message: DATABASE_NAME_RULE });
          }
        }),
    ),
    snapshots: z
      .array(
        z.strictObject({
          repository: identifier,
          name: identifier,
          database: identifier,
          createdAt: z.iso.datetime({ offset: true }).optional(),
          status: z.enum(['OK', 'ERROR']).optional(),
          tables: z.array(tableSchema).optional(),
          clusterId: z.number().int().positive().optional(),
        }),
      )
      .optional(),
    defaultBackupDurationMs: z.number().int().positive().optional(),
    uploadBytesPerSecond: z.number().positive().optional(),
    defaultRestoreDurationMs: z.number().int().positive().optional(),
    errors: z
      .strictObject({
        codes: z.enum(['legacy', 'typed']).optional(),
        analyzerPrefix: z.boolean().optional(),
        unexpectedExceptionPrefix: z.boolean().optional(),
      })
      .optional(),
    progressFormat: z.enum(['compact', 'verbose']).optional(),
  })
  .superRefine((scenario, context) => {
    const duplicates = (
      names: readonly string[],
      path: (index: number) => (string | number)[],
      what: string,
    ): void => {
      const seen = new Set<string>();
      names.forEach((name, index) => {
        if (seen.has(name))
          context.addIssue({ code: 'custom', path: path(index), message: `duplicate ${what} '${name}'` });
        seen.add(name);
      });
    };
    duplicates(
      scenario.databases.map((database) => database.name),
      (index) => ['databases', index, 'name'],
      'database',
    );
    duplicates(
      scenario.repositories.map((repository) => repository.name),
      (index) => ['repositories', index, 'name'],
      'repository',
    );
    let listPartitioning = true;
    let version = scenario.version;
    try {
      const profile = resolveProfile(scenario.version);
      listPartitioning = profile.listPartitioning;
      version = profile.version;
    } catch {
      // The version's own check reports it.
    }
    scenario.databases.forEach((database, databaseIndex) => {
      if (database.legacyName !== true && !isValidDatabaseName(database.name)) {
        context.addIssue({
          code: 'custom',
          path: ['databases', databaseIndex, 'name'],
          message: DATABASE_NAME_RULE,
        });
      }
      database.tables.forEach((table, tableIndex) => {
        const list = table.partitioning === 'LIST' || table.partitioning === 'AUTOMATIC_LIST';
        if (list && !listPartitioning) {
          context.addIssue({
            code: 'custom',
            path: ['databases', databaseIndex, 'tables', tableIndex, 'partitioning'],
            message: `StarRocks ${version} has no list partitioning (it exists from 3.1)`,
          });
        }
      });
      duplicates(
        database.tables.map((table) => table.name),
        (index) => ['databases', databaseIndex, 'tables', index, 'name'],
        'table',
      );
    });
    if (scenario.clusterSnapshots !== undefined && scenario.runMode !== 'shared_data') {
      context.addIssue({
        code: 'custom',
        path: ['clusterSnapshots'],
        message: 'cluster snapshots exist only on shared-data clusters (runMode: shared_data)',
      });
    }
    const repositories = new Set(scenario.repositories.map((repository) => repository.name));
    (scenario.snapshots ?? []).forEach((snapshot, index) => {
      if (!repositories.has(snapshot.repository)) {
        context.addIssue({
          code: 'custom',
          path: ['snapshots', index, 'repository'],
          message: `no repository named '${snapshot.repository}'`,
        });
      }
    });
  });

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`,
  );
}

/**
 * Validates a scenario object.
 * @throws ScenarioError listing every problem with its field path
 */
export function validateScenario(input: unknown, source = 'scenario'): EmulatorScenario {
  const result = scenarioSchema.safeParse(input);
  if (!result.success) {
    const issues = formatIssues(result.error);
    throw new ScenarioError(`invalid ${source}:\n  ${issues.join('\n  ')}`, issues);
  }
  return result.data as EmulatorScenario;
}

/**
 * Reads and validates a scenario JSON file.
 * @throws ScenarioError naming the file and each invalid field path
 */
export async function loadScenarioFile(path: string): Promise<EmulatorScenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScenarioError(`cannot read scenario file ${path}: ${reason}`, [`(file): ${reason}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScenarioError(`scenario file ${path} is not valid JSON: ${reason}`, [`(file): ${reason}`]);
  }
  return validateScenario(json, `scenario file ${path}`);
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** A small demo cluster: five databases of different sizes (one empty), one S3 repository, one older snapshot. */
export const demoScenario: EmulatorScenario = {
  version: '3.3',
  feTimeZone: 'Asia/Shanghai',
  repositories: [{ name: 's3_repo', location: 's3a://demo-backups/starrocks' }],
  databases: [
    {
      name: 'sales',
      tables: [
        { name: 'orders', sizeBytes: Math.round(1.2 * GiB), rows: 18_400_000, replicaCount: 12 },
        { name: 'order_items', sizeBytes: Math.round(3.4 * GiB), rows: 61_000_000, replicaCount: 24 },
        { name: 'customers', sizeBytes: 80 * MiB, rows: 950_000 },
        { name: 'v_daily_revenue', type: 'VIEW' },
      ],
      backup: { durationMs: 8000 },
    },
    {
      name: 'marketing',
      tables: [
        { name: 'campaigns', sizeBytes: 5 * MiB, rows: 1_200 },
        { name: 'clicks', sizeBytes: 700 * MiB, rows: 9_800_000, replicaCount: 6 },
        { name: 'mv_campaign_stats', type: 'MATERIALIZED_VIEW', sizeBytes: 2 * MiB, rows: 1_200 },
      ],
      backup: { durationMs: 5000 },
    },
    {
      name: 'inventory',
      tables: [
        { name: 'products', sizeBytes: 20 * MiB, rows: 48_000 },
        { name: 'stock_levels', sizeBytes: 150 * MiB, rows: 2_300_000 },
        { name: 'supplier_catalog', type: 'EXTERNAL' },
      ],
    },
    { name: 'analytics_scratch', tables: [{ name: 'tmp_experiments', sizeBytes: 1_433, rows: 12 }] },
    { name: 'archive_2019', tables: [] },
  ],
  snapshots: [
    {
      repository: 's3_repo',
      name: 'nightly_sales_20261120T1800Z_1a2b3c',
      database: 'sales',
      createdAt: '2026-11-20T18:00:04.143Z',
    },
  ],
  defaultBackupDurationMs: 3000,
};
