import { describe, expect, it } from 'vitest';
import {
  clusterSettingsSchema,
  effectiveDatabaseFilters,
  parseClusterSettings,
  parseConfig,
  toClusterSettings,
} from '#domain/config/index.ts';
import { ConfigError } from '#domain/errors.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:starrocks/backup-password';

function minimalCluster(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'prod', host: 'fe.internal', repository: 's3_repo', ...overrides };
}

function issuesOf(input: unknown): readonly string[] {
  try {
    parseConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

describe('parseConfig', () => {
  it('fills in every default', () => {
    const config = parseConfig({
      clusters: [minimalCluster({ schedules: [{ name: 'nightly', cron: '0 2 * * ? *' }] })],
    });
    expect(config).toEqual({
      clusters: [
        {
          name: 'prod',
          host: 'fe.internal',
          port: 9030,
          user: 'root',
          repository: 's3_repo',
          include: ['*'],
          exclude: [],
          maxConcurrentBackups: 1,
          timeoutSeconds: 86_400,
          tls: false,
          connectTimeoutSeconds: 10,
          statementTimeoutSeconds: 60,
          backupType: 'FULL',
          freshness: {},
          sizeAnomaly: { enabled: true, dropPercent: 50, growthPercent: 200, minHistory: 3 },
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'UTC', enabled: true, mode: 'full' }],
        },
      ],
      poll: { minSeconds: 30, maxSeconds: 3600 },
      lock: { leaseSeconds: 900 },
      slack: {},
    });
  });

  it('refuses remove "s3" without the bucket, and a bot token without its channel', () => {
    expect(() => parseConfig({ clusters: [minimalCluster({ retention: { remove: 's3' } })] })).toThrow(
      /clusters\[0\]\.retention\.s3: is required when remove is "s3"/,
    );
    expect(() => parseConfig({ clusters: [minimalCluster()], slack: { botTokenSecretArn: ARN } })).toThrow(
      /slack\.channel: botTokenSecretArn and channel go together/,
    );
  });

  it('gives every parse its own default lists', () => {
    const first = parseConfig({ clusters: [minimalCluster()] });
    first.clusters[0]?.include.push('mutated');
    const second = parseConfig({ clusters: [minimalCluster()] });
    expect(second.clusters[0]?.include).toEqual(['*']);
  });

  it('keeps the design example as written', () => {
    const config = parseConfig({
      clusters: [
        {
          name: 'prod',
          host: 'fe.internal',
          port: 9030,
          user: 'backup',
          passwordSecretArn: ARN,
          repository: 's3_repo',
          include: ['*'],
          exclude: ['scratch_*'],
          maxConcurrentBackups: 2,
          timeoutSeconds: 86400,
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
        },
      ],
      poll: { minSeconds: 30, maxSeconds: 3600 },
      lock: { leaseSeconds: 900 },
      slack: {
        webhookSecretArn: 'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:slack-AbCdEf',
      },
    });
    expect(config.clusters[0]?.passwordSecretArn).toBe(ARN);
    expect(config.clusters[0]?.exclude).toEqual(['scratch_*']);
  });

  it('normalises the cron expression it hands to EventBridge Scheduler', () => {
    const config = parseConfig({
      clusters: [minimalCluster({ schedules: [{ name: 'weekdays', cron: ' 0  9 ? * mon-fri * ' }] })],
    });
    expect(config.clusters[0]?.schedules[0]?.cron).toBe('0 9 ? * MON-FRI *');
  });

  it('names the path of a bad cron field', () => {
    const issues = issuesOf({
      clusters: [
        minimalCluster({
          schedules: [
            { name: 'nightly', cron: '0 2 * * ? *' },
            { name: 'weekly', cron: '0 9 ? * 8 *' },
          ],
        }),
      ],
    });
    expect(issues).toEqual(['clusters[0].schedules[1].cron: day-of-week 8 is out of range 1-7']);
  });

  it('collects every problem before throwing', () => {
    const issues = issuesOf({
      clusters: [
        minimalCluster({
          host: 'fe:9030',
          port: 1.5,
          maxConcurrentBackups: 41,
          timeoutSeconds: 0,
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Mars/Olympus' }],
        }),
      ],
      poll: { minSeconds: 600, maxSeconds: 60 },
      extra: true,
    });
    expect(issues).toEqual([
      'clusters[0].host: must not include a port (use the port field)',
      'clusters[0].port: must be a whole number, got 1.5',
      'clusters[0].maxConcurrentBackups: must be at most 40',
      'clusters[0].timeoutSeconds: must be greater than 0',
      'clusters[0].schedules[0].timezone: "Mars/Olympus" is not a known IANA time zone name (for example UTC, Europe/Berlin, Asia/Shanghai)',
      'poll.maxSeconds: must be at least poll.minSeconds (600); it is 60',
      'extra: unknown field; known fields: clusters, poll, lock, slack, report',
    ]);
  });

  it('lists all problems in the error message', () => {
    expect(() => parseConfig({ clusters: [minimalCluster({ port: 0, user: '' })] })).toThrow(
      'Invalid configuration (2 problems):\n  - clusters[0].port: must be at least 1\n  - clusters[0].user: must not be empty',
    );
  });

  it('reports an unknown key with its path and the closest known name', () => {
    expect(issuesOf({ clusters: [minimalCluster({ timeoutSecond: 10 })] })[0]).toMatch(
      /^clusters\[0\]\.timeoutSecond: unknown field \(did you mean timeoutSeconds\?\)/,
    );
    expect(
      issuesOf({
        clusters: [minimalCluster({ schedules: [{ name: 'n', cron: '0 2 * * ? *', timzone: 'UTC' }] })],
      })[0],
    ).toMatch(/^clusters\[0\]\.schedules\[0\]\.timzone: unknown field \(did you mean timezone\?\)/);
  });

  it('refuses a password in the file without repeating it', () => {
    const issues = issuesOf({
      clusters: [minimalCluster({ password: 'hunter2', passwordSecretArn: 'hunter2' })],
    });
    expect(issues).toHaveLength(2);
    expect(issues.join('\n')).not.toContain('hunter2');
    expect(issues).toContain(
      'clusters[0].password: unknown field; passwords do not go in the configuration: store it in Secrets Manager and set passwordSecretArn (locally, set STARROCKS_PASSWORD_<CLUSTER>)',
    );
    expect(issues[0]).toMatch(/^clusters\[0\]\.passwordSecretArn: must be a Secrets Manager secret ARN/);
  });

  it.each([
    [{ maxConcurrentBackups: 0 }, 'clusters[0].maxConcurrentBackups: must be at least 1'],
    [{ maxConcurrentBackups: 2.5 }, 'clusters[0].maxConcurrentBackups: must be a whole number, got 2.5'],
    [
      { name: '1prod' },
      'clusters[0].name: must start with a letter and hold only letters, digits, _ and - (at most 64 characters)',
    ],
    [
      { name: 'prod#eu' },
      'clusters[0].name: must start with a letter and hold only letters, digits, _ and - (at most 64 characters)',
    ],
    [
      { name: `p${'x'.repeat(64)}` },
      'clusters[0].name: must start with a letter and hold only letters, digits, _ and - (at most 64 characters)',
    ],
    [{ host: '' }, 'clusters[0].host: must not be empty'],
    [{ host: 'mysql://fe' }, 'clusters[0].host: must be a host name or IP address, not a URL'],
    [{ host: '10.0.0.300' }, 'clusters[0].host: is not a valid IPv4 address'],
    [{ host: '[::1]' }, 'clusters[0].host: write an IPv6 address without brackets'],
    [{ host: undefined }, 'clusters[0].host: is required'],
    [
      { repository: 's3-repo' },
      'clusters[0].repository: must be a StarRocks repository name (a letter or _, then letters, digits and _; at most 64 characters)',
    ],
    [{ include: [] }, 'clusters[0].include: must list at least one pattern (use ["*"] for all)'],
    [
      { exclude: ['!keep'] },
      'clusters[0].exclude[0]: must not start with ! (negation is not supported here; list the pattern under exclude instead)',
    ],
    [
      { tls: 'yes' },
      'clusters[0].tls: must be true, false, or a mapping with rejectUnauthorized and/or ca (PEM text)',
    ],
    [{ tls: { ca: 5 } }, 'clusters[0].tls.ca: must be a string, got 5'],
    [
      { tls: { verify: true } },
      'clusters[0].tls.verify: unknown field; known fields: rejectUnauthorized, ca',
    ],
    [{ backupType: 'INCREMENTAL' }, 'clusters[0].backupType: must be "FULL"'],
    [{ statementTimeoutSeconds: 901 }, 'clusters[0].statementTimeoutSeconds: must be at most 900'],
  ])('rejects cluster %o', (overrides, issue) => {
    expect(issuesOf({ clusters: [minimalCluster(overrides)] })).toEqual([issue]);
  });

  it.each([
    [{ host: '10.0.0.12' }],
    [{ host: '::1' }],
    [{ host: 'starrocks_fe' }],
    [{ tls: true }],
    [{ tls: { rejectUnauthorized: false } }],
    [{ timeoutSeconds: 0.5 }],
    [{ name: `p${'x'.repeat(63)}` }],
  ])('accepts cluster %o', (overrides) => {
    expect(issuesOf({ clusters: [minimalCluster(overrides)] })).toEqual([]);
  });

  it('fills in rejectUnauthorized when tls is a mapping', () => {
    const config = parseConfig({ clusters: [minimalCluster({ tls: { ca: 'PEM' } })] });
    expect(config.clusters[0]?.tls).toEqual({ rejectUnauthorized: true, ca: 'PEM' });
  });

  it('rejects cluster names that differ only in case or -/_', () => {
    expect(
      issuesOf({ clusters: [minimalCluster({ name: 'prod-eu' }), minimalCluster({ name: 'PROD_EU' })] }),
    ).toEqual([
      'clusters[1].name: duplicate cluster name "PROD_EU" (same as "prod-eu" at index 0; names must differ beyond case and -/_)',
    ]);
  });

  it('rejects duplicate schedule names within a cluster but not across clusters', () => {
    const nightly = { name: 'nightly', cron: '0 2 * * ? *' };
    expect(
      issuesOf({
        clusters: [
          minimalCluster({ schedules: [nightly, { ...nightly, cron: '0 3 * * ? *' }] }),
          minimalCluster({ name: 'staging', schedules: [nightly] }),
        ],
      }),
    ).toEqual([
      'clusters[0].schedules[1].name: duplicate schedule name "nightly" (same as "nightly" at index 0; names must differ beyond case and -/_)',
    ]);
  });

  it('takes a differential mode with fullEvery days, and refuses fullEvery on a full schedule or out of range', () => {
    const nightly = { name: 'nightly', cron: '0 2 * * ? *' };
    const parsed = parseConfig({
      clusters: [minimalCluster({ schedules: [{ ...nightly, mode: 'differential', fullEvery: 7 }] })],
    });
    expect(parsed.clusters[0]?.schedules[0]).toMatchObject({ mode: 'differential', fullEvery: 7 });
    expect(
      issuesOf({
        clusters: [
          minimalCluster({
            schedules: [
              { ...nightly, fullEvery: 7 },
              { name: 'b', cron: '0 3 * * ? *', mode: 'differential', fullEvery: 0 },
              { name: 'c', cron: '0 4 * * ? *', mode: 'incremental' },
            ],
          }),
        ],
      }),
    ).toEqual([
      'clusters[0].schedules[0].fullEvery: applies only to a schedule with mode: differential (this one takes a full every time)',
      'clusters[0].schedules[1].fullEvery: must be at least 1',
      'clusters[0].schedules[2].mode: must be one of "full", "differential"',
    ]);
  });

  it('rejects poll and lock values outside their rules', () => {
    expect(
      issuesOf({ clusters: [minimalCluster()], poll: { minSeconds: 0.5 }, lock: { leaseSeconds: 10 } }),
    ).toEqual([
      'poll.minSeconds: must be a whole number, got 0.5',
      'lock.leaseSeconds: must be at least 420: a lease covers the longest Task attempt (120 s) plus the longest retry delay (300 s) before the next renewal',
    ]);
    expect(issuesOf({ clusters: [minimalCluster()], poll: { minSeconds: 5000 } })).toEqual([
      'poll.maxSeconds: must be at least poll.minSeconds (5000); it is 3600',
    ]);
  });

  it('explains a wrong root', () => {
    expect(issuesOf('clusters')).toEqual(['(root): must be a mapping of fields, got a string']);
    expect(issuesOf({})).toEqual(['clusters: is required']);
    expect(issuesOf({ clusters: [] })).toEqual(['clusters: must list at least one cluster']);
  });
});

