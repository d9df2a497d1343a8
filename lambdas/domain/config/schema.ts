/**
 * The configuration file's schema (zod 4, strict: an unknown key is an error with its path, never ignored).
 * The field names are a contract with users; docs/configuration.md documents every one.
 */
import { isIP } from 'node:net';
import type { core } from 'zod';
import { parseServerPublicKey } from '#domain/starrocks/auth-plugins.ts';
import { assertValidIdentifier } from '#domain/starrocks/identifiers.ts';
import { z } from '#domain/zod.ts';
import { analyzeCron } from './cron.ts';
import { nextSlots, previousSlot } from './schedule-slots.ts';
import { timeZoneProblem } from './time-zone.ts';

/**
 * Cluster and schedule names: they become parts of EventBridge Scheduler schedule names (`[0-9A-Za-z_.-]`, ≤ 64),
 * Step Functions execution names, DynamoDB keys (`cluster#database`, hence no `#`), environment variable suffixes
 * and, sanitised, StarRocks labels (which must start with a letter).
 */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>` (full or partial ARN). */
export const SECRET_ARN_PATTERN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

/** StarRocks' common-name rule for a repository: a letter or `_`, then letters, digits and `_` (≤ 64). */
export const REPOSITORY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Hard limits that come from AWS rather than from taste. */
export const LIMITS = {
  /** An inline Map state runs at most 40 iterations at once. */
  maxConcurrentBackups: 40,
  /** A Standard execution may not run longer than one year. */
  timeoutSeconds: 365 * 86_400,
  /** A Lambda invocation lasts at most 15 minutes; one SQL statement or connect must fit in one. */
  statementTimeoutSeconds: 900,
  /** A differential chain's full is at most a year old: retention and restores stay bounded. */
  fullEveryDays: 366,
} as const;

/** How a schedule takes its snapshots: a full every run, or differentials against a periodic full (issue 20). */
export const SCHEDULE_MODES = ['full', 'differential'] as const;

/** Defaults applied when a field is left out. */
export const DEFAULTS = {
  port: 9030,
  user: 'root',
  include: ['*'],
  exclude: [],
  maxConcurrentBackups: 1,
  timeoutSeconds: 86_400,
  tls: false,
  connectTimeoutSeconds: 10,
  statementTimeoutSeconds: 60,
  backupType: 'FULL',
  timezone: 'UTC',
  enabled: true,
  scheduleMode: 'full',
  fullEvery: 7,
  poll: { minSeconds: 30, maxSeconds: 3600 },
  lock: { leaseSeconds: 900 },
} as const;

const nameSchema = z.string().regex(NAME_PATTERN, {
  error: 'must start with a letter and hold only letters, digits, _ and - (at most 64 characters)',
});

const secretArnSchema = z.string().regex(SECRET_ARN_PATTERN, {
  error:
    'must be a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>), not the secret itself',
});

function hostProblem(host: string): string | undefined {
  if (host === '') return 'must not be empty';
  if (/\s/.test(host)) return 'must not contain spaces';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(host)) return 'must be a host name or IP address, not a URL';
  if (isIP(host) !== 0) return undefined;
  if (host.startsWith('[') && host.endsWith(']')) return 'write an IPv6 address without brackets';
  if (/^[^:]+:\d+$/.test(host)) return 'must not include a port (use the port field)';
  if (/^[\d.]+$/.test(host)) return 'is not a valid IPv4 address';
  if (host.length > 253) return 'must be at most 253 characters long';
  const labels = host.split('.');
  // Underscores are not RFC 1123, but container and internal DNS names use them and resolvers accept them.
  if (labels.some((label) => !/^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label))) {
    return 'must be a host name (letters, digits, - and _ in dot-separated labels) or an IP address';
  }
  return undefined;
}

const hostSchema = z.string().superRefine((host, ctx) => {
  const problem = hostProblem(host);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const patternSchema = z
  .string()
  .min(1)
  .max(256)
  .refine((pattern) => !pattern.startsWith('!'), {
    error: 'must not start with ! (negation is not supported here; list the pattern under exclude instead)',
  });

const includeSchema = z
  .array(patternSchema)
  .min(1, { error: 'must list at least one pattern (use ["*"] for all)' });
const excludeSchema = z.array(patternSchema);

const cronSchema = z
  .string()
  .superRefine((cron, ctx) => {
    const analysis = analyzeCron(cron);
    if (!analysis.ok)
      for (const problem of analysis.problems) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((cron) => cron.trim().split(/\s+/).join(' ').toUpperCase());

const timeZoneSchema = z.string().superRefine((timeZone, ctx) => {
  const problem = timeZoneProblem(timeZone);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const secondsSchema = z.number().positive();

/**
 * A connect or statement timeout: it becomes whole milliseconds for mysql2, which reads 0 as "no timeout at all",
 * so a value that rounds to 0 ms would silently wait forever.
 */
const timeoutSecondsSchema = secondsSchema
  .max(LIMITS.statementTimeoutSeconds)
  .refine((seconds) => Math.round(seconds * 1000) >= 1, {
    error: 'rounds to 0 ms, which the MySQL client reads as no timeout at all; use at least 0.001',
  });

/** A pinned RSA public key of the server, PEM (SubjectPublicKeyInfo or PKCS#1). */
const serverPublicKeySchema = z.string().superRefine((pem, ctx) => {
  try {
    parseServerPublicKey(pem);
  } catch (error) {
    const reason = error instanceof RangeError ? error.message : 'it is not a PEM public key';
    ctx.addIssue({ code: 'custom', message: `must be the server's RSA public key in PEM: ${reason}` });
  }
});

