import { describe, expect, it } from 'vitest';
import {
  assessFreshness,
  DEFAULT_GRACE_SECONDS,
  databasesBehindLatestSlot,
  expectedDurationOf,
  type FreshnessCluster,
  type GoodSnapshot,
  readExpectedDurations,
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
  it('calls a database fresh while the latest slot is still within its expected duration and grace', () => {
    // Prepare: the 2026-11-24T18:00Z slot plus 4 h (timeoutSeconds: no history) plus 1 h grace ends at 23:00Z.
    const now = Date.parse('2026-11-24T21:00:00Z');

    // Act
    const report = assessFreshness({
      cluster,
      latestGood: [snapshot('sales', '2026-11-23T18:00:00.000Z', '2026-11-23T18:00:05.000Z')],
      now,
    });

    // Assess
    expect(report.graceSeconds).toBe(HOUR);
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

  it('calls a database late once the latest slot plus its allowance passed without a newer snapshot', () => {
    // Prepare
    const now = Date.parse('2026-11-24T23:30:00Z');

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
        expectedBy: '2026-11-24T23:00:00.000Z',
        expectedDurationSeconds: 4 * HOUR,
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

  it('defaults the grace to one hour and refuses a negative one', () => {
    // Assess
    expect(assessFreshness({ cluster, latestGood: [], now: 0 }).graceSeconds).toBe(DEFAULT_GRACE_SECONDS);
    expect(DEFAULT_GRACE_SECONDS).toBe(HOUR);
    expect(() => assessFreshness({ cluster, latestGood: [], now: 0, graceSeconds: -1 })).toThrow(RangeError);
  });
});

describe('the expected duration', () => {
  const utcNightly: FreshnessCluster = {
    ...cluster,
    timeoutSeconds: 24 * HOUR,
    schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'UTC', enabled: true }],
  };
  const yesterday = snapshot('sales', '2026-11-24T02:00:00.000Z');
  const oneHour = () => HOUR;

  it('is the p95 (nearest rank) of the history, else the timeout', () => {
    // Assess
    expect(expectedDurationOf([...Array.from({ length: 19 }, () => 600), 3000], cluster)).toBe(600);
    expect(expectedDurationOf([...Array.from({ length: 18 }, () => 600), 3000, 3600], cluster)).toBe(3000);
    expect(expectedDurationOf([1200], cluster)).toBe(1200);
    expect(expectedDurationOf([], cluster)).toBe(4 * HOUR);
  });

  it('makes a missed 02:00 nightly late at 04:00 the same morning when backups take up to an hour', () => {
    // Act
    const before = assessFreshness({
      cluster: utcNightly,
      latestGood: [yesterday],
      now: Date.parse('2026-11-25T03:59:59Z'),
      expectedDurations: oneHour,
    });
    const after = assessFreshness({
      cluster: utcNightly,
      latestGood: [yesterday],
      now: Date.parse('2026-11-25T04:00:00Z'),
      expectedDurations: oneHour,
    });

    // Assess
    expect(before.databases[0]?.state).toBe('fresh');
    expect(after.databases[0]).toEqual(
      expect.objectContaining({
        state: 'late',
        expectedSlot: '2026-11-25T02:00:00.000Z',
        expectedBy: '2026-11-25T04:00:00.000Z',
        expectedDurationSeconds: HOUR,
      }),
    );
  });

  it('without history waits for the timeout plus the grace (a day later with the 24 h default)', () => {
    // Act
    const report = assessFreshness({
      cluster: utcNightly,
      latestGood: [yesterday],
      now: Date.parse('2026-11-25T04:00:00Z'),
    });

    // Assess
    expect(report.databases[0]).toEqual(
      expect.objectContaining({ state: 'fresh', expectedDurationSeconds: 24 * HOUR }),
    );
  });

  it('reads the history of the databases behind their latest slot only', async () => {
    // Prepare
    const request = {
      cluster: utcNightly,
      latestGood: [yesterday, snapshot('crm', '2026-11-25T02:00:00.000Z')],
      knownDatabases: ['sales', 'crm', 'new_db'],
      now: Date.parse('2026-11-25T04:00:00Z'),
    };
    const asked: string[] = [];

    // Act
    const behind = databasesBehindLatestSlot(request);
    const durations = await readExpectedDurations(utcNightly, behind, async ({ database, limit }) => {
      asked.push(`${database}:${limit}`);
      return database === 'sales' ? [1800, 3600, 2400] : [];
    });

    // Assess
    expect(behind).toEqual(['new_db', 'sales']);
    expect(asked.sort()).toEqual(['new_db:20', 'sales:20']);
    expect(durations('sales')).toBe(3600);
    expect(durations('new_db')).toBe(24 * HOUR);
    expect(durations('crm')).toBeUndefined();
  });
});
