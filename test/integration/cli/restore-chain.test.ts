// `sr-backup restore` of a differential backup (issue 20, experimental): the command in process against the
// emulator over MySQL and the catalog in dynalite, on one virtual clock (the restore's waits move it; no sleeps). A
// full and a differential are taken over SQL (test/support/chain-harness.ts), recorded in the catalog with their
// manifests, and the chain is restored into a new database; and a chain the differential schedule took through the
// workflow. About 3 s.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestStore } from '#domain/catalog/manifest-store.ts';
import type { Manifest } from '#domain/differential/manifest.ts';
import { type RestoreCommandDeps, runRestoreCommand } from '#local/cli/restore/restore-command.ts';
import type { Sleep } from '#local/runner/run-restore.ts';
import {
  CHAIN_DIFFERENTIAL,
  CHAIN_FULL,
  comparable,
  startChainHarness,
  tamperedManifest,
} from '#test/support/chain-harness.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';
import type { WorkflowHarness } from '#test/support/workflow-harness.ts';
import { writeConfig } from './cli-harness.ts';

const MB = 1_000_000;
const DAY_MS = 86_400_000;
const FULL = CHAIN_FULL;
const DIFFERENTIAL = CHAIN_DIFFERENTIAL;

function day(date: string): { from: string; to: string } {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return { from: date, to: next };
}

/** Backed up by the differential schedule through the real workflow (the last case). */
const SHOP = {
  name: 'shop',
  tables: [
    {
      name: 'orders',
      partitioning: 'RANGE' as const,
      partitions: ['2026-11-24', '2026-11-25'].map((date) => ({
        name: `p${date.replaceAll('-', '')}`,
        rows: 200,
        sizeBytes: 20 * MB,
        range: day(date),
      })),
    },
  ],
};

interface ChainDocument {
  state: string;
  executed: boolean;
  statement: string | null;
  snapshot: { label: string } | null;
  tableCount: number | null;
  error: { name: string; message: string } | null;
  chain?: {
    full: { label: string };
    differential: { label: string };
    steps: { step: string }[];
    statements: string[];
    counts: Record<string, number>;
    mismatches:
      | { table: string; partition: string | null; expected: string | null; actual: string | null }[]
      | null;
  };
}

