import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseClusterSettings, parseConfig, toClusterSettings } from '#domain/config/index.ts';
import { ConfigError } from '#domain/errors.ts';

function minimalCluster(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'prod', host: 'fe.internal', repository: 's3_repo', ...overrides };
}

function issuesOf(parse: () => unknown): readonly string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

function configIssues(cluster: Record<string, unknown>): readonly string[] {
  return issuesOf(() => parseConfig({ clusters: [minimalCluster(cluster)] }));
}

describe('timeouts that would round to 0 ms', () => {
  it.each(['connectTimeoutSeconds', 'statementTimeoutSeconds'])(
    'refuses a %s that the MySQL client would read as no timeout at all',
    (field) => {
      expect(configIssues({ [field]: 0.0004 })).toEqual([
        `clusters[0].${field}: rounds to 0 ms, which the MySQL client reads as no timeout at all; use at least 0.001`,
      ]);
      expect(configIssues({ [field]: 0.001 })).toEqual([]);
    },
  );

  it('holds in the cluster settings an execution carries as well', () => {
    const settings = toClusterSettings(parseConfig({ clusters: [minimalCluster()] }), 'prod');
    expect(issuesOf(() => parseClusterSettings({ ...settings, statementTimeoutSeconds: 0.0001 }))).toEqual([
      'statementTimeoutSeconds: rounds to 0 ms, which the MySQL client reads as no timeout at all; use at least 0.001',
    ]);
  });
});

describe('crons that never fire again', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses a schedule whose year field lies in the past, naming its last slot', () => {
    vi.setSystemTime(Date.UTC(2027, 0, 1, 0, 0));
    expect(configIssues({ schedules: [{ name: 'nightly', cron: '0 2 * * ? 2020-2026' }] })).toEqual([
      'clusters[0].schedules[0].cron: never fires again after 2027-01-01T00:00:00.000Z (its last slot was 2026-12-31T02:00:00.000Z): its year field lies in the past',
    ]);
  });

  it('judges the last slot in the schedule’s own time zone', () => {
    // 02:00 in Asia/Shanghai on 31 December 2026 is 18:00 UTC on the 30th.
    const schedules = [{ name: 'nightly', cron: '0 2 * * ? 2026', timezone: 'Asia/Shanghai' }];
    vi.setSystemTime(Date.UTC(2026, 11, 30, 17, 59));
    expect(configIssues({ schedules })).toEqual([]);
    vi.setSystemTime(Date.UTC(2026, 11, 30, 18, 0));
    expect(configIssues({ schedules })).toEqual([
      'clusters[0].schedules[0].cron: never fires again after 2026-12-30T18:00:00.000Z (its last slot was 2026-12-30T18:00:00.000Z): its year field lies in the past',
    ]);
  });

  it('refuses a drill whose cron ran out, but not the settings an execution already carries', () => {
    vi.setSystemTime(Date.UTC(2026, 5, 1));
    const drill = { database: 'sales', cron: '0 4 ? * SUN 2025' };
    expect(configIssues({ drill })).toEqual([
      'clusters[0].drill.cron: never fires again after 2026-06-01T00:00:00.000Z (its last slot was 2025-12-28T04:00:00.000Z): its year field lies in the past',
    ]);

    vi.setSystemTime(Date.UTC(2025, 0, 1));
    const settings = toClusterSettings(parseConfig({ clusters: [minimalCluster({ drill })] }), 'prod');
    vi.setSystemTime(Date.UTC(2026, 5, 1));
    expect(parseClusterSettings(JSON.parse(JSON.stringify(settings))).drill?.cron).toBe('0 4 ? * SUN 2025');
  });
});

describe('drill database names', () => {
  it('refuses a database name StarRocks cannot hold', () => {
    expect(configIssues({ drill: { database: 'sales db', cron: '0 4 ? * SUN *' } })).toEqual([
      'clusters[0].drill.database: Invalid database name "sales db": expected a letter (or "_" and a letter or digit), then letters, digits, "_" or -~!@#$%^&<>=+',
    ]);
    expect(configIssues({ drill: { database: '', cron: '0 4 ? * SUN *' } })).toEqual([
      'clusters[0].drill.database: Invalid database name: it is empty',
    ]);
  });

  it('refuses a name whose scratch database would be too long', () => {
    const database = `s${'a'.repeat(240)}`;
    const [issue] = configIssues({ drill: { database, cron: '0 4 ? * SUN *' } });
    expect(issue).toMatch(/^clusters\[0\]\.drill\.database: gives scratch databases such as "drill_saaa/);
    expect(issue).toContain('at most 256 allowed');
    expect(configIssues({ drill: { database: database.slice(0, 200), cron: '0 4 ? * SUN *' } })).toEqual([]);
  });

  it('accepts the special characters StarRocks allows in database names', () => {
    expect(configIssues({ drill: { database: 'sales-eu~2', cron: '0 4 ? * SUN *' } })).toEqual([]);
  });
});

describe('pinned server key', () => {
  it('accepts an RSA public key in PEM and refuses anything else', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    expect(configIssues({ serverPublicKey: rsa.toString() })).toEqual([]);
    expect(configIssues({ serverPublicKey: ec.toString() })).toEqual([
      "clusters[0].serverPublicKey: must be the server's RSA public key in PEM: the pinned server key is of type ec, not RSA",
    ]);
    expect(configIssues({ serverPublicKey: 'not a key' })).toEqual([
      "clusters[0].serverPublicKey: must be the server's RSA public key in PEM: it is not a PEM public key",
    ]);
  });
});
