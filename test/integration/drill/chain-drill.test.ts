// Restore drills of a chain (issue 20, EXPERIMENTAL): the RestoreDrill state machine (the real ASL in the local
// interpreter) over the real Lambdas, the emulator over MySQL and the catalog in dynalite, on one virtual clock (no
// sleeps). A full and a differential are taken over SQL and recorded with their manifests as the eight-night
// scenario takes them; the drill restores the chain (the full, the drops, the differential) into its scratch
// database, compares it with the differential's manifest and records it as a chain. About 5 s (the
// deadline case polls a 10-minute RESTORE many times on the virtual clock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestStore } from '#domain/catalog/manifest-store.ts';
import type { Manifest } from '#domain/differential/manifest.ts';
import { restoreHistorySeconds } from '#domain/restore/restore-plan.ts';
import {
  comparable,
  CHAIN_DIFFERENTIAL as DIFFERENTIAL,
  CHAIN_FULL as FULL,
  CHAIN_RESTORE_MS as RESTORE_MS,
  startChainHarness,
  tamperedManifest,
} from '#test/support/chain-harness.ts';
import { drillSettings, runDrill, statementsStartingWith } from '#test/support/drill-harness.ts';
import type { WorkflowHarness } from '#test/support/workflow-harness.ts';

const DAY_MS = 86_400_000;

/** The drill slot of the n-th drill of this file (each its own scratch database). */
function slot(n: number): Date {
  return new Date(Date.parse('2026-11-25T03:00:00.000Z') + n * DAY_MS);
}

function scratchOf(at: Date): string {
  return `drill_dw_${at.toISOString().slice(0, 16).replace(/[-T:]/g, '')}`;
}