/** A database name StarRocks can hold (the identifier rules of lambdas/domain/starrocks/identifiers.ts). */
function databaseNameProblem(name: string): string | undefined {
  try {
    assertValidIdentifier('database', name);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const tlsSchema = z.union(
  [
    z.boolean(),
    z.strictObject({
      rejectUnauthorized: z.boolean().default(true),
      ca: z.string().min(1).optional(),
    }),
  ],
  { error: 'must be true, false, or a mapping with rejectUnauthorized and/or ca (PEM text)' },
);

/** One schedule of a cluster: an EventBridge Scheduler cron in an IANA time zone. */
export const scheduleSchema = z
  .strictObject({
    name: nameSchema,
    cron: cronSchema,
    timezone: timeZoneSchema.default(DEFAULTS.timezone),
    enabled: z.boolean().default(DEFAULTS.enabled),
    /** Overrides the cluster's include patterns for this schedule. */
    include: includeSchema.optional(),
    /** Overrides the cluster's exclude patterns for this schedule. */
    exclude: excludeSchema.optional(),
    /**
     * EXPERIMENTAL (issue 20; no real FE has confirmed the restore path yet): `differential` backs up only the
     * partitions that changed since the chain's full, and takes a new full every `fullEvery` days.
     */
    mode: z.enum(SCHEDULE_MODES).default(DEFAULTS.scheduleMode),
    /** Days between two fulls of a differential schedule (7: a weekly full). Only with `mode: differential`. */
    fullEvery: z.number().int().min(1).max(LIMITS.fullEveryDays).optional(),
  })
  .superRefine((schedule, ctx) => {
    if (schedule.fullEvery !== undefined && schedule.mode !== 'differential') {
      ctx.addIssue({
        code: 'custom',
        path: ['fullEvery'],
        message: 'applies only to a schedule with mode: differential (this one takes a full every time)',
      });
    }
  });

/**
 * How a differential schedule's runs take their snapshots, as it travels in the cluster settings of its executions
 * (absent: every run takes a full).
 */
export const differentialSettingsSchema = z.strictObject({
  /** Days between two fulls: a run whose chain's full is older takes a new full. */
  fullEvery: z.number().int().min(1).max(LIMITS.fullEveryDays),
});

/** Poll policy bounds for the Wait between two status checks, in whole seconds. */
export const pollSchema = z
  .strictObject({
    minSeconds: z.number().int().min(1).max(86_400).default(DEFAULTS.poll.minSeconds),
    maxSeconds: z.number().int().min(1).max(86_400).default(DEFAULTS.poll.maxSeconds),
  })
  .superRefine((poll, ctx) => {
    if (poll.minSeconds > poll.maxSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxSeconds'],
        message: `must be at least poll.minSeconds (${poll.minSeconds}); it is ${poll.maxSeconds}`,
      });
    }
  });

