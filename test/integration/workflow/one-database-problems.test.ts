import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshotLabel } from '#domain/starrocks/index.ts';
import { hasFailures } from '#local/cli/format/results.ts';
import { parseStatements } from '#local/emulator/sql/parser.ts';
import {
  database,
  expectCleanEnd,
  SLOT,
  startWorkflowHarness,
  type WorkflowHarness,
} from '#test/support/workflow-harness.ts';

/** The BACKUP statement the FE received for `name`, parsed. */
function backupOf(harness: WorkflowHarness, name: string) {
  const sql = harness.statements('BACKUP').findLast((text) => text.includes(`\`${name}\``)) ?? '';
  const [statement] = parseStatements(sql);
  return statement as { kind: string; on?: readonly { name?: string }[] } | undefined;
}

describe('one database never stops the others (StarRocks 3.3.2: list partitions refused, MVs backed up)', () => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await startWorkflowHarness({
      // 3.3.2: before PR #51993's backport (lifted from 3.3.5 in the emulator), after PR #29164 (MVs, 3.2).
      version: '3.3.2',
      repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
      databases: [
        database('sales'),
        database('orders'),
        // A name today's FeNameFormat refuses (it must start with a letter, or _ and a letter or digit).
        { ...database('2024_archive'), legacyName: true },
        {
          name: 'events',
          tables: [
            { name: 'clicks', sizeBytes: 4096, rows: 100 },
            { name: 'by_city', sizeBytes: 4096, rows: 100, partitioning: 'AUTOMATIC_LIST' },
          ],
          backup: { durationMs: 5 * 60_000 },
        },
        {
          name: 'reporting',
          tables: [
            { name: 'facts', sizeBytes: 4096, rows: 100 },
            { name: 'mv_daily', type: 'MATERIALIZED_VIEW', sizeBytes: 1024, rows: 10 },
            { name: 'v_summary', type: 'VIEW' },
          ],
          backup: { durationMs: 5 * 60_000 },
        },
      ],
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('backs up every ordinary database, reports each problem on its own database, exits 1, and keeps the MV', async () => {
    // Act
    const run = await harness.run();

    // Assess: every database has its own result; the run fails only because one database FAILED.
    expect(run.runError).toBeNull();
    expect(run.status).toBe('FAILED');
    expect(hasFailures(run.results)).toBe(true);
    expect(run.results.map((r) => [r.database, r.state])).toEqual([
      ['2024_archive', 'FAILED'],
      ['events', 'FINISHED'],
      ['orders', 'FINISHED'],
      ['reporting', 'FINISHED'],
      ['sales', 'FINISHED'],
    ]);
    const [archive, events] = run.results;
    expect(archive?.error).toContain('database 2024_archive cannot be backed up');
    expect(events?.warning).toContain('by_city (list-partitioned)');
    expect(harness.statements('BACKUP').some((sql) => sql.includes('2024_archive'))).toBe(false);

    // The list-partitioned table is left out by name, the rest of its database backed up.
    expect(backupOf(harness, 'events')?.on?.map((object) => object.name)).toEqual(['clicks']);
    // On 3.3 the view forces an ON (…) list, and the MV is in it (3.2+, PR #29164).
    expect(
      backupOf(harness, 'reporting')
        ?.on?.map((object) => object.name)
        .sort(),
    ).toEqual(['facts', 'mv_daily']);
    const reporting = (await harness.catalog.listRun({ runId: run.executionArn })).items.find(
      (item) => item.database === 'reporting',
    );
    expect(reporting?.objects).toEqual(['TABLE', 'MATERIALIZED_VIEW']);
    expect(reporting?.omitted?.map((object) => [object.name, object.why])).toEqual([
      ['v_summary', 'view-before-3.4'],
    ]);

    // One alert per problem, through each database's own execution.
    expect(run.alerts.filter((alert) => alert.kind === 'backup-failure').map((alert) => alert.text)).toEqual([
      expect.stringContaining('2024_archive'),
    ]);
    const warnings = run.alerts.filter((alert) => alert.kind === 'alert');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.text).toContain('by_city');
    expect(warnings[0]?.text).toContain('events');
    expect(
      await expectCleanEnd(harness, run, ['2024_archive', 'events', 'orders', 'reporting', 'sales']),
    ).toEqual({
      terminalItemsPerDatabase: { '2024_archive': 1, events: 1, orders: 1, reporting: 1, sales: 1 },
      heldLocks: 0,
      heldSlots: 0,
    });
  });

  it('makes a listing of one database that fails its own FAILED result, and backs up the others', async () => {
    // Prepare: the FE cannot read orders' metadata (an SQL error, not an unreachable FE).
    harness.emulator.faults.failStatements("TABLE_SCHEMA = 'orders'", 'Unexpected exception: null', {
      times: 1,
    });
    const slot = new Date(SLOT.getTime() - 2 * 86_400_000);

    // Act
    const run = await harness.run({ databases: ['orders', 'sales'], scheduledTime: slot });

    // Assess
    expect(run.runError).toBeNull();
    expect(run.results.map((r) => [r.database, r.state])).toEqual([
      ['orders', 'FAILED'],
      ['sales', 'FINISHED'],
    ]);
    expect(run.results[0]?.error).toBe(
      'listing the tables of database orders failed: LIST TABLES on 127.0.0.1:' +
        `${harness.emulator.port} failed: Unexpected exception: null`,
    );
    expect(run.alerts.filter((alert) => alert.kind === 'backup-failure')).toHaveLength(1);
    expect(harness.statements('BACKUP').filter((sql) => sql.includes('`orders`'))).toHaveLength(1);
  });

  it('re-verifies an adopted snapshot: one that vanished is marked lost, alerted, and backed up again, and every report agrees', async () => {
    // Prepare: the slot ran and FINISHED; then its snapshot was deleted from the repository.
    const slot = new Date(SLOT.getTime() - 86_400_000);
    const first = await harness.run({ databases: ['sales'], scheduledTime: slot });
    expect(first.results.map((r) => r.state)).toEqual(['FINISHED']);
    const label = buildSnapshotLabel({
      cluster: 'test',
      schedule: 'nightly',
      database: 'sales',
      scheduledTime: slot,
    });
    harness.emulator.state.deleteSnapshot('s3_repo', label);
    const backupsBefore = harness.statements('BACKUP').length;

    // Act: the same slot again (a re-run, or a retried schedule).
    const again = await harness.run({ databases: ['sales'], scheduledTime: slot });

    // Assess: the progress (the child's own outcome), --json, the exit code and the summary all say FINISHED.
    const childEnds = again.events.filter(
      (event) => event.stateMachine === 'backupDatabase' && event.event.type === 'ExecutionSucceeded',
    );
    expect(childEnds).toHaveLength(1);
    expect(again.status).toBe('SUCCEEDED');
    expect(hasFailures(again.results)).toBe(false);
    expect(again.results.map((r) => [r.state, r.snapshot])).toEqual([['FINISHED', `${label}_a2`]]);
    // A new attempt ran: one more BACKUP, under the next attempt's label.
    expect(harness.statements('BACKUP').slice(backupsBefore)).toEqual([
      expect.stringContaining(`${label}_a2`),
    ]);
    // The loss is recorded beside pinned/pruned; the new snapshot is good.
    const [lost] = await harness.catalog.findSnapshot({ cluster: 'test', database: 'sales', label });
    expect(lost?.state).toBe('FINISHED');
    expect(lost?.lostAt).toEqual(expect.any(String));
    const [renewed] = await harness.catalog.findSnapshot({
      cluster: 'test',
      database: 'sales',
      label: `${label}_a2`,
    });
    expect([renewed?.state, renewed?.verified, renewed?.lostAt]).toEqual(['FINISHED', true, undefined]);
    // One alert says the snapshot vanished.
    const warnings = again.alerts.filter((alert) => alert.kind === 'alert');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.text).toContain(`${label} of sales`);
    expect(warnings[0]?.text).toContain('vanished');
    expect(again.alerts.filter((alert) => alert.kind === 'backup-failure')).toEqual([]);
  });
});
