// Time: about 8 s (13 cases, each several nightly runs through the real ASL in the local interpreter, the emulator
// over MySQL and dynalite); virtual clock, no sleeps.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createManifestStore, type ManifestStore } from '#domain/catalog/manifest-store.ts';
import type { BackupAttempt } from '#domain/catalog/schema.ts';
import { assessFreshness } from '#domain/freshness/freshness.ts';
import type { EmulatorScenario } from '#local/emulator/index.ts';
import { startWorkflowHarness, type WorkflowHarness } from '#test/support/workflow-harness.ts';

const MB = 1_000_000;
const DAY_MS = 86_400_000;
/** The harness's first slot: 02:00 in Shanghai. */
const FIRST_SLOT = Date.parse('2026-11-24T18:00:00.000Z');

function day(date: string): { from: string; to: string } {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return { from: date, to: next };
}

function scenarioWith(databases: string[]): EmulatorScenario {
  return {
    version: '3.3',
    feTimeZone: 'UTC',
    repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
    databases: databases.map((name) => ({
      name,
      tables: [
        {
          name: 'sales_fact',
          partitioning: 'RANGE' as const,
          partitions: ['2026-11-21', '2026-11-22', '2026-11-23'].map((date, index) => ({
            name: `p${date.replaceAll('-', '')}`,
            rows: 100 * (index + 1),
            sizeBytes: 10 * MB * (index + 1),
            range: day(date),
          })),
        },
        { name: 'dim_city', rows: 50, sizeBytes: 5 * MB },
        // StarRocks 3.3 cannot back up a view: every BACKUP names the tables (ON), and no manifest lists it.
        ...(name === 'dw_view' ? [{ name: 'v_sales', type: 'VIEW' as const }] : []),
      ],
      backup: { durationMs: 60_000 },
    })),
  };
}