/** When a database counts as late: its slot plus its expected duration plus this grace passed without a good snapshot. */
export const freshnessSchema = z.strictObject({
  /** Minutes after a slot's expected end (p95 of recent backups, else timeoutSeconds) before it is late; default 60. */
  graceMinutes: z
    .number()
    .positive()
    .max(7 * 24 * 60)
    .optional(),
});

/**
 * What a shared-data cluster's freshness check expects of its automated Cluster Snapshots (StarRocks 3.4.2+): the
 * newest must be younger than this. StarRocks takes one every `automated_cluster_snapshot_interval_seconds`
 * (600 by default) and keeps only the newest.
 */
export const clusterSnapshotSchema = z.strictObject({
  maxAgeMinutes: z
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(60),
});

/**
 * Size anomalies: a database whose size at backup time (SHOW DATA) falls below `(100 - dropPercent)%` or rises
 * above `(100 + growthPercent)%` of the median of its recent FINISHED backups raises a warning.
 */
export const sizeAnomalySchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    dropPercent: z.number().gt(0).lt(100).default(50),
    growthPercent: z.number().positive().max(100_000).default(200),
    /** How many earlier sizes are needed before anything is judged. */
    minHistory: z.number().int().min(1).max(50).default(3),
  })
  .default({ enabled: true, dropPercent: 50, growthPercent: 200, minHistory: 3 });

/** Where snapshot files live, for removing a pruned snapshot's objects (StarRocks before 4.2 has no DROP SNAPSHOT). */
export const retentionS3Schema = z.strictObject({
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' }),
  /** The repository's LOCATION path inside the bucket (`s3a://bucket/<prefix>`), without the bucket. */
  prefix: z.string().max(1024).default(''),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS region such as eu-west-1' })
    .optional(),
});

/**
 * Retention: which verified snapshots to keep. Pinned snapshots, the newest `keepLast`, the only verified one of a
 * database and any a restore or drill is using are never removed.
 */
export const retentionSchema = z
  .strictObject({
    keepLast: z.number().int().min(1).max(10_000).default(7),
    maxAgeDays: z.number().positive().max(36_500).optional(),
    daily: z.number().int().min(0).max(10_000).optional(),
    weekly: z.number().int().min(0).max(10_000).optional(),
    monthly: z.number().int().min(0).max(10_000).optional(),
    /** How a snapshot is removed: `auto` uses DROP SNAPSHOT where StarRocks has it (4.2+), else S3 when configured. */
    remove: z.enum(['auto', 'drop-snapshot', 's3', 'none']).default('auto'),
    s3: retentionS3Schema.optional(),
  })
  .superRefine((retention, ctx) => {
    if (retention.remove === 's3' && retention.s3 === undefined) {
      ctx.addIssue({ code: 'custom', path: ['s3'], message: 'is required when remove is "s3"' });
    }
  });

const SCRATCH_PREFIX = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

/** The `_<yyyyMMddHHmm>` suffix of a drill's scratch database (restore-plan.ts, scratchDatabaseName). */
const SCRATCH_SUFFIX_EXAMPLE = '_202601010000';