describe('a restore drill of a chain (a differential and its full)', () => {
  let harness: WorkflowHarness;
  let manifests: ManifestStore;
  let fullManifest: Manifest;
  let differentialManifest: Manifest;
  let atDifferential: ReturnType<typeof comparable>;
  let ref: (label: string) => { cluster: string; database: string; label: string };

  beforeAll(async () => {
    ({ harness, manifests, fullManifest, differentialManifest, atDifferential, ref } =
      await startChainHarness());
  });

  afterAll(async () => {
    await harness.close();
  });

  it('restores the full, drops the partitions, restores the differential, equals the source at the differential, records a chain and drops the scratch database', async () => {
    // Prepare
    const at = slot(0);
    const scratch = scratchOf(at);
    const sentBefore = harness.emulator.statements.length;
    let beforeDrop: ReturnType<typeof comparable> | null = null;

    // Act
    const drill = await runDrill(harness, {
      cluster: drillSettings('dw'),
      scheduledTime: at,
      beforeTask: (stateName) => {
        if (stateName === 'DropScratch') beforeDrop = comparable(harness.emulator.state.contents(scratch));
      },
    });

    // Assess
    expect(drill.status, JSON.stringify(drill.error)).toBe('SUCCEEDED');
    expect(beforeDrop).toEqual(atDifferential);
    expect(drill.drill).toMatchObject({
      database: 'dw',
      label: DIFFERENTIAL,
      pointKind: 'chain',
      fullLabel: FULL,
      scratchDatabase: scratch,
      state: 'FINISHED',
      reason: null,
      tableCount: 3,
      emptyTables: [],
      scratchDropped: true,
    });
    expect(drill.drill?.chainFallback).toBeUndefined();
    // Both RESTOREs and the drops between them count: submit of the full → the differential seen FINISHED.
    expect(drill.drill?.durationSeconds ?? 0).toBeGreaterThanOrEqual((2 * RESTORE_MS) / 1000);
    const sent = harness.emulator.statements
      .slice(sentBefore)
      .map((entry) => entry.sql)
      .filter((sql) => /^(RESTORE|ALTER TABLE)/.test(sql));
    expect(sent).toHaveLength(4);
    expect(sent[0]).toContain(`\`${scratch}\`.\`${FULL}\``);
    // Nothing of the full is left out (no table dropped since it, none whole in the differential): all of it.
    expect(sent[0]).not.toContain(' ON ');
    expect(sent.slice(1, 3).sort()).toEqual(
      [
        `ALTER TABLE \`${scratch}\`.\`sales_fact\` DROP PARTITION IF EXISTS \`p20261121\` FORCE`,
        `ALTER TABLE \`${scratch}\`.\`sales_fact\` DROP PARTITION IF EXISTS \`p20261123\` FORCE`,
      ].sort(),
    );
    expect(sent[3]).toContain(`\`${scratch}\`.\`${DIFFERENTIAL}\``);
    expect(sent[3]).toContain('PARTITION (');
    const entered = drill.events
      .filter((event) => event.event.type === 'StateEntered')
      .map((event) => (event.event as { state: { name: string } }).state.name);
    expect(entered.filter((name) => name === 'SubmitRestore')).toHaveLength(2);
    expect(entered.filter((name) => name === 'NextRestoreStep')).toHaveLength(1);
    expect(harness.emulator.state.tables(scratch)).toBeUndefined();
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
    expect(harness.slack.requests).toHaveLength(0);
  });

  it('is idempotent when the answers of NextRestoreStep and of the differential’s SubmitRestore are lost: the drops are no-ops, the RESTORE is adopted', async () => {
    // Prepare: each Task's effects happen, then its answer is lost once (a Lambda timeout); Step Functions retries.
    const at = slot(4);
    const scratch = scratchOf(at);
    const sentBefore = harness.emulator.statements.length;
    const lost = new Set<string>();
    let submits = 0;

    // Act
    const drill = await runDrill(harness, {
      cluster: drillSettings('dw'),
      scheduledTime: at,
      afterTask: ({ stateName }) => {
        if (stateName === 'SubmitRestore') submits += 1;
        const key = stateName === 'SubmitRestore' ? `${stateName}#${submits}` : stateName;
        if (lost.has(stateName) || !(stateName === 'NextRestoreStep' || key === 'SubmitRestore#2')) return;
        lost.add(stateName);
        const timedOut = new Error('Task timed out after 120.00 seconds');
        timedOut.name = 'Sandbox.Timedout';
        throw timedOut;
      },
    });

    // Assess
    expect([...lost].sort()).toEqual(['NextRestoreStep', 'SubmitRestore']);
    expect(drill.status, JSON.stringify(drill.error)).toBe('SUCCEEDED');
    expect(drill.drill).toMatchObject({ pointKind: 'chain', state: 'FINISHED', scratchDropped: true });
    const sent = harness.emulator.statements
      .slice(sentBefore)
      .map((entry) => entry.sql)
      .filter((sql) => /^(RESTORE|ALTER TABLE)/.test(sql));
    // Two RESTOREs (the retried one adopted), the two drops sent twice (the second time IF EXISTS finds them gone).
    expect(sent.filter((sql) => sql.startsWith('RESTORE'))).toHaveLength(2);
    expect(sent.filter((sql) => sql.startsWith('ALTER TABLE'))).toHaveLength(4);
    expect(sent.filter((sql) => sql.includes(scratch))).toHaveLength(6);
  });

  it('holds one deadline over the whole chain: past it during the differential’s RESTORE, that job is cancelled and the drill TIMED_OUT', async () => {
    // Prepare: each RESTORE takes 10 min; the drill's deadline (15 min) covers one, not both.
    const at = slot(5);
    const scratch = scratchOf(at);

    // Act
    const drill = await runDrill(harness, {
      cluster: drillSettings('dw', { timeoutSeconds: 900 }),
      scheduledTime: at,
    });

    // Assess
    expect(drill.error?.name).toBe('RestoreTimedOutError');
    expect(drill.drill).toMatchObject({
      pointKind: 'chain',
      state: 'TIMED_OUT',
      reason: 'deadline',
      durationSeconds: null,
      scratchDropped: true,
    });
    const entered = drill.events
      .filter((event) => event.event.type === 'StateEntered')
      .map((event) => (event.event as { state: { name: string } }).state.name);
    // The full FINISHED within the deadline; the differential's RESTORE was the one running past it.
    expect(entered.filter((name) => name === 'NextRestoreStep')).toHaveLength(1);
    expect(entered.filter((name) => name === 'SubmitRestore')).toHaveLength(2);
    expect(entered).toContain('CancelRestoreAtDeadline');
    expect(drill.events.some((event) => JSON.stringify(event.event).includes('"cancelled":true'))).toBe(true);
    const cancels = statementsStartingWith(harness, 'CANCEL RESTORE');
    expect(cancels.at(-1)).toBe(`CANCEL RESTORE FROM \`${scratch}\``);
    expect(harness.emulator.state.runningJobCount()).toBe(0);
    expect(harness.emulator.state.tables(scratch)).toBeUndefined();
  });

  it('fails the check (CheckFailed) naming the partition when the restored chain differs from the differential’s manifest', async () => {
    // Prepare: the catalog's manifest of the differential says p20261125 is at a version the snapshot is not.
    const tampered = tamperedManifest(differentialManifest, 'p20261125', '99');
    await manifests.writeManifest(ref(DIFFERENTIAL), tampered);
    const at = slot(1);

    // Act
    const drill = await runDrill(harness, { cluster: drillSettings('dw'), scheduledTime: at });
    await manifests.writeManifest(ref(DIFFERENTIAL), differentialManifest);

    // Assess
    expect(drill.status).toBe('FAILED');
    expect(drill.error?.name).toBe('RestoreCheckFailedError');
    expect(drill.drill).toMatchObject({
      label: DIFFERENTIAL,
      pointKind: 'chain',
      fullLabel: FULL,
      state: 'FAILED',
      scratchDropped: true,
    });
    expect(drill.drill?.reason).toMatch(
      new RegExp(
        `differs from the manifest of ${DIFFERENTIAL} in 1 place: sales_fact partition p20261125: expected version 99, found \\d+`,
      ),
    );
    const entered = drill.events
      .filter((event) => event.event.type === 'StateEntered')
      .map((event) => (event.event as { state: { name: string } }).state.name);
    expect(entered).toContain('CheckFailed');
    expect(harness.emulator.state.tables(scratchOf(at))).toBeUndefined();
    expect(harness.slack.requests.map((request) => JSON.stringify(request.body)).join('\n')).toContain(
      'p20261125',
    );
  });

  it('drills the newest full instead, and records why, when the chain cannot be drilled (its full has no manifest)', async () => {
    // Prepare
    await manifests.deleteManifest(ref(FULL));
    const at = slot(2);
    const sentBefore = harness.emulator.statements.length;

    // Act
    const drill = await runDrill(harness, { cluster: drillSettings('dw'), scheduledTime: at });
    await manifests.writeManifest(ref(FULL), fullManifest);

    // Assess
    expect(drill.status).toBe('SUCCEEDED');
    expect(drill.drill).toMatchObject({ label: FULL, pointKind: 'full', state: 'FINISHED', tableCount: 2 });
    expect(drill.drill?.fullLabel).toBeUndefined();
    expect(drill.drill?.chainFallback).toBe(
      `differential ${DIFFERENTIAL} (of full ${FULL}): the catalog holds no partition manifest of the full ${FULL}`,
    );
    const sent = statementsStartingWith(harness, 'RESTORE').filter(
      (sql) => harness.emulator.statements.findIndex((entry) => entry.sql === sql) >= sentBefore,
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toContain(' ON ');
  });

  it('keeps chain and full restore times apart: a chain drill is aimed with earlier chain drills only, a full with full drills only', async () => {
    // Prepare: the cases above recorded two passed chain drills, a failed one and a passed full (the fallback).
    const drills = await harness.catalog.listDrills({ cluster: harness.clusterName, database: 'dw' });
    const passed = (kind: 'full' | 'chain') =>
      drills
        .filter((drill) => drill.state === 'FINISHED' && (drill.pointKind ?? 'full') === kind)
        .map((drill) => drill.durationSeconds);

    // Act
    const chainHistory = await restoreHistorySeconds(
      harness.catalog,
      { cluster: harness.clusterName, database: 'dw' },
      'chain',
    );
    const fullHistory = await restoreHistorySeconds(harness.catalog, {
      cluster: harness.clusterName,
      database: 'dw',
    });
    let aimedWith: unknown = null;
    const next = await runDrill(harness, {
      cluster: drillSettings('dw'),
      scheduledTime: slot(3),
      beforeTask: (stateName, input) => {
        if (stateName === 'SubmitRestore' && aimedWith === null) {
          aimedWith = (input as { plan: { historySeconds: number[] } }).plan.historySeconds;
        }
      },
    });

    // Assess
    expect(passed('chain')).toHaveLength(2);
    expect(passed('full')).toHaveLength(1);
    expect(chainHistory).toEqual(passed('chain'));
    expect(fullHistory).toEqual(passed('full'));
    expect(chainHistory[0]).toBeGreaterThan(fullHistory[0] ?? Number.POSITIVE_INFINITY);
    expect(next.drill).toMatchObject({ pointKind: 'chain', state: 'FINISHED' });
    expect(aimedWith).toEqual(chainHistory);
  });
});