describe('sr-backup restore of a differential backup (a chain restore, local)', () => {
  let harness: WorkflowHarness;
  let manifests: ManifestStore;
  let dir: string;
  let config: string;
  let fullManifest: Manifest;
  let differentialManifest: Manifest;
  /** The source database when the differential's BACKUP was sent. */
  let atDifferential: ReturnType<typeof comparable>;

  /** A sleep on the harness's clock; `during` runs at each wait (a RESTORE is in flight then). */
  function virtualSleep(during: (waits: number) => void | Promise<void> = () => undefined): Sleep {
    let waits = 0;
    return async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      harness.clock.advance(ms);
      waits += 1;
      await during(waits);
    };
  }

  async function restore(args: Record<string, unknown>, localSleep: Sleep = virtualSleep()) {
    const captured = capturedCliIo({ now: () => harness.clock.now(), env: { STARROCKS_PASSWORD: '' } });
    const deps: RestoreCommandDeps = {
      makeSfn: () => new SFNClient({ region: 'eu-west-1' }),
      sleep: () => Promise.resolve(),
      pollSeconds: 1,
      localSleep,
    };
    const code = await runRestoreCommand(
      {
        config,
        cluster: harness.clusterName,
        database: 'dw',
        dynamodbEndpoint: harness.dynamo.endpoint,
        ...args,
      },
      captured.io,
      deps,
    );
    return { code, stdout: captured.stdout(), stderr: captured.stderr() };
  }

  beforeAll(async () => {
    ({ harness, manifests, fullManifest, differentialManifest, atDifferential } = await startChainHarness({
      extraDatabases: [SHOP],
    }));
    dir = await mkdtemp(join(tmpdir(), 'restore-chain-'));
    const cluster = (name: string) => ({
      name,
      host: harness.emulator.host,
      port: harness.emulator.port,
      repository: 's3_repo',
      maxConcurrentBackups: 4,
      timeoutSeconds: 3600,
      connectTimeoutSeconds: 2,
      schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'UTC' }],
    });
    config = await writeConfig(dir, 'backup.yaml', {
      clusters: [cluster(harness.clusterName), cluster('dr')],
      poll: { minSeconds: 30, maxSeconds: 3600 },
    });
  });

  afterAll(async () => {
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the chain of the latest point (a differential) without --execute and changes nothing', async () => {
    // Act
    const sentBefore = harness.emulator.statements.length;
    const planned = await restore({ as: 'dw_planned', json: true });

    // Assess
    expect(planned.code, planned.stderr).toBe(0);
    const document = JSON.parse(planned.stdout) as ChainDocument;
    expect(document).toMatchObject({
      state: 'PLANNED',
      executed: false,
      statement: null,
      snapshot: { label: DIFFERENTIAL },
      chain: {
        full: { label: FULL },
        differential: { label: DIFFERENTIAL },
        counts: {
          droppedPartitions: 1,
          replacedPartitions: 1,
          differentialPartitions: 3,
          differentialWholeObjects: 1,
        },
        mismatches: null,
      },
    });
    expect(document.chain?.steps.map((step) => step.step)).toEqual([
      'restore-full',
      'drop-partitions',
      'drop-partitions',
      'restore-differential',
      'check',
    ]);
    expect(planned.stderr).toContain(
      `Chain restore of dw (cluster test) to differential snapshot ${DIFFERENTIAL} (experimental)`,
    );
    expect(planned.stderr).toContain(`  full             ${FULL}`);
    expect(planned.stderr).toContain(
      '  partitions       1 dropped since the full, 1 replaced, 3 restored from the differential',
    );
    expect(planned.stderr).toContain('DROP 1 partition of sales_fact (dropped since the full): p20261121');
    expect(planned.stderr).toContain('Nothing was changed. Add --execute to run it.');
    const sent = harness.emulator.statements.slice(sentBefore).map((entry) => entry.sql);
    expect(sent.filter((sql) => /^(CREATE|RESTORE|ALTER|DROP)/.test(sql))).toEqual([]);
  });

  it('restores --snapshot <differential> --execute: the full, the drops, the differential, equal partition by partition to the source at the differential', async () => {
    // Prepare
    const sentBefore = harness.emulator.statements.length;
    const heldMeanwhile: Awaited<ReturnType<WorkflowHarness['locks']['inspectLocks']>>[] = [];
    const sleep = virtualSleep(async (waits) => {
      if (waits === 1) heldMeanwhile.push(await harness.locks.inspectLocks(harness.clusterName));
    });

    // Act
    const restored = await restore(
      { snapshot: DIFFERENTIAL, as: 'dw_restored', execute: true, json: true },
      sleep,
    );

    // Assess
    expect(restored.code, restored.stderr).toBe(0);
    const document = JSON.parse(restored.stdout) as ChainDocument;
    expect(document).toMatchObject({ state: 'FINISHED', executed: true, tableCount: 3, error: null });
    expect(document.chain?.mismatches).toEqual([]);
    expect(comparable(harness.emulator.state.contents('dw_restored'))).toEqual(atDifferential);
    // What was printed is what was sent, in that order.
    const sent = harness.emulator.statements
      .slice(sentBefore)
      .map((entry) => entry.sql)
      .filter((sql) => /^(CREATE DATABASE|RESTORE|ALTER TABLE)/.test(sql));
    expect(sent).toEqual(document.chain?.statements);
    expect(sent).toHaveLength(5);
    expect(sent[1]).toContain(`\`dw_restored\`.\`${FULL}\``);
    expect(sent[4]).toContain(`\`dw_restored\`.\`${DIFFERENTIAL}\``);
    // The slot, the target's lock labelled with the differential, and a hold on the full, all released after.
    const held = heldMeanwhile[0];
    expect(held?.locks.filter((lock) => lock.holder !== null)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ database: 'dw_restored', label: DIFFERENTIAL, expired: false }),
        expect.objectContaining({ database: expect.stringMatching(/^~restore-source:dw:/), label: FULL }),
      ]),
    );
    expect(held?.slots.filter((slot) => slot.holder !== null)).toHaveLength(1);
    expect(await harness.locks.listHeld(harness.clusterName)).toEqual({ locks: [], slots: [] });
    expect(restored.stderr).toContain(`${FULL}: FINISHED`);
    expect(restored.stderr).toContain('dropped partition p20261121 of sales_fact');
    expect(restored.stderr).toContain('Chain restore FINISHED: dw_restored holds 3 tables');
  });

  it('fails with exit 1 and lists the mismatches when the restored database is not the differential’s manifest', async () => {
    // Prepare: the catalog's manifest of the differential says p20261125 is at a version the snapshot is not.
    const ref = { cluster: harness.clusterName, database: 'dw', label: DIFFERENTIAL };
    const tampered = tamperedManifest(differentialManifest, 'p20261125', '99');
    await manifests.writeManifest(ref, tampered);

    // Act
    const failed = await restore({ snapshot: DIFFERENTIAL, as: 'dw_mismatch', execute: true, json: true });
    await manifests.writeManifest(ref, differentialManifest);

    // Assess
    expect(failed.code).toBe(1);
    const document = JSON.parse(failed.stdout) as ChainDocument;
    expect(document).toMatchObject({ state: 'FAILED', error: { name: 'RestoreCheckFailedError' } });
    expect(document.chain?.mismatches).toEqual([
      { table: 'sales_fact', partition: 'p20261125', expected: '99', actual: expect.any(String) },
    ]);
    expect(failed.stderr).toContain('Chain restore FAILED');
    expect(failed.stderr).toMatch(/sales_fact partition p20261125: expected 99, found \d+/);
  });

  it('refuses a chain with --table or --to-cluster (exit 2), and one whose manifest is missing (exit 1), before sending anything', async () => {
    // Prepare
    const sentBefore = harness.emulator.statements.length;

    // Act
    const table = await restore({
      snapshot: DIFFERENTIAL,
      as: 'x1',
      table: [{ name: 'sales_fact' }],
      execute: true,
    });
    const toCluster = await restore({ snapshot: DIFFERENTIAL, as: 'x2', toCluster: 'dr', execute: true });
    await manifests.deleteManifest({ cluster: harness.clusterName, database: 'dw', label: FULL });
    const noManifest = await restore({ snapshot: DIFFERENTIAL, as: 'x3', execute: true });
    await manifests.writeManifest(
      { cluster: harness.clusterName, database: 'dw', label: FULL },
      fullManifest,
    );

    // Assess
    expect(table.code).toBe(2);
    expect(table.stderr).toContain(
      `--table: snapshot ${DIFFERENTIAL} is a differential backup (of full ${FULL}): a chain restore restores the whole database`,
    );
    expect(toCluster.code).toBe(2);
    expect(toCluster.stderr).toContain('--to-cluster: ');
    expect(toCluster.stderr).toContain('a chain restore into another cluster is not built yet');
    expect(noManifest.code).toBe(1);
    expect(noManifest.stderr).toContain(`the catalog holds no partition manifest of the full ${FULL}`);
    const sent = harness.emulator.statements.slice(sentBefore).map((entry) => entry.sql);
    expect(sent.filter((sql) => /^(CREATE|RESTORE|ALTER|DROP)/.test(sql))).toEqual([]);
  });

  it('restores the chain a differential schedule took through the workflow, to the source at the differential', async () => {
    // Prepare: night 1 (a full) and night 2 (a differential) of a `mode: differential` schedule, each a whole
    // nightly run of the real ASL; then the source moves on.
    const state = harness.emulator.state;
    const differentialSchedule = {
      schedules: [
        {
          name: 'nightly',
          cron: '0 2 * * ? *',
          timezone: 'Asia/Shanghai',
          mode: 'differential',
          fullEvery: 7,
        },
      ],
    };
    const night = async (slot: string) => {
      harness.clock.set(Math.max(harness.clock.now(), Date.parse(slot) + 5_000));
      const run = await harness.run({
        cluster: differentialSchedule,
        databases: ['shop'],
        scheduledTime: new Date(slot),
      });
      const { items } = await harness.catalog.listRun({ runId: run.executionArn });
      return items[0];
    };
    const full = await night('2026-11-28T18:00:00.000Z');
    state.load('shop', 'orders', 'p20261125', { rows: 15, sizeBytes: MB });
    state.dropPartition('shop', 'orders', 'p20261124');
    state.addPartition('shop', 'orders', {
      name: 'p20261126',
      rows: 90,
      sizeBytes: 9 * MB,
      range: day('2026-11-26'),
    });
    const atNight2 = comparable(state.contents('shop'));
    const differential = await night('2026-11-29T18:00:00.000Z');
    state.load('shop', 'orders', 'p20261126', { rows: 1, sizeBytes: 100 });

    // Act: the default point is the newest restorable one, the differential.
    const restored = await restore({ database: 'shop', as: 'shop_restored', execute: true, json: true });

    // Assess
    expect(full).toMatchObject({ state: 'FINISHED', mode: 'full' });
    expect(differential).toMatchObject({ state: 'FINISHED', mode: 'differential', baseLabel: full?.label });
    expect(restored.code, restored.stderr).toBe(0);
    const document = JSON.parse(restored.stdout) as ChainDocument;
    expect(document).toMatchObject({
      state: 'FINISHED',
      chain: { full: { label: full?.label }, differential: { label: differential?.label }, mismatches: [] },
    });
    expect(comparable(state.contents('shop_restored'))).toEqual(atNight2);
  });
});
