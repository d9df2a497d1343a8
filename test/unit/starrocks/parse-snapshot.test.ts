import { describe, expect, it } from 'vitest';
import { StarRocksResultShapeError } from '#domain/errors.ts';
import { parseSnapshotDetails, parseSnapshotInfos } from '#domain/starrocks/parse-snapshot.ts';

describe('parseSnapshotInfos', () => {
  it('reads the documented SHOW SNAPSHOT example', () => {
    const [info] = parseSnapshotInfos({
      columns: ['Snapshot', 'Timestamp', 'Status'],
      rows: [['sr_member_backup', '2023-02-07-14-45-53-143', 'OK']],
    });
    expect(info).toEqual({
      snapshot: 'sr_member_backup',
      timestampText: '2023-02-07-14-45-53-143',
      timestamps: ['2023-02-07-14-45-53-143'],
      status: 'OK',
      ok: true,
    });
  });

  it('splits several info timestamps joined by newlines, verbatim', () => {
    const [info] = parseSnapshotInfos({
      columns: ['Snapshot', 'Timestamp', 'Status'],
      rows: [['s', '2023-02-07-14-45-53-143\n2023-02-08-01-00-00-001', 'OK']],
    });
    expect(info?.timestamps).toEqual(['2023-02-07-14-45-53-143', '2023-02-08-01-00-00-001']);
  });

  it('reports a leftover upload (no info file) as not ok with no timestamp', () => {
    const [info] = parseSnapshotInfos({
      columns: ['Snapshot', 'Timestamp', 'Status'],
      rows: [['s', '', 'ERROR: no snapshot']],
    });
    expect(info?.ok).toBe(false);
    expect(info?.timestamps).toEqual([]);
    expect(info?.status).toBe('ERROR: no snapshot');
  });

  it('refuses an answer without the Status column', () => {
    expect(() => parseSnapshotInfos({ columns: ['Snapshot', 'Timestamp'], rows: [] })).toThrow(
      StarRocksResultShapeError,
    );
  });
});

describe('parseSnapshotDetails', () => {
  it('reads the database and details of the detail form', () => {
    const [detail] = parseSnapshotDetails({
      columns: ['Snapshot', 'Timestamp', 'Database', 'Details', 'Status'],
      rows: [['s', '2023-02-07-14-45-53-143', 'sales', '{"tables":[]}', 'OK']],
    });
    expect(detail).toEqual({
      snapshot: 's',
      timestamp: '2023-02-07-14-45-53-143',
      database: 'sales',
      details: '{"tables":[]}',
      status: 'OK',
      ok: true,
    });
  });

  it('keeps a failed info read as not ok with a null database', () => {
    const [detail] = parseSnapshotDetails({
      columns: ['Snapshot', 'Timestamp', 'Database', 'Details', 'Status'],
      rows: [['s', 'ts', null, null, 'Failed to get info: boom']],
    });
    expect(detail?.database).toBeNull();
    expect(detail?.ok).toBe(false);
  });
});