/** A scheduled restore drill: restore the latest verified snapshot of `database` into a scratch database. */
export const drillSchema = z
  .strictObject({
    database: z.string().superRefine((database, ctx) => {
      const problem = databaseNameProblem(database);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }),
    cron: cronSchema,
    timezone: timeZoneSchema.default(DEFAULTS.timezone),
    enabled: z.boolean().default(true),
    /** The scratch database is `<prefix><database>_<yyyyMMddHHmm>`; dropped after the check. */
    scratchPrefix: z
      .string()
      .regex(SCRATCH_PREFIX, { error: 'must start with a letter; letters, digits and _' })
      .default('drill_'),
    timeoutSeconds: secondsSchema.max(LIMITS.timeoutSeconds).default(6 * 3600),
  })
  .superRefine((drill, ctx) => {
    if (databaseNameProblem(drill.database) !== undefined || !SCRATCH_PREFIX.test(drill.scratchPrefix))
      return;
    const scratch = `${drill.scratchPrefix}${drill.database}${SCRATCH_SUFFIX_EXAMPLE}`;
    const problem = databaseNameProblem(scratch);
    if (problem !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['database'],
        message: `gives scratch databases such as ${JSON.stringify(`${scratch.slice(0, 40)}…`)} that StarRocks cannot hold (${problem}); use a shorter name or scratchPrefix`,
      });
    }
  });

/**
 * The shortest lease that covers the longest step a holder takes between two renewals: one Task attempt (its
 * `TimeoutSeconds`, 120 s) plus the longest delay before the retry that renews again (`MaxDelaySeconds`, 300 s).
 * docs/locking.md has the rule; test/unit/statemachines checks the ASL files against this number.
 */
export const LEASE_MIN_SECONDS = 420;

/** Lock and slot leases. */
export const lockSchema = z.strictObject({
  leaseSeconds: z
    .number()
    .int()
    .min(LEASE_MIN_SECONDS, {
      error: `must be at least ${LEASE_MIN_SECONDS}: a lease covers the longest Task attempt (120 s) plus the longest retry delay (300 s) before the next renewal`,
    })
    .max(86_400)
    .default(DEFAULTS.lock.leaseSeconds),
});

/**
 * Slack alerts; without `webhookSecretArn` (and locally without SLACK_WEBHOOK_URL) alerts are only logged.
 * With a bot token (Web API) and a channel, a "recovered" message answers in the incident's thread.
 */
export const slackSchema = z
  .strictObject({
    webhookSecretArn: secretArnSchema.optional(),
    botTokenSecretArn: secretArnSchema.optional(),
    channel: z
      .string()
      .regex(/^[#A-Za-z0-9_-]{1,80}$/, { error: 'must be a channel id or #name' })
      .optional(),
  })
  .superRefine((slack, ctx) => {
    if ((slack.botTokenSecretArn === undefined) !== (slack.channel === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [slack.channel === undefined ? 'channel' : 'botTokenSecretArn'],
        message: 'botTokenSecretArn and channel go together (the Web API posts to a channel)',
      });
    }
  });

/** Connection and backup settings of one cluster: everything but its schedules. */
const clusterFields = {
  name: nameSchema,
  host: hostSchema,
  port: z.number().int().min(1).max(65_535).default(DEFAULTS.port),
  user: z.string().min(1).max(128).default(DEFAULTS.user),
  passwordSecretArn: secretArnSchema.optional(),
  repository: z.string().regex(REPOSITORY_PATTERN, {
    error:
      'must be a StarRocks repository name (a letter or _, then letters, digits and _; at most 64 characters)',
  }),
  include: includeSchema.default(() => [...DEFAULTS.include]),
  exclude: excludeSchema.default(() => [...DEFAULTS.exclude]),
  maxConcurrentBackups: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.maxConcurrentBackups)
    .default(DEFAULTS.maxConcurrentBackups),
  timeoutSeconds: secondsSchema.max(LIMITS.timeoutSeconds).default(DEFAULTS.timeoutSeconds),
  tls: tlsSchema.default(DEFAULTS.tls),
  /** Lets caching_sha2_password / sha256_password log in without TLS by encrypting to this key only. */
  serverPublicKey: serverPublicKeySchema.optional(),
  connectTimeoutSeconds: timeoutSecondsSchema.default(DEFAULTS.connectTimeoutSeconds),
  statementTimeoutSeconds: timeoutSecondsSchema.default(DEFAULTS.statementTimeoutSeconds),
  backupType: z.literal('FULL').default(DEFAULTS.backupType),
  freshness: freshnessSchema.default(() => ({})),
  sizeAnomaly: sizeAnomalySchema,
  retention: retentionSchema.optional(),
  drill: drillSchema.optional(),
  /**
   * `backup` (absent): BACKUP SNAPSHOT per database. `cluster-snapshot`: a shared-data cluster, which StarRocks
   * cannot BACKUP; its freshness check watches its automated Cluster Snapshots instead (no schedules, no drill).
   */
  mode: z.enum(['backup', 'cluster-snapshot']).optional(),
  /** The objective of a shared-data cluster's automated Cluster Snapshots (mode cluster-snapshot, or detected). */
  clusterSnapshot: clusterSnapshotSchema.optional(),
};

