import { describe, expect, it } from 'vitest';
import { BackupFailedError } from '#domain/errors.ts';
import type { SnapshotDetail, SnapshotInfo } from '#domain/starrocks/index.ts';
import { proveSnapshot } from '#domain/starrocks/index.ts';

/** SHOW SNAPSHOT as an FE would answer it: the short form's row and the detail form's row. */
function fe(info: Partial<SnapshotInfo> | null, detail: Partial<SnapshotDetail> | null) {
  return {
    showSnapshot: async () =>
      info === null
        ? null
        : { snapshot: 'l', timestampText: null, timestamps: [], status: 'OK', ok: true, ...info },
    showSnapshotDetail: async () =>
      detail === null
        ? null
        : {
            snapshot: 'l',
            timestamp: 't1',
            database: 'sales',
            details: null,
            status: 'OK',
            ok: true,
            ...detail,
          },
  };
}

const REQUEST = { repository: 'repo', label: 'l', database: 'sales' };

describe('proveSnapshot', () => {
  it('proves a label listed OK with a timestamp whose detail row names the database, keeping the newest timestamp', async () => {
    await expect(
      proveSnapshot(fe({ timestamps: ['t0', 't1'] }, { database: 'sales' }), REQUEST),
    ).resolves.toEqual({ snapshotTimestamp: 't1' });
  });

  it.each([
    ['is not listed', fe(null, null), /does not list l as OK: no such snapshot/],
    ['is listed in error', fe({ status: 'ERROR: no snapshot', ok: false }, null), /ERROR: no snapshot/],
    ['is OK without a timestamp', fe({ timestamps: [] }, { database: 'sales' }), /with no timestamp/],
    ['has no detail row', fe({ timestamps: ['t1'] }, null), /no detail naming a database/],
    [
      'has a detail row without a database',
      fe({ timestamps: ['t1'] }, { database: null }),
      /no detail naming/,
    ],
    [
      'belongs to another database',
      fe({ timestamps: ['t1'] }, { database: 'crm' }),
      /belongs to database crm/,
    ],
  ])('refuses a snapshot that %s', async (_case, client, message) => {
    const failure = proveSnapshot(client, REQUEST);
    await expect(failure).rejects.toBeInstanceOf(BackupFailedError);
    await expect(failure).rejects.toThrow(message);
  });
});
