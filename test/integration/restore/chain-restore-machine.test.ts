// The deployed on-demand Restore machine (statemachines/restore.asl.json) restoring a chain (issue 20,
// EXPERIMENTAL): the real ASL in the local interpreter, the real Lambdas, dynalite and the emulator over MySQL, on one
// virtual clock. The full, the drops and the differential into a new database, equal to the source at the
// differential; an existing target refused; a stop mid-chain settled; a tampered manifest failing the check. About
// 2 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestStore } from '#domain/catalog/manifest-store.ts';
import type { Manifest } from '#domain/differential/manifest.ts';
import {
  CHAIN_RESTORE_MS,
  comparable,
  CHAIN_DIFFERENTIAL as DIFFERENTIAL,
  CHAIN_FULL as FULL,
  startChainHarness,
  tamperedManifest,
} from '#test/support/chain-harness.ts';
import { runRestoreMachine } from '#test/support/drill-harness.ts';
import type { WorkflowHarness } from '#test/support/workflow-harness.ts';

describe('the on-demand Restore state machine restoring a chain', () => {
  let harness: WorkflowHarness;
  let manifests: ManifestStore;
  let differentialManifest: Manifest;
  let atDifferential: ReturnType<typeof comparable>;
  let ref: (label: string) => { cluster: string; database: string; label: string };

  beforeAll(async () => {
    ({ harness, manifests, differentialManifest, atDifferential, ref } = await startChainHarness());
  });

  afterAll(async () => {
    await harness.close();
  });

  function sentSince(index: number): string[] {
    return harness.emulator.statements
      .slice(index)
      .map((entry) => entry.sql)
      .filter((sql) => /^(CREATE DATABASE|RESTORE|ALTER TABLE|DROP DATABASE)/.test(sql));
  }

  it('restores the latest point, a differential, as its chain into a new database equal to the source at the differential, and keeps it', async () => {
    // Prepare
    const before = harness.emulator.statements.length;

    // Act
    const run = await runRestoreMachine(harness, { database: 'dw', targetDatabase: 'dw_restored' });

    // Assess
    expect(run.outcome.status, JSON.stringify(run.outcome)).toBe('SUCCEEDED');
    const output = run.outcome.status === 'SUCCEEDED' ? run.outcome.output : null;
    expect(output).toMatchObject({
      state: 'FINISHED',
      targetDatabase: 'dw_restored',
      snapshot: { label: DIFFERENTIAL },
      check: { passed: true, tableCount: 3, mismatches: [] },
      restore: { label: DIFFERENTIAL, chain: { stepsLeft: false } },
    });
    const job = (output as { restore: { finishedAt: number; chain: { startedAt: number } } }).restore;
    expect((job.finishedAt - job.chain.startedAt) / 1000).toBeGreaterThanOrEqual(
      (2 * CHAIN_RESTORE_MS) / 1000,
    );
    expect(comparable(harness.emulator.state.contents('dw_restored'))).toEqual(atDifferential);
    const sent = sentSince(before);
    expect(sent).toHaveLength(5);
    expect(sent[0]).toBe('CREATE DATABASE IF NOT EXISTS `dw_restored`');
    expect(sent[1]).toContain(`\`dw_restored\`.\`${FULL}\``);
    expect(sent.slice(2, 4).every((sql) => sql.includes('DROP PARTITION IF EXISTS'))).toBe(true);
    expect(sent[4]).toContain(`\`dw_restored\`.\`${DIFFERENTIAL}\``);
    expect(run.entered.filter((name) => name === 'NextRestoreStep')).toHaveLength(1);
    expect(run.entered).not.toContain('DropEmptyTarget');
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
  });

  it('refuses an existing target before it sends any RESTORE, and a chain of some tables before it holds anything', async () => {
    // Prepare
    const before = harness.emulator.statements.length;

    // Act
    const existing = await runRestoreMachine(harness, { database: 'dw', targetDatabase: 'dw' });
    const tables = await runRestoreMachine(harness, {
      database: 'dw',
      targetDatabase: 'dw_some',
      tables: [{ name: 'sales_fact' }],
    });

    // Assess
    expect(existing.outcome).toMatchObject({ status: 'FAILED', error: 'RestoreTargetExistsError' });
    expect(tables.outcome).toMatchObject({ status: 'FAILED' });
    expect(JSON.stringify(tables.outcome)).toContain('a chain restore restores the whole database');
    expect(tables.entered).not.toContain('AcquireSlot');
    expect(sentSince(before)).toEqual([]);
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
  });

  it('when stopped during the full’s RESTORE, the settlement cancels that RESTORE (the lock notes each step’s label) and frees everything', async () => {
    // Prepare
    const before = harness.emulator.statements.length;

    // Act: StopExecution at the first poll, while the full's RESTORE runs.
    const run = await runRestoreMachine(
      harness,
      { database: 'dw', targetDatabase: 'dw_stopped' },
      { stopAtCheck: 1 },
    );

    // Assess
    expect(run.outcome.status).toBe('ABORTED');
    const sent = harness.emulator.statements.slice(before).map((entry) => entry.sql);
    expect(sent.filter((sql) => sql.startsWith('RESTORE'))).toHaveLength(1);
    expect(sent.filter((sql) => sql.startsWith('RESTORE'))[0]).toContain(FULL);
    expect(sent.filter((sql) => sql.startsWith('CANCEL RESTORE'))).toEqual([
      'CANCEL RESTORE FROM `dw_stopped`',
    ]);
    expect(harness.emulator.state.runningJobCount()).toBe(0);
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
  });

  it('fails the check naming the partition when the restored chain differs from the differential’s manifest', async () => {
    // Prepare
    await manifests.writeManifest(
      ref(DIFFERENTIAL),
      tamperedManifest(differentialManifest, 'p20261125', '99'),
    );

    // Act
    const run = await runRestoreMachine(harness, { database: 'dw', targetDatabase: 'dw_mismatch' });
    await manifests.writeManifest(ref(DIFFERENTIAL), differentialManifest);

    // Assess
    expect(run.outcome).toMatchObject({ status: 'FAILED', error: 'RestoreCheckFailedError' });
    expect(run.entered).toContain('CheckFailed');
    expect(JSON.stringify(run.events.at(-1))).toMatch(/sales_fact partition p20261125: expected version 99/);
  });
});