describe('cluster settings for the execution input', () => {
  const config = parseConfig({
    clusters: [
      minimalCluster({
        passwordSecretArn: ARN,
        exclude: ['tmp_*'],
        schedules: [{ name: 'nightly', cron: '0 2 * * ? *' }],
      }),
    ],
    poll: { minSeconds: 20, maxSeconds: 600 },
  });

  it('carries the cluster without schedules, plus poll and lock', () => {
    const settings = toClusterSettings(config, 'prod');
    expect(settings).not.toHaveProperty('schedules');
    expect(settings.poll).toEqual({ minSeconds: 20, maxSeconds: 600 });
    expect(settings.lock).toEqual({ leaseSeconds: 900 });
    expect(settings.passwordSecretArn).toBe(ARN);
    expect(clusterSettingsSchema.parse(settings)).toEqual(settings);
  });

  it("carries a differential schedule's fullEvery (7 by default), and nothing for a full schedule", () => {
    expect(toClusterSettings(config, 'prod', { mode: 'full' })).not.toHaveProperty('differential');
    expect(toClusterSettings(config, 'prod', { mode: 'differential' }).differential).toEqual({
      fullEvery: 7,
    });
    const settings = toClusterSettings(config, 'prod', { mode: 'differential', fullEvery: 14 });
    expect(settings.differential).toEqual({ fullEvery: 14 });
    expect(clusterSettingsSchema.parse(settings)).toEqual(settings);
  });

  it('is a copy that cannot change the configuration', () => {
    const settings = toClusterSettings(config, 'prod');
    settings.exclude.push('other');
    expect(config.clusters[0]?.exclude).toEqual(['tmp_*']);
  });

  it('refuses a cluster the configuration does not have', () => {
    expect(() => toClusterSettings(config, 'staging')).toThrow(
      'cluster "staging" is not in the configuration (clusters: prod)',
    );
  });

  it('validates settings read back from an execution input', () => {
    const settings = toClusterSettings(config, 'prod');
    expect(parseClusterSettings(JSON.parse(JSON.stringify(settings)))).toEqual(settings);
    expect(() => parseClusterSettings({ ...settings, schedules: [], maxConcurrentBackups: 50 })).toThrow(
      'Invalid cluster settings (2 problems):\n  - maxConcurrentBackups: must be at most 40\n  - schedules: unknown field',
    );
  });

  it('lets a schedule override the cluster filters', () => {
    const cluster = { include: ['*'], exclude: ['tmp_*'] };
    expect(effectiveDatabaseFilters(cluster)).toEqual({ include: ['*'], exclude: ['tmp_*'] });
    expect(effectiveDatabaseFilters(cluster, { include: ['sales_*'] })).toEqual({
      include: ['sales_*'],
      exclude: ['tmp_*'],
    });
    expect(effectiveDatabaseFilters(cluster, { exclude: [] })).toEqual({ include: ['*'], exclude: [] });
  });
});

