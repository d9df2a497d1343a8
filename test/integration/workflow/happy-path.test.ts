import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseStatements } from '#local/emulator/sql/parser.ts';
import {
  database,
  expectCleanEnd,
  startWorkflowHarness,
  type WorkflowHarness,
} from '#test/support/workflow-harness.ts';

describe('nightly backup through the local runner: the good paths', () => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await startWorkflowHarness({
      version: '3.3',
      feTimeZone: 'Asia/Shanghai',
      repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
      databases: [
        database('sales'),
        database('orders'),
        database('events', { durationMs: 40 * 60_000 }),
        database('scratch_tmp'),
        database('sales_eu'),
        { name: 'archive', tables: [] },
        {
          name: 'odd-name~2',
          tables: [
            { name: 'we`ird; DROP DATABASE sales; -- x', sizeBytes: 10, rows: 1 },
            { name: "it's /* not */ a comment", sizeBytes: 10, rows: 1 },
            { name: 'v_odd', type: 'VIEW' },
          ],
          backup: { durationMs: 60_000 },
        },
        {
          name: 'reporting',
          tables: [
            { name: 'facts', sizeBytes: 2048, rows: 10 },
            { name: 'v_summary', type: 'VIEW' },
            { name: 'ext_mysql', type: 'EXTERNAL' },
          ],
          backup: { durationMs: 5 * 60_000 },
        },
      ],
    });
  });

  // Scenario 16, after every scenario: one terminal catalog item per attempted database, no lease left held.
  afterEach(async () => {
    expect(await harness.cleanEndOfRuns()).toEqual({ notOneItem: [], heldByRuns: [] });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('backs up three databases with one BACKUP each, records them FINISHED with snapshot timestamps, and alerts no one', async () => {
    // Prepare
    const databases = ['sales', 'orders', 'events'];
    const backupsBefore = harness.statements('BACKUP').length;

    // Act
    const run = await harness.run({ databases });

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.results.map((r) => [r.database, r.state])).toEqual([
      ['events', 'FINISHED'],
      ['orders', 'FINISHED'],
      ['sales', 'FINISHED'],
    ]);
    expect(harness.statements('BACKUP').length - backupsBefore).toBe(3);
    const items = await harness.catalog.listRun({ runId: run.executionArn });
    expect(
      items.items.every(
        (item) =>
          item.verified && /^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}$/.test(item.snapshotTimestamp ?? ''),
      ),
    ).toBe(true);
    expect(items.items.every((item) => item.sizeBytes !== null && item.tableCount === 2)).toBe(true);
    expect(harness.slack.requests).toHaveLength(0);
    expect(await expectCleanEnd(harness, run, databases)).toEqual({
      terminalItemsPerDatabase: { sales: 1, orders: 1, events: 1 },
      heldLocks: 0,
      heldSlots: 0,
    });
  });

  it('honours include/exclude globs and system databases, and skips an empty database without an alert', async () => {
    // Prepare
    const backupsBefore = harness.statements('BACKUP').length;
    const requestsBefore = harness.slack.requests.length;

    // Act
    const run = await harness.run({
      cluster: { include: ['sales*', 'archive', 'information_schema', '_statistics_'], exclude: ['*_eu'] },
      scheduledTime: new Date('2026-11-23T18:00:00.000Z'),
    });

    // Assess
    expect(run.results.map((r) => [r.database, r.state, r.error])).toEqual([
      ['archive', 'SKIPPED', 'empty'],
      ['sales', 'FINISHED', null],
    ]);
    // The empty database finds out in its own execution: StarRocks refuses its BACKUP (`Database: archive is
    // empty`), no job runs, and it is SKIPPED.
    const newBackups = harness.statements('BACKUP').slice(backupsBefore);
    expect(newBackups.filter((sql) => sql.includes('`sales`'))).toHaveLength(1);
    expect(newBackups.find((sql) => sql.includes('`sales`'))).toContain(
      '`sales`.`nightly_sales_20261123T1800Z_',
    );
    expect(harness.emulator.state.jobs('archive')).toEqual([]);
    expect(harness.slack.requests.length).toBe(requestsBefore);
    expect((await expectCleanEnd(harness, run, ['archive', 'sales'])).terminalItemsPerDatabase).toEqual({
      archive: 1,
      sales: 1,
    });
  });

  it('on StarRocks 3.3 backs up a database holding a view and an external table with ON (its OLAP tables)', async () => {
    // Act
    const run = await harness.run({ databases: ['reporting'] });

    // Assess
    expect(run.results.map((r) => r.state)).toEqual(['FINISHED']);
    const backup = harness.statements('BACKUP').find((sql) => sql.includes('`reporting`'));
    const parsed = parseStatements(backup ?? '');
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({ kind: 'BACKUP', database: 'reporting' });
    expect(JSON.stringify((parsed[0] as { on?: unknown }).on)).toContain('facts');
    expect(JSON.stringify((parsed[0] as { on?: unknown }).on)).not.toContain('v_summary');
  });

  it('quotes hostile table names in the ON list of a 3.3 database holding a view, so the FE reads them verbatim', async () => {
    // Act
    const run = await harness.run({ databases: ['odd-name~2'] });

    // Assess
    expect(run.results.map((r) => r.state)).toEqual(['FINISHED']);
    const backup = harness.statements('BACKUP').find((sql) => sql.includes('`odd-name~2`'));
    expect(backup).toContain('`we``ird; DROP DATABASE sales; -- x`');
    const parsed = parseStatements(backup ?? '');
    expect(parsed).toHaveLength(1);
    expect(
      (parsed[0] as { on?: readonly { name?: string }[] }).on?.map((object) => object.name).sort(),
    ).toEqual(["it's /* not */ a comment", 'we`ird; DROP DATABASE sales; -- x']);
    expect(harness.emulator.state.tables('sales')).toBeDefined();
  });

  it('measures the deadline on our clock when the FE runs in UTC+8, so a job well within it is never cancelled', async () => {
    // Prepare: a 40-minute job under a one-hour deadline; the FE's CreateTime reads 8 hours "later" than UTC.
    const cancelsBefore = harness.statements('CANCEL').length;

    // Act
    const run = await harness.run({
      databases: ['events'],
      cluster: { timeoutSeconds: 3600 },
      scheduledTime: new Date('2026-11-22T18:00:00.000Z'),
    });

    // Assess
    expect(run.results.map((r) => r.state)).toEqual(['FINISHED']);
    expect(harness.statements('CANCEL').length).toBe(cancelsBefore);
  });
});
