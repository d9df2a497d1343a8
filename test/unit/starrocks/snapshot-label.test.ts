import { describe, expect, it } from 'vitest';
import {
  buildSnapshotLabel,
  databasePartOfLabel,
  executionNameFor,
  formatSlotTimeUtc,
  SNAPSHOT_LABEL_PATTERN,
  sanitiseNamePart,
} from '#domain/starrocks/snapshot-label.ts';

const slot = {
  cluster: 'prod',
  schedule: 'nightly',
  database: 'sales',
  // cron `0 2 * * ? *` in Asia/Shanghai fires at 18:00Z the day before
  scheduledTime: new Date('2026-11-24T18:00:00Z'),
};

describe('buildSnapshotLabel', () => {
  it('joins schedule, database, UTC slot time and a 12-hex hash', () => {
    const label = buildSnapshotLabel(slot);
    expect(label).toMatch(/^nightly_sales_20261124T1800Z_[0-9a-f]{12}$/);
    expect(label).toMatch(SNAPSHOT_LABEL_PATTERN);
  });

  it('gives the same label for the same slot every time', () => {
    expect(buildSnapshotLabel({ ...slot })).toBe(buildSnapshotLabel({ ...slot, attempt: 1 }));
  });

  it('uses the UTC time whatever zone the Date was written in', () => {
    const sameInstant = new Date('2026-11-25T02:00:00+08:00');
    expect(buildSnapshotLabel({ ...slot, scheduledTime: sameInstant })).toBe(buildSnapshotLabel(slot));
  });

  it('separates names that sanitise alike by their hash', () => {
    const a = buildSnapshotLabel({ ...slot, database: 'sales-eu' });
    const b = buildSnapshotLabel({ ...slot, database: 'sales_eu' });
    const c = buildSnapshotLabel({ ...slot, database: 'sales.eu' });
    expect(a.replace(/_[0-9a-f]{12}$/, '')).toBe(b.replace(/_[0-9a-f]{12}$/, ''));
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('keeps tuples apart whose joined names would coincide', () => {
    const a = buildSnapshotLabel({ ...slot, schedule: 'a_b', database: 'c' });
    const b = buildSnapshotLabel({ ...slot, schedule: 'a', database: 'b_c' });
    expect(a).not.toBe(b);
  });

  it('gives clusters sharing a repository different labels for the same schedule and database', () => {
    expect(buildSnapshotLabel({ ...slot, cluster: 'prod-a' })).not.toBe(
      buildSnapshotLabel({ ...slot, cluster: 'prod-b' }),
    );
  });

  it('gives different slots of the same minute-less schedule different labels', () => {
    const later = { ...slot, scheduledTime: new Date('2026-11-25T18:00:00Z') };
    expect(buildSnapshotLabel(later)).toMatch(/_20261125T1800Z_/);
    expect(buildSnapshotLabel(later)).not.toBe(buildSnapshotLabel(slot));
  });

  it('appends _a<n> from the second attempt and keeps the hash', () => {
    const first = buildSnapshotLabel(slot);
    const second = buildSnapshotLabel({ ...slot, attempt: 2 });
    expect(second).toBe(`${first}_a2`);
  });

  it('truncates long names to 128 characters without touching time, hash or suffix', () => {
    const label = buildSnapshotLabel({
      ...slot,
      schedule: 's'.repeat(300),
      database: 'd'.repeat(300),
      attempt: 9999,
    });
    expect(label.length).toBe(128);
    expect(label).toMatch(SNAPSHOT_LABEL_PATTERN);
    expect(label).toMatch(/_20261124T1800Z_[0-9a-f]{12}_a9999$/);
    expect(label).toContain('ddd');
    expect(label.startsWith('sss')).toBe(true);
  });

  it('starts with a letter even when the schedule begins with a digit or has no ASCII at all', () => {
    expect(buildSnapshotLabel({ ...slot, schedule: '2am' })).toMatch(/^s2am_sales_/);
    expect(buildSnapshotLabel({ ...slot, schedule: '夜间', database: '销售' })).toMatch(
      /^schedule_db_20261124T1800Z_/,
    );
  });

  it('refuses an attempt that is not a positive integer', () => {
    expect(() => buildSnapshotLabel({ ...slot, attempt: 0 })).toThrow(RangeError);
    expect(() => buildSnapshotLabel({ ...slot, attempt: 1.5 })).toThrow(RangeError);
  });

  it('refuses an invalid scheduled time', () => {
    expect(() => buildSnapshotLabel({ ...slot, scheduledTime: new Date('nope') })).toThrow(RangeError);
  });
});

describe('sanitiseNamePart and formatSlotTimeUtc', () => {
  it('drops accents and folds other characters to single underscores', () => {
    expect(sanitiseNamePart('Ventes--Été 2026!')).toBe('Ventes_Ete_2026');
  });

  it('formats to the minute in UTC', () => {
    expect(formatSlotTimeUtc(new Date('2026-03-08T09:05:59.999Z'))).toBe('20260308T0905Z');
  });
});

describe('executionNameFor', () => {
  it('stays within 80 characters of [A-Za-z0-9-_] even for huge names and attempts', () => {
    const name = executionNameFor({ ...slot, database: `${'x'.repeat(500)}💥`, attempt: 9999 });
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('is deterministic per slot and attempt and changes with the attempt', () => {
    expect(executionNameFor(slot)).toBe(executionNameFor({ ...slot, attempt: 1 }));
    expect(executionNameFor({ ...slot, attempt: 2 })).not.toBe(executionNameFor(slot));
    expect(executionNameFor({ ...slot, attempt: 2 })).toMatch(/_a2$/);
  });

  it('differs between clusters and between names that sanitise alike', () => {
    expect(executionNameFor({ ...slot, cluster: 'a' })).not.toBe(executionNameFor({ ...slot, cluster: 'b' }));
    expect(executionNameFor({ ...slot, database: 'x-y' })).not.toBe(
      executionNameFor({ ...slot, database: 'x_y' }),
    );
  });
});

describe('databasePartOfLabel', () => {
  const slot = { cluster: 'prod', database: 'sales_eu', scheduledTime: new Date('2026-11-24T18:00:00Z') };

  it('reads the database back from a label of one of the schedules, the longest schedule name first', () => {
    expect(databasePartOfLabel(buildSnapshotLabel({ ...slot, schedule: 'nightly' }), ['nightly'])).toBe(
      'sales_eu',
    );
    expect(
      databasePartOfLabel(buildSnapshotLabel({ ...slot, schedule: 'nightly_eu', attempt: 2 }), [
        'nightly',
        'nightly_eu',
      ]),
    ).toBe('sales_eu');
  });

  it('gives nothing for a label that is not one of ours', () => {
    expect(databasePartOfLabel('manual_before_upgrade', ['nightly'])).toBeUndefined();
    expect(
      databasePartOfLabel(buildSnapshotLabel({ ...slot, schedule: 'weekly' }), ['nightly']),
    ).toBeUndefined();
  });
});