/**
 * A cron that has no slot after `now` (its year field lies in the past): EventBridge Scheduler would keep a schedule
 * that never starts anything. Evaluated with the project's own EventBridge cron evaluator, in the schedule's zone.
 */
function neverFiresAgain(schedule: { cron: string; timezone: string }, now: Date): string | undefined {
  if (!analyzeCron(schedule.cron).ok || timeZoneProblem(schedule.timezone) !== undefined) return undefined;
  if (nextSlots(schedule, now, 1).length > 0) return undefined;
  const last = previousSlot(schedule, now);
  const when = last === null ? '' : ` (its last slot was ${last.toISOString()})`;
  return `never fires again after ${now.toISOString()}${when}: its year field lies in the past`;
}

/** Names compare equal when they differ only in case or in `-` versus `_`: they would collide in env names. */
export function foldName(name: string): string {
  return name.toUpperCase().replaceAll('-', '_');
}

function reportDuplicates(
  names: readonly string[],
  ctx: core.$RefinementCtx,
  pathOf: (index: number) => PropertyKey[],
  what: string,
): void {
  const firstIndex = new Map<string, number>();
  names.forEach((name, index) => {
    const folded = foldName(name);
    const earlier = firstIndex.get(folded);
    if (earlier === undefined) {
      firstIndex.set(folded, index);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: pathOf(index),
      message: `duplicate ${what} "${name}" (same as "${names[earlier]}" at index ${earlier}; names must differ beyond case and -/_)`,
    });
  });
}

/** One cluster: its FE, its repository, what to back up, and its schedules. */
export const clusterSchema = z
  .strictObject({
    ...clusterFields,
    schedules: z.array(scheduleSchema).default(() => []),
  })
  .superRefine((cluster, ctx) => {
    reportDuplicates(
      cluster.schedules.map((schedule) => schedule.name),
      ctx,
      (index) => ['schedules', index, 'name'],
      'schedule name',
    );
    // Only where the configuration file is read (deploy, CLI): the settings an execution carries are judged by the
    // file they came from, and a schedule that ran out must not break the executions of its siblings.
    const now = new Date();
    cluster.schedules.forEach((schedule, index) => {
      const problem = neverFiresAgain(schedule, now);
      if (problem !== undefined)
        ctx.addIssue({ code: 'custom', path: ['schedules', index, 'cron'], message: problem });
    });
    if (cluster.drill !== undefined) {
      const problem = neverFiresAgain(cluster.drill, now);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['drill', 'cron'], message: problem });
    }
    if (cluster.mode === 'cluster-snapshot') {
      const why =
        'a cluster-snapshot cluster is shared-data: StarRocks cannot BACKUP or RESTORE it, so its automated Cluster ' +
        'Snapshots are watched instead';
      if (cluster.schedules.length > 0)
        ctx.addIssue({ code: 'custom', path: ['schedules'], message: `must be empty: ${why}` });
      if (cluster.drill !== undefined)
        ctx.addIssue({ code: 'custom', path: ['drill'], message: `not allowed: ${why}` });
      if (cluster.retention !== undefined)
        ctx.addIssue({ code: 'custom', path: ['retention'], message: `not allowed: ${why}` });
    }
  });