describe('the deployed report (report: {schedule, bucket})', () => {
  it('is off unless configured, and takes a schedule, a bucket and a key prefix', () => {
    // Act
    const off = parseConfig({ clusters: [minimalCluster()] });
    const on = parseConfig({
      clusters: [minimalCluster()],
      report: { schedule: { cron: '0 7 ? * mon *' }, bucket: 'acme-backup-reports' },
    });

    // Assess
    expect(off.report).toBeUndefined();
    expect(on.report).toEqual({
      schedule: { cron: '0 7 ? * MON *', timezone: 'UTC' },
      bucket: 'acme-backup-reports',
      prefix: 'reports/',
    });
  });

  it('refuses a bucket S3 would refuse, a prefix from the root and a cron that is no cron', () => {
    // Act
    const issues = issuesOf({
      clusters: [minimalCluster()],
      report: { schedule: { cron: 'weekly' }, bucket: 'Acme_Reports', prefix: '/reports/' },
    });

    // Assess
    expect(issues.some((issue) => issue.includes('report.bucket') && issue.includes('S3 bucket name'))).toBe(
      true,
    );
    expect(issues.some((issue) => issue.includes('report.prefix'))).toBe(true);
    expect(issues.some((issue) => issue.includes('report.schedule.cron'))).toBe(true);
  });
});
