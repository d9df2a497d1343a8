import { describe, expect, it } from 'vitest';
import {
  assessFreshness,
  defaultGraceSeconds,
  type FreshnessCluster,
  type GoodSnapshot,
} from '#domain/freshness/index.ts';

const HOUR = 3600;

/** Nightly at 02:00 Asia/Shanghai = 18:00 UTC the day before. */
const cluster: FreshnessCluster = {
  name: 'prod',
  timeoutSeconds: 4 * HOUR,
  include: ['*'],
  exclude: ['scratch_*'],
  schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai', enabled: true }],
};

function snapshot(database: string, scheduledTime: string, startedAt: string | null = null): GoodSnapshot {
  return {
    database,
    label: `nightly_${database}_${scheduledTime.slice(0, 10)}`,
    schedule: 'nightly',
    scheduledTime,
    startedAt,
    finishedAt: null,
  };
}

describe('assessFreshness', () => {
  it('calls a database fresh while the latest slot is still within its grace period', () => {
    // Prepare: the 2026-11-24T18:00Z slot plus 4 h grace ends at 22:00Z; it is 21:00Z.
    const now = Date.parse('2026-11-24T21:00:00Z');

    // Act
    const report = assessFreshness({
      cluster,
      latestGood: [snapshot('sales', '2026-11-23T18:00:00.000Z', '2026-11-23T18:00:05.000Z')],
      now,
    });

    // Assess
    expect(report.graceSeconds).toBe(4 * HOUR);
    expect(report.databases).toEqual([
      expect.objectContaining({
        database: 'sales',
        state: 'fresh',
        expectedSlot: '2026-11-23T18:00:00.000Z',
        expectedSchedule: 'nightly',
        ageSeconds: 27 * HOUR - 5,
        lateBySeconds: null,
      }),
    ]);
  });

  it('calls a database late once the latest slot plus the grace period passed without a newer snapshot', () => {
    // Prepare
    const now = Date.parse('2026-11-24T22:30:00Z');

    // Act
    const report = assessFreshness({
      cluster,
      latestGood: [snapshot('sales', '2026-11-23T18:00:00.000Z')],
      now,
    });

    // Assess
    expect(report.databases[0]).toEqual(
      expect.objectContaining({
        state: 'late',
        expectedSlot: '2026-11-24T18:00:00.000Z',
        expectedBy: '2026-11-24T22:00:00.000Z',
        lateBySeconds: 30 * 60,
      }),
    );
  });

  it('calls a snapshot of the expected slot or a later one fresh', () => {
    // Act
    const report = assessFreshness({
      cluster,
      latestGood: [
        snapshot('sales', '2026-11-24T18:00:00.000Z'),
        snapshot('crm', '2026-11-25T06:00:00.000Z'),
      ],
      now: Date.parse('2026-11-25T12:00:00Z'),
    });

    // Assess
    expect(report.databases.map((entry) => [entry.database, entry.state])).toEqual([
      ['crm', 'fresh'],
      ['sales', 'fresh'],
    ]);
  });

  it('reports databases without any good snapshot as never, and sorts by name', () => {
    // Act
    const report = assessFreshness({
      cluster,
      latestGood: [snapshot('sales', '2026-11-24T18:00:00.000Z')],
      knownDatabases: ['sales', 'analytics'],
      now: Date.parse('2026-11-25T12:00:00Z'),
    });

    // Assess
    expect(report.databases.map((entry) => [entry.database, entry.state, entry.snapshot])).toEqual([
      ['analytics', 'never', null],
      ['sales', 'fresh', 'nightly_sales_2026-11-24'],
    ]);
  });

  it('expects nothing of a database no enabled schedule selects', () => {
    // Act
    const report = assessFreshness({
      cluster: {
        ...cluster,
        schedules: [
          ...cluster.schedules,
          { name: 'old', cron: '0 * * * ? *', timezone: 'UTC', enabled: false },
        ],
      },
      latestGood: [snapshot('scratch_1', '2026-01-01T18:00:00.000Z')],
      now: Date.parse('2026-11-25T12:00:00Z'),
    });

    // Assess
    expect(report.databases[0]).toEqual(
      expect.objectContaining({
        database: 'scratch_1',
        state: 'fresh',
        expectedSlot: null,
        expectedBy: null,
      }),
    );
  });

  it('judges each database against the most recent slot of the schedules whose patterns select it', () => {
    // Prepare: an hourly schedule covers sales_* only; the nightly covers everything.
    const withHourly: FreshnessCluster = {
      ...cluster,
      schedules: [
        ...cluster.schedules,
        { name: 'hourly', cron: '0 * * * ? *', timezone: 'UTC', enabled: true, include: ['sales_*'] },
      ],
    };
    const now = Date.parse('2026-11-25T12:10:00Z');

    // Act
    const report = assessFreshness({
      cluster: withHourly,
      latestGood: [
        snapshot('sales_eu', '2026-11-24T18:00:00.000Z'),
        snapshot('crm', '2026-11-24T18:00:00.000Z'),
      ],
      now,
      graceSeconds: 600,
    });

    // Assess
    expect(report.databases.map((entry) => [entry.database, entry.state, entry.expectedSchedule])).toEqual([
      ['crm', 'fresh', 'nightly'],
      ['sales_eu', 'late', 'hourly'],
    ]);
  });

  it('judges against one schedule only when asked to', () => {
    // Act
    const report = assessFreshness({
      cluster: {
        ...cluster,
        schedules: [
          ...cluster.schedules,
          { name: 'hourly', cron: '0 * * * ? *', timezone: 'UTC', enabled: true },
        ],
      },
      latestGood: [snapshot('crm', '2026-11-24T18:00:00.000Z')],
      now: Date.parse('2026-11-25T12:10:00Z'),
      graceSeconds: 600,
      schedule: 'nightly',
    });

    // Assess
    expect(report.databases[0]).toEqual(
      expect.objectContaining({ state: 'fresh', expectedSchedule: 'nightly' }),
    );
  });

  it('keeps the newest of several snapshots given for one database', () => {
    // Act
    const report = assessFreshness({
      cluster,
      latestGood: [
        snapshot('sales', '2026-11-24T18:00:00.000Z'),
        snapshot('sales', '2026-11-20T18:00:00.000Z'),
      ],
      now: Date.parse('2026-11-25T12:00:00Z'),
    });

    // Assess
    expect(report.databases).toHaveLength(1);
    expect(report.databases[0]?.snapshotScheduledTime).toBe('2026-11-24T18:00:00.000Z');
  });

  it('defaults the grace period to the cluster deadline and refuses a negative one', () => {
    // Assess
    expect(defaultGraceSeconds({ timeoutSeconds: 86_400 })).toBe(86_400);
    expect(() => assessFreshness({ cluster, latestGood: [], now: 0, graceSeconds: -1 })).toThrow(RangeError);
  });
});
