import { describe, expect, it } from 'vitest';
import { StarRocksResultShapeError } from '#domain/errors.ts';
import {
  isTerminalBackupState,
  parseBackupJobs,
  parseBackupProgress,
  parseBackupStatus,
} from '#domain/starrocks/parse-backup-job.ts';

const COLUMNS = [
  'JobId',
  'SnapshotName',
  'DbName',
  'State',
  'BackupObjs',
  'CreateTime',
  'SnapshotFinishedTime',
  'UploadFinishedTime',
  'FinishedTime',
  'UnfinishedTasks',
  'Progress',
  'TaskErrMsg',
  'Status',
  'Timeout',
];

// Reference §14: the 3.0 example row of PR #17528, completed from the code.
const FINISHED_ROW = [
  '10114',
  'mysnapshot',
  'test',
  'FINISHED',
  '[test.t]',
  '2023-02-17 08:54:52',
  '2023-02-17 08:54:57',
  '2023-02-17 08:55:03',
  '2023-02-17 08:55:04',
  '',
  '',
  '',
  '[OK]',
  '86400',
];

describe('parseBackupJobs', () => {
  it('reads the real SHOW BACKUP example row', () => {
    const [job] = parseBackupJobs({ columns: COLUMNS, rows: [FINISHED_ROW] });
    expect(job).toEqual({
      jobId: '10114',
      snapshotName: 'mysnapshot',
      dbName: 'test',
      state: 'FINISHED',
      backupObjs: '[test.t]',
      createTime: '2023-02-17 08:54:52',
      snapshotFinishedTime: '2023-02-17 08:54:57',
      uploadFinishedTime: '2023-02-17 08:55:03',
      finishedTime: '2023-02-17 08:55:04',
      unfinishedTasks: '',
      progress: null,
      taskErrMsg: '',
      status: { raw: '[OK]', code: 'OK', msg: '' },
      timeoutSeconds: 86400,
    });
  });

  it('keeps unset times as null and sums progress over tasks of a running job', () => {
    const row = [...FINISHED_ROW];
    row[0] = '-1';
    row[3] = 'UPLOADING';
    row[6] = null as unknown as string;
    row[7] = null as unknown as string;
    row[8] = null as unknown as string;
    row[9] = '10021=10001, 10023=10002';
    row[10] = '[10050: 3/10], [10051: 7/10]';
    const [job] = parseBackupJobs({ columns: COLUMNS, rows: [row] });
    expect(job?.state).toBe('UPLOADING');
    expect(job?.jobId).toBe('-1');
    expect(job?.uploadFinishedTime).toBeNull();
    expect(job?.finishedTime).toBeNull();
    expect(job?.progress).toEqual({ done: 10, total: 20 });
    expect(job?.unfinishedTasks).toBe('10021=10001, 10023=10002');
  });

  it('reads columns by name, ignoring their order and extra columns', () => {
    const columns = [...COLUMNS].reverse().concat(['ClusterId']);
    const row = [...FINISHED_ROW].reverse().concat(['c-1']);
    const [job] = parseBackupJobs({ columns, rows: [row] });
    expect(job?.snapshotName).toBe('mysnapshot');
    expect(job?.timeoutSeconds).toBe(86400);
  });

  it('refuses a result without a column it needs, even with no rows', () => {
    expect(() => parseBackupJobs({ columns: COLUMNS.filter((c) => c !== 'Status'), rows: [] })).toThrow(
      StarRocksResultShapeError,
    );
  });

  it('refuses a state StarRocks never reports', () => {
    const row = [...FINISHED_ROW];
    row[3] = 'EXPLODED';
    expect(() => parseBackupJobs({ columns: COLUMNS, rows: [row] })).toThrow(/unknown job state/);
  });

  it('reads a StarRocks timeout cancellation', () => {
    const row = [...FINISHED_ROW];
    row[3] = 'CANCELLED';
    row[12] = '[TIMEOUT, msg: ]';
    const [job] = parseBackupJobs({ columns: COLUMNS, rows: [row] });
    expect(job?.status).toEqual({ raw: '[TIMEOUT, msg: ]', code: 'TIMEOUT', msg: '' });
    expect(isTerminalBackupState(job?.state ?? 'PENDING')).toBe(true);
  });
});

describe('parseBackupStatus', () => {
  it('splits code and message, keeping brackets inside the message', () => {
    expect(
      parseBackupStatus(
        '[COMMON_ERROR, msg: failed to choose replica to make snapshot for tablet 1. visible version: 2]',
      ),
    ).toEqual({
      raw: '[COMMON_ERROR, msg: failed to choose replica to make snapshot for tablet 1. visible version: 2]',
      code: 'COMMON_ERROR',
      msg: 'failed to choose replica to make snapshot for tablet 1. visible version: 2',
    });
    expect(parseBackupStatus('[COMMON_ERROR, msg: user cancelled]').msg).toBe('user cancelled');
  });

  it('keeps unfamiliar text as the message with no code', () => {
    expect(parseBackupStatus('weird')).toEqual({ raw: 'weird', code: null, msg: 'weird' });
  });
});

describe('parseBackupProgress', () => {
  it('returns null when no task is listed', () => {
    expect(parseBackupProgress('')).toBeNull();
    expect(parseBackupProgress(null)).toBeNull();
  });

  it('sums one task', () => {
    expect(parseBackupProgress('[10050: 0/4]')).toEqual({ done: 0, total: 4 });
  });

  it('reads the newer verbose format of BackupJob.getInfo', () => {
    expect(
      parseBackupProgress(
        '[ task id: 10050 -> finished part:3/ total number of subtasks:10], [ task id: 10051 -> finished part:1/ total number of subtasks:5]',
      ),
    ).toEqual({ done: 4, total: 15 });
  });
});

describe('isTerminalBackupState', () => {
  it('says running states are not terminal', () => {
    expect(isTerminalBackupState('UPLOAD_INFO')).toBe(false);
    expect(isTerminalBackupState('FINISHED')).toBe(true);
  });
});