/** An S3 bucket name: 3–63 lowercase letters, digits, dots and hyphens, starting and ending alphanumeric. */
const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The deployed weekly report (opt-in): when to write it and where. The past week's report goes to
 * `s3://<bucket>/<prefix><first day>_7d.html` and the Slack digest links it.
 */
export const reportSchema = z.strictObject({
  schedule: z.strictObject({ cron: cronSchema, timezone: timeZoneSchema.default(DEFAULTS.timezone) }),
  bucket: z.string().regex(BUCKET_NAME_PATTERN, {
    error: 'must be an S3 bucket name: 3–63 lowercase letters, digits, dots and hyphens',
  }),
  prefix: z
    .string()
    .max(512)
    .refine((prefix) => !prefix.startsWith('/'), { error: 'must not start with /' })
    .default('reports/'),
});

/**
 * The fields of a cluster the deployed report reads (ReportClusterConfig), as the report function's request
 * carries them: no host, no secret ARN, no TLS material.
 */
export const reportClusterSchema = z.strictObject({
  name: clusterFields.name,
  user: clusterFields.user,
  include: clusterFields.include,
  exclude: clusterFields.exclude,
  maxConcurrentBackups: clusterFields.maxConcurrentBackups,
  timeoutSeconds: clusterFields.timeoutSeconds,
  freshness: clusterFields.freshness,
  sizeAnomaly: clusterFields.sizeAnomaly,
  retention: clusterFields.retention,
  schedules: z.array(scheduleSchema).default(() => []),
});

/** The whole configuration file. */
export const backupConfigSchema = z
  .strictObject({
    clusters: z.array(clusterSchema).min(1, { error: 'must list at least one cluster' }),
    poll: pollSchema.default(() => ({ ...DEFAULTS.poll })),
    lock: lockSchema.default(() => ({ ...DEFAULTS.lock })),
    slack: slackSchema.default(() => ({})),
    report: reportSchema.optional(),
  })
  .superRefine((config, ctx) => {
    reportDuplicates(
      config.clusters.map((cluster) => cluster.name),
      ctx,
      (index) => ['clusters', index, 'name'],
      'cluster name',
    );
  });

/**
 * The cluster settings that travel in an execution's input (EventBridge Scheduler → NightlyBackup → each
 * BackupDatabase): the cluster minus its schedules, plus the poll and lock settings. Secret ARNs, never values.
 * Lambdas validate their input with it.
 */
export const clusterSettingsSchema = z.strictObject({
  ...clusterFields,
  poll: pollSchema,
  lock: lockSchema,
  /** Set by a schedule with `mode: differential` (toClusterSettings); absent = every run takes a full. */
  differential: differentialSettingsSchema.optional(),
});

/** The validated configuration, defaults filled in. */
export type BackupConfig = z.output<typeof backupConfigSchema>;
/** The configuration as a user may write it (defaults optional). */
export type BackupConfigInput = z.input<typeof backupConfigSchema>;
/** One validated cluster. */
export type ClusterConfig = z.output<typeof clusterSchema>;
/** One validated schedule (cron normalised to single spaces and upper case). */
export type ScheduleConfig = z.output<typeof scheduleSchema>;
/** The cluster settings carried in execution input. */
export type ClusterSettings = z.output<typeof clusterSettingsSchema>;
/** TLS settings of a cluster. */
export type TlsConfig = ClusterConfig['tls'];
/** Poll bounds. */
export type PollConfig = z.output<typeof pollSchema>;
/** A differential schedule's settings in the execution input. */
export type DifferentialSettings = z.output<typeof differentialSettingsSchema>;
/** Lease settings. */
export type LockConfig = z.output<typeof lockSchema>;
/** The deployed weekly report's settings. */
export type ReportConfig = z.output<typeof reportSchema>;
