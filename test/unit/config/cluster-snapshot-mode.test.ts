import { describe, expect, it } from 'vitest';
import { parseConfig } from '#domain/config/index.ts';
import { ConfigError } from '#domain/errors.ts';

const lake = (overrides: Record<string, unknown> = {}) => ({
  clusters: [
    { name: 'lake', host: 'fe.lake.internal', repository: 'unused', mode: 'cluster-snapshot', ...overrides },
  ],
});

function issues(input: unknown): readonly string[] {
  try {
    parseConfig(input);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
}

describe('mode: cluster-snapshot', () => {
  it('accepts a shared-data cluster without schedules, with an objective for its cluster snapshots', () => {
    const config = parseConfig(lake({ clusterSnapshot: { maxAgeMinutes: 30 } }));
    expect(config.clusters[0]).toMatchObject({
      mode: 'cluster-snapshot',
      clusterSnapshot: { maxAgeMinutes: 30 },
    });
    expect(parseConfig(lake()).clusters[0]?.clusterSnapshot).toBeUndefined();
  });

  it('refuses schedules, a drill and retention, naming why', () => {
    expect(
      issues(
        lake({
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *' }],
          drill: { database: 'sales', cron: '0 3 ? * SUN *' },
          retention: { keepLast: 3 },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^clusters\[0\]\.schedules: must be empty: a cluster-snapshot cluster is shared-data/,
      ),
      expect.stringMatching(/^clusters\[0\]\.drill: not allowed/),
      expect.stringMatching(/^clusters\[0\]\.retention: not allowed/),
    ]);
  });

  it('leaves clusters without a mode as they were (no new field in their execution input)', () => {
    const config = parseConfig({ clusters: [{ name: 'prod', host: 'fe', repository: 'r' }] });
    expect(config.clusters[0]?.mode).toBeUndefined();
  });
});
