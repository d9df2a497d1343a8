import { describe, expect, it } from 'vitest';
import { classifyDatabase } from '../../../lambdas/resolve-databases/classify-database.ts';
import {
  StarRocksAuthError,
  StarRocksSqlError,
  StarRocksUnavailableError,
} from '../../../lambdas/shared/errors.ts';
import { capabilitiesOf, classifyTable, type TableInfo } from '../../../lambdas/starrocks/index.ts';

const olap = (name: string): TableInfo => ({
  name,
  tableType: 'BASE TABLE',
  engine: 'StarRocks',
  kind: classifyTable('BASE TABLE', 'StarRocks'),
});
const deps = (listTables: (database: string) => Promise<TableInfo[]>, version = '3.3.9') => ({
  capabilities: capabilitiesOf({ major: 3, minor: Number(version.split('.')[1]) }),
  version,
  listTables,
});

describe('classifyDatabase', () => {
  it('is ready when the database holds what the version backs up', async () => {
    expect(
      await classifyDatabase(
        'sales',
        deps(async () => [olap('t')]),
      ),
    ).toEqual({ kind: 'ready' });
  });

  it('is empty when the listing has no row at all', async () => {
    expect(
      await classifyDatabase(
        'sales',
        deps(async () => []),
      ),
    ).toEqual({ kind: 'empty' });
  });

  it("makes a name StarRocks would not accept the database's own FAILED problem, without listing it", async () => {
    let listed = false;
    const verdict = await classifyDatabase(
      '2024_archive',
      deps(async () => {
        listed = true;
        return [];
      }),
    );
    expect(listed).toBe(false);
    expect(verdict).toEqual({
      kind: 'problem',
      problem: {
        state: 'FAILED',
        error: 'InvalidIdentifierError',
        reason: expect.stringContaining('database 2024_archive cannot be backed up'),
      },
    });
  });

  it("makes a listing that fails with an SQL error the database's problem, naming it", async () => {
    const verdict = await classifyDatabase(
      'sales',
      deps(async () => {
        throw new StarRocksSqlError('LIST TABLES on fe:9030 failed: Unexpected exception: null');
      }),
    );
    expect(verdict).toEqual({
      kind: 'problem',
      problem: {
        state: 'FAILED',
        error: 'StarRocksSqlError',
        reason:
          'listing the tables of database sales failed: LIST TABLES on fe:9030 failed: Unexpected exception: null',
      },
    });
  });

  it('throws what concerns the whole cluster: an unreachable FE or a refused login', async () => {
    await expect(
      classifyDatabase(
        'sales',
        deps(async () => Promise.reject(new StarRocksUnavailableError('down'))),
      ),
    ).rejects.toBeInstanceOf(StarRocksUnavailableError);
    await expect(
      classifyDatabase(
        'sales',
        deps(async () => Promise.reject(new StarRocksAuthError('refused'))),
      ),
    ).rejects.toBeInstanceOf(StarRocksAuthError);
  });

  it('skips a database of views only before 3.4, saying why', async () => {
    const view: TableInfo = { name: 'v', tableType: 'VIEW', engine: '', kind: 'VIEW' };
    expect(
      await classifyDatabase(
        'reports',
        deps(async () => [view]),
      ),
    ).toEqual({
      kind: 'problem',
      problem: {
        state: 'SKIPPED',
        error: 'NothingToBackUpError',
        reason: expect.stringContaining('view v (StarRocks backs up views from 3.4)'),
      },
    });
  });

  it('fails a database holding an object of unknown type before 3.4, since an ON list would drop it silently', async () => {
    const odd: TableInfo = { name: 'odd', tableType: 'BASE TABLE', engine: null, kind: 'UNKNOWN' };
    const verdict = await classifyDatabase(
      'sales',
      deps(async () => [olap('t'), odd]),
    );
    expect(verdict).toMatchObject({
      kind: 'problem',
      problem: { state: 'FAILED', error: 'UnsupportedObjectError' },
    });
  });
});
