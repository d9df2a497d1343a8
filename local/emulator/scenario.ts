import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { isValidDatabaseName } from './fe/names.ts';
import { createFeTimeZone } from './fe/time-zone.ts';
import { resolveProfile } from './profiles.ts';

/** The kind of a table; only OLAP tables (and on 3.4+ views and MVs) can be backed up. */
export type TableType = 'OLAP' | 'VIEW' | 'MATERIALIZED_VIEW' | 'EXTERNAL';

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
 * What a non-root user may do (reference §10). Given at all, every field defaults to "no"; a user without
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

/** A table of a scenario database. */
export interface ScenarioTable {
  readonly name: string;
  readonly type?: TableType;
  /** Data size over all replicas, as SHOW DATA reports it. */
  readonly sizeBytes?: number;
  readonly rows?: number;
  /** Replica count SHOW DATA reports (default 3). */
  readonly replicaCount?: number;
}

/** A database of the emulated cluster. */
export interface ScenarioDatabase {
  readonly name: string;
  readonly tables: readonly ScenarioTable[];
  readonly backup?: {
    readonly durationMs?: number;
    readonly outcome?: BackupOutcome;
    /**
     * `false`: SHOW BACKUP's Progress column stays empty for this database's jobs (as on a build that reports
     * no upload progress, or a job with nothing to upload); state and times advance as usual. Default `true`.
     */
    readonly progress?: boolean;
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

/** Everything that describes one emulated StarRocks cluster. */
export interface EmulatorScenario {
  /** Version profile by major.minor (`3.3`, `3.4`, `3.5`) or a full version (`3.3.11`). */
  readonly version: string;
  /** IANA zone or `+08:00`; default `UTC`. FE times carry no zone. */
  readonly feTimeZone?: string;
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
const databaseName = identifier.refine(isValidDatabaseName, {
  message:
    'not a database name StarRocks accepts: a letter (or "_" and a letter or digit), then letters, digits, "_" or -~!@#$%^&<>=+, at most 256 characters',
});

const restoreOutcomeSchema = z.union([
  z.literal('finish'),
  z.literal('hang'),
  z.strictObject({
    cancelWithStatus: z.string().min(1),
    atState: z.enum(['SNAPSHOTING', 'DOWNLOADING', 'COMMITTING']).optional(),
  }),
]);

const tableSchema = z.strictObject({
  name: identifier,
  type: z.enum(['OLAP', 'VIEW', 'MATERIALIZED_VIEW', 'EXTERNAL']).optional(),
  sizeBytes: nonNegative.optional(),
  rows: nonNegative.optional(),
  replicaCount: nonNegative.optional(),
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
      { message: 'unknown StarRocks version: use 3.3, 3.4, 3.5 or 4.2 (optionally with a patch number)' },
    ),
    feTimeZone: z
      .string()
      .refine(
        (value) => {
          try {
            createFeTimeZone(value);
            return true;
          } catch {
            return false;
          }
        },
        { message: 'unknown time zone: use an IANA name (Asia/Shanghai) or an offset (+08:00)' },
      )
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
      z.strictObject({
        name: databaseName,
        tables: z.array(tableSchema),
        backup: z
          .strictObject({
            durationMs: z.number().int().positive().optional(),
            outcome: outcomeSchema.optional(),
            progress: z.boolean().optional(),
          })
          .optional(),
        restore: z
          .strictObject({
            durationMs: z.number().int().positive().optional(),
            outcome: restoreOutcomeSchema.optional(),
          })
          .optional(),
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
    scenario.databases.forEach((database, databaseIndex) => {
      duplicates(
        database.tables.map((table) => table.name),
        (index) => ['databases', databaseIndex, 'tables', index, 'name'],
        'table',
      );
    });
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
