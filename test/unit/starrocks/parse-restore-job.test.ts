import { describe, expect, it } from 'vitest';
import { StarRocksResultShapeError } from '#domain/errors.ts';
import { isTerminalRestoreState, parseRestoreJobs } from '#domain/starrocks/parse-restore-job.ts';
import { parseRunMode } from '#domain/starrocks/parse-run-mode.ts';

const COLUMNS = [
  'JobId',
  'Label',
  'Timestamp',
  'DbName',
  'State',
  'AllowLoad',
  'ReplicationNum',
  'RestoreObjs',
  'CreateTime',
  'MetaPreparedTime',
  'SnapshotFinishedTime',
  'DownloadFinishedTime',
  'FinishedTime',
  'UnfinishedTasks',
  'Progress',
  'TaskErrMsg',
  'Status',
  'Timeout',
];

function row(overrides: Record<string, string | null> = {}): (string | null)[] {
  const values: Record<string, string | null> = {
    JobId: '12345',
    Label: 'nightly_sales_x',
    Timestamp: '2026-11-24-18-00-04-143',
    DbName: 'drill_sales',
    State: 'DOWNLOADING',
    AllowLoad: 'false',
    ReplicationNum: '3',
    RestoreObjs: 'orders, customers',
    CreateTime: '2026-11-25 02:00:00',
    MetaPreparedTime: '2026-11-25 02:00:03',
    SnapshotFinishedTime: '2026-11-25 02:00:09',
    DownloadFinishedTime: null,
    FinishedTime: null,
    UnfinishedTasks: '13346=10002, 13347=10003',
    Progress: '[13346: 12/40], [13347: 3/10]',
    TaskErrMsg: '',
    Status: '[OK]',
    Timeout: '86400',
    ...overrides,
  };
  return COLUMNS.map((column) => values[column] ?? null);
}

describe('parseRestoreJobs', () => {
  it('reads every column of a running restore, summing download progress', () => {
    // Act
    const [job] = parseRestoreJobs({ columns: COLUMNS, rows: [row()] });

    // Assess
    expect(job).toEqual({
      jobId: '12345',
      label: 'nightly_sales_x',
      timestamp: '2026-11-24-18-00-04-143',
      dbName: 'drill_sales',
      state: 'DOWNLOADING',
      allowLoad: false,
      replicationNum: 3,
      restoreObjs: 'orders, customers',
      createTime: '2026-11-25 02:00:00',
      metaPreparedTime: '2026-11-25 02:00:03',
      snapshotFinishedTime: '2026-11-25 02:00:09',
      downloadFinishedTime: null,
      finishedTime: null,
      unfinishedTasks: '13346=10002, 13347=10003',
      progress: { done: 15, total: 50 },
      taskErrMsg: '',
      status: { raw: '[OK]', code: 'OK', msg: '' },
      timeoutSeconds: 86400,
    });
  });

  it('reads the statuses a restore ends with', () => {
    // Act
    const jobs = parseRestoreJobs({
      columns: COLUMNS,
      rows: [
        row({ State: 'CANCELLED', Status: '[TIMEOUT, msg: restore job with label: l  timeout.]' }),
        row({
          State: 'CANCELLED',
          Status: '[COMMON_ERROR, msg: user cancelled, current state: DOWNLOADING]',
        }),
      ],
    });

    // Assess
    expect(jobs.map((job) => [job.status.code, job.status.msg])).toEqual([
      ['TIMEOUT', 'restore job with label: l  timeout.'],
      ['COMMON_ERROR', 'user cancelled, current state: DOWNLOADING'],
    ]);
    expect(jobs.every((job) => isTerminalRestoreState(job.state))).toBe(true);
  });

  it('refuses an unknown state, a missing column and a non-numeric timeout', () => {
    expect(() => parseRestoreJobs({ columns: COLUMNS, rows: [row({ State: 'RESTORING' })] })).toThrow(
      StarRocksResultShapeError,
    );
    expect(() => parseRestoreJobs({ columns: COLUMNS.slice(1), rows: [] })).toThrow(
      StarRocksResultShapeError,
    );
    expect(() => parseRestoreJobs({ columns: COLUMNS, rows: [row({ Timeout: 'soon' })] })).toThrow(
      StarRocksResultShapeError,
    );
  });
});

describe('parseRunMode', () => {
  const columns = ['Key', 'AliasNames', 'Value', 'Type', 'IsMutable', 'Comment'];

  it('reads run_mode in any case', () => {
    expect(parseRunMode({ columns, rows: [['run_mode', '[]', 'shared_data', 'String', 'false', '']] })).toBe(
      'shared_data',
    );
    expect(
      parseRunMode({ columns, rows: [['run_mode', '[]', 'SHARED_NOTHING', 'String', 'false', '']] }),
    ).toBe('shared_nothing');
  });

  it('treats an FE without the setting as shared-nothing and refuses an unknown mode', () => {
    expect(parseRunMode({ columns, rows: [] })).toBe('shared_nothing');
    expect(() =>
      parseRunMode({ columns, rows: [['run_mode', '[]', 'hybrid', 'String', 'false', '']] }),
    ).toThrow(StarRocksResultShapeError);
  });
});