const differentialSchedule = (fullEvery: number) => ({
  schedules: [
    { name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai', mode: 'differential', fullEvery },
  ],
});

describe('a differential schedule through the real workflow (issue 20)', () => {
  let harness: WorkflowHarness;
  let manifests: ManifestStore;

  beforeAll(async () => {
    harness = await startWorkflowHarness(
      scenarioWith(['dw', 'dw_lost', 'dw_full', 'dw_retry', 'dw_view', 'dw_blip', 'dw_mixed']),
    );
    manifests = createManifestStore({
      client: harness.dynamo.client,
      tableName: harness.dynamo.catalogTableName,
      clock: harness.clock,
    });
  });

  afterEach(async () => {
    expect(await harness.cleanEndOfRuns()).toEqual({ notOneItem: [], heldByRuns: [] });
  });

  afterAll(async () => {
    await harness.close();
  });

  /** One nightly run of `database`, `days` after the first slot (the clock moves there first). */
  async function runNight(
    database: string,
    days: number,
    fullEvery: number,
    changes: () => void = () => {},
    afterTask?: NonNullable<Parameters<WorkflowHarness['run']>[0]>['afterTask'],
  ) {
    const slot = FIRST_SLOT + days * DAY_MS;
    harness.clock.set(Math.max(harness.clock.now(), slot + 5_000));
    changes();
    const backupsBefore = harness.statements('BACKUP').length;
    const run = await harness.run({
      cluster: differentialSchedule(fullEvery),
      databases: [database],
      scheduledTime: new Date(slot),
      ...(afterTask === undefined ? {} : { afterTask }),
    });
    const items = await harness.catalog.listRun({ runId: run.executionArn });
    const item = items.items.find((entry) => entry.database === database) as BackupAttempt;
    return { run, item, backups: harness.statements('BACKUP').slice(backupsBefore) };
  }

  it('takes a full, then only what changed, skips an unchanged night, and takes a new full when one is due', async () => {
    const state = harness.emulator.state;

    // Night 1: no full yet.
    const n1 = await runNight('dw', 0, 3);
    expect(n1.run.status).toBe('SUCCEEDED');
    expect(n1.item).toMatchObject({ state: 'FINISHED', verified: true, mode: 'full' });
    expect(n1.item.baseLabel).toBeUndefined();
    expect(n1.backups).toHaveLength(1);
    expect(n1.backups[0]).not.toContain(' ON (');
    const fullManifest = await manifests.readManifest({
      cluster: 'test',
      database: 'dw',
      label: n1.item.label,
    });
    expect(fullManifest?.tables.map((table) => [table.name, table.partitions.length]).sort()).toEqual([
      ['dim_city', 1],
      ['sales_fact', 3],
    ]);

    // Night 2: a load into one partition and a new partition: a differential of exactly those.
    const n2 = await runNight('dw', 1, 3, () => {
      state.load('dw', 'sales_fact', 'p20261123', { rows: 40, sizeBytes: 4 * MB });
      state.addPartition('dw', 'sales_fact', {
        name: 'p20261124',
        rows: 500,
        sizeBytes: 50 * MB,
        range: day('2026-11-24'),
      });
    });
    expect(n2.item).toMatchObject({
      state: 'FINISHED',
      verified: true,
      mode: 'differential',
      baseLabel: n1.item.label,
    });
    expect(n2.backups).toEqual([
      expect.stringContaining(' ON (`sales_fact` PARTITION (`p20261123`, `p20261124`))'),
    ]);
    expect(
      harness.emulator.state
        .snapshotContents('s3_repo', n2.item.label)
        ?.map((table) => [table.name, table.partitions.map((partition) => partition.name)]),
    ).toEqual([['sales_fact', ['p20261123', 'p20261124']]]);
    expect(
      await manifests.readManifest({ cluster: 'test', database: 'dw', label: n2.item.label }),
    ).toBeDefined();

    // Night 3: nothing changed since night 2: SKIPPED unchanged, no BACKUP, no alert.
    const alertsBefore = harness.slack.requests.length;
    const n3 = await runNight('dw', 2, 3);
    expect(n3.run.status).toBe('SUCCEEDED');
    expect(n3.item).toMatchObject({ state: 'SKIPPED', reason: 'unchanged' });
    expect(n3.backups).toEqual([]);
    expect(harness.slack.requests.length).toBe(alertsBefore);
    // Night 2's snapshot holds night 3's data: freshness counts night 3's slot as covered, hours later.
    const freshnessRequest = (now: number) => ({
      cluster: {
        name: 'test',
        timeoutSeconds: 3600,
        include: ['*'],
        exclude: [],
        schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai', enabled: true }],
      },
      now,
    });
    const latestGood = (await harness.catalog.latestGoodSnapshots('test')).filter(
      (snapshot) => snapshot.database === 'dw',
    );
    expect(latestGood).toMatchObject([{ label: n2.item.label, unchangedThrough: n3.item.scheduledTime }]);
    const sixHoursLater = FIRST_SLOT + 2 * DAY_MS + 6 * 3_600_000;
    expect(
      assessFreshness({ ...freshnessRequest(sixHoursLater), latestGood }).databases.map(
        (entry) => entry.state,
      ),
    ).toEqual(['fresh']);
    // Without the mark, night 2's snapshot alone would be late for night 3's slot.
    const unmarked = latestGood.map(({ unchangedThrough: _, ...snapshot }) => snapshot);
    expect(
      assessFreshness({ ...freshnessRequest(sixHoursLater), latestGood: unmarked }).databases.map(
        (entry) => entry.state,
      ),
    ).toEqual(['late']);

    // Night 4: the full is three days old (fullEvery: 3): a new full, although nothing changed.
    const n4 = await runNight('dw', 3, 3);
    expect(n4.item).toMatchObject({ state: 'FINISHED', verified: true, mode: 'full' });
    expect(n4.backups[0]).not.toContain(' ON (');

    // Night 5: the new chain's differential names the new full.
    const n5 = await runNight('dw', 4, 3, () => {
      state.load('dw', 'dim_city', 'dim_city', { rows: 5, sizeBytes: 500_000 });
    });
    expect(n5.item).toMatchObject({ mode: 'differential', baseLabel: n4.item.label });
    expect(n5.backups).toEqual([expect.stringContaining(' ON (`dim_city`)')]);
  });

  it('fails a differential whose full left the repository, marks the full lost, and starts a new chain the next night', async () => {
    const state = harness.emulator.state;
    const n1 = await runNight('dw_lost', 0, 7);
    expect(n1.item).toMatchObject({ state: 'FINISHED', mode: 'full' });
    // The full's snapshot is deleted from the repository behind the catalog's back, during night 2's backup.
    state.deleteSnapshot('s3_repo', n1.item.label);

    const n2 = await runNight('dw_lost', 1, 7, () => {
      state.load('dw_lost', 'sales_fact', 'p20261122', { rows: 1, sizeBytes: 100 });
    });
    expect(n2.item).toMatchObject({ state: 'FAILED', mode: 'differential', baseLabel: n1.item.label });
    expect(n2.item.reason).toContain(`full ${n1.item.label}, which repository s3_repo no longer holds`);
    expect(n2.run.alerts.map((alert) => alert.text ?? '').join('\n')).toContain('dw_lost');
    const [full] = await harness.catalog.findSnapshot({
      cluster: 'test',
      database: 'dw_lost',
      label: n1.item.label,
    });
    expect(full?.lostAt).toBeDefined();

    const n3 = await runNight('dw_lost', 2, 7);
    expect(n3.item).toMatchObject({ state: 'FINISHED', verified: true, mode: 'full' });
    expect(n3.backups[0]).not.toContain(' ON (');
  });

  it('builds on its own full, not on a newer snapshot of a full schedule beside it (which has no manifest)', async () => {
    const state = harness.emulator.state;
    const n1 = await runNight('dw_mixed', 0, 7);
    // A second, full-mode schedule backs the database up the next day (the docs advise one while experimental).
    const slot = FIRST_SLOT + DAY_MS + 3_600_000;
    harness.clock.set(Math.max(harness.clock.now(), slot + 5_000));
    const weekly = await harness.run({
      cluster: { schedules: [{ name: 'weekly', cron: '0 3 * * ? *', timezone: 'Asia/Shanghai' }] },
      databases: ['dw_mixed'],
      scheduledTime: new Date(slot),
    });
    const n2 = await runNight('dw_mixed', 2, 7, () => {
      state.load('dw_mixed', 'sales_fact', 'p20261121', { rows: 1, sizeBytes: 100 });
    });

    expect(weekly.results.map((result) => result.state)).toEqual(['FINISHED']);
    expect(n2.item).toMatchObject({ state: 'FINISHED', mode: 'differential', baseLabel: n1.item.label });
    expect(n2.backups).toEqual([expect.stringContaining(' ON (`sales_fact` PARTITION (`p20261121`))')]);
  });

  it('never marks a full lost because its repository listing failed: the chain goes on the next night', async () => {
    const state = harness.emulator.state;
    const n1 = await runNight('dw_blip', 0, 7);
    // The object store fails to list the full's directory (only the full's), for the whole of night 2.
    state.failSnapshotListing('s3_repo', n1.item.label, 'broker timeout');
    const n2 = await runNight('dw_blip', 1, 7, () => {
      state.load('dw_blip', 'sales_fact', 'p20261122', { rows: 1, sizeBytes: 100 });
    });
    state.failSnapshotListing('s3_repo', n1.item.label, null);
    const n3 = await runNight('dw_blip', 2, 7);

    expect(n2.item).toMatchObject({ state: 'FAILED', mode: 'differential', baseLabel: n1.item.label });
    expect(n2.item.reason).toContain('could not read the repository');
    const [full] = await harness.catalog.findSnapshot({
      cluster: 'test',
      database: 'dw_blip',
      label: n1.item.label,
    });
    expect(full?.lostAt).toBeUndefined();
    expect(n3.item).toMatchObject({ state: 'FINISHED', mode: 'differential', baseLabel: n1.item.label });
  });

  it('records a differential whose SubmitBackup answer was lost as the differential the first answer decided', async () => {
    // Prepare: night 1's full; night 2's SubmitBackup times out after its BACKUP was accepted (a Lambda timeout).
    const n1 = await runNight('dw_retry', 0, 7);
    let lost = false;

    // Act
    const n2 = await runNight(
      'dw_retry',
      1,
      7,
      () => harness.emulator.state.load('dw_retry', 'sales_fact', 'p20261123', { rows: 3, sizeBytes: 300 }),
      ({ stateName }) => {
        if (stateName !== 'SubmitBackup' || lost) return;
        lost = true;
        const timedOut = new Error('Task timed out after 100.00 seconds');
        timedOut.name = 'Sandbox.Timedout';
        throw timedOut;
      },
    );

    // Assess: one BACKUP (the retry found its own job), recorded with the chain the first invocation wrote.
    expect(lost).toBe(true);
    expect(n2.backups).toEqual([expect.stringContaining(' ON (`sales_fact` PARTITION (`p20261123`))')]);
    expect(n2.item).toMatchObject({ state: 'FINISHED', mode: 'differential', baseLabel: n1.item.label });
  });

  it('keeps an object the version cannot back up out of the manifests: an unchanged night stays unchanged', async () => {
    const n1 = await runNight('dw_view', 0, 7);
    const n2 = await runNight('dw_view', 1, 7);

    expect(n1.item).toMatchObject({ state: 'FINISHED', mode: 'full' });
    expect(n1.backups[0]).toContain(' ON (');
    expect(n1.backups[0]).not.toContain('v_sales');
    const manifest = await manifests.readManifest({
      cluster: 'test',
      database: 'dw_view',
      label: n1.item.label,
    });
    expect(manifest?.others).toEqual([]);
    expect(n2.item).toMatchObject({ state: 'SKIPPED', reason: 'unchanged' });
    expect(n2.backups).toEqual([]);
  });

  it('a full schedule writes no manifest and records no mode, as before', async () => {
    harness.clock.set(Math.max(harness.clock.now(), FIRST_SLOT + 5_000));
    const run = await harness.run({ databases: ['dw_full'], scheduledTime: new Date(FIRST_SLOT) });
    const { items } = await harness.catalog.listRun({ runId: run.executionArn });
    expect(items[0]).toMatchObject({ state: 'FINISHED' });
    expect(items[0]?.mode).toBeUndefined();
    expect(
      await manifests.readManifest({ cluster: 'test', database: 'dw_full', label: items[0]?.label ?? '' }),
    ).toBeUndefined();
  });
});

describe('a differential schedule on every StarRocks line (partitions_meta, else SHOW PARTITIONS)', () => {
  // 3.0 and 3.1.5 have no partitions_meta (SHOW PARTITIONS per table); 3.2.11 and later read it in one query.
  it.each(['3.0', '3.1.5', '3.2', '3.4', '3.5', '4.0'])(
    'StarRocks %s: a full, then exactly the changed partitions',
    async (version) => {
      const harness = await startWorkflowHarness({ ...scenarioWith(['dw']), version });
      try {
        const run = async (days: number) => {
          const slot = FIRST_SLOT + days * DAY_MS;
          harness.clock.set(Math.max(harness.clock.now(), slot + 5_000));
          const backupsBefore = harness.statements('BACKUP').length;
          const result = await harness.run({
            cluster: differentialSchedule(7),
            scheduledTime: new Date(slot),
          });
          const { items } = await harness.catalog.listRun({ runId: result.executionArn });
          return { item: items[0], backups: harness.statements('BACKUP').slice(backupsBefore) };
        };
        const n1 = await run(0);
        harness.emulator.state.load('dw', 'sales_fact', 'p20261122', { rows: 5, sizeBytes: MB });
        const n2 = await run(1);
        const n3 = await run(2);

        expect(n1.item).toMatchObject({ state: 'FINISHED', mode: 'full' });
        expect(n2.item).toMatchObject({ state: 'FINISHED', mode: 'differential', baseLabel: n1.item?.label });
        // 3.4+ names the object's type in the ON list (PR #52729: `ON (TABLE t PARTITION (…))`).
        const on =
          version.startsWith('3.4') || version.startsWith('3.5') || version.startsWith('4.') ? 'TABLE ' : '';
        expect(n2.backups).toEqual([
          expect.stringContaining(`ON (${on}\`sales_fact\` PARTITION (\`p20261122\`))`),
        ]);
        expect(n3.item).toMatchObject({ state: 'SKIPPED', reason: 'unchanged' });
        expect(harness.emulator.statements.some((s) => s.sql.includes('partitions_meta'))).toBe(
          !['3.0', '3.1.5'].includes(version),
        );
      } finally {
        await harness.close();
      }
    },
  );
});
