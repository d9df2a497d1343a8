// Ctrl-C during `sr-backup run`: a real SIGINT to a real child process while its BACKUP runs on the emulator.
// About 5 seconds (the job is a few seconds long; the child stops it at its first check).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogStore } from '#domain/catalog/index.ts';
import { createLockStore } from '#domain/lock/index.ts';
import { type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import { CLI_TEST_SCENARIO, clusterConfig, runCli, startCli, writeConfig } from './cli-harness.ts';

describe('Ctrl-C during sr-backup run (a real SIGINT to the child process)', () => {
  let emulator: EmulatorHandle;
  let dynamo: TestDynamo;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: {
        ...CLI_TEST_SCENARIO,
        databases: CLI_TEST_SCENARIO.databases.map((database) =>
          database.name === 'slow' ? { ...database, backup: { durationMs: 60_000 } } : database,
        ),
        // Restores last a minute: long enough to be interrupted.
        defaultRestoreDurationMs: 60_000,
      },
      port: 0,
    });
    dynamo = await startTestDynamo();
    dir = await mkdtemp(join(tmpdir(), 'cli-interrupt-'));
    config = await writeConfig(dir, 'backup.yaml', clusterConfig(emulator.port, { exclude: [] }));
  });

  afterAll(async () => {
    await emulator.close();
    await dynamo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('cancels the BACKUP it submitted on the FE, records it, releases every lease and exits 130', async () => {
    // Prepare
    const run = startCli([
      'run',
      '--config',
      config,
      '--database',
      'slow',
      '--scheduled-time',
      '2026-11-24T18:00:00Z',
      '--dynamodb-endpoint',
      dynamo.endpoint,
    ]);
    await run.waitForOutput('next check in');

    // Act
    run.signal('SIGINT');
    const ended = await run.done;

    // Assess
    expect(ended.code, ended.stderr).toBe(130);
    expect(ended.stdout).toContain('interrupted: stopping the run');
    expect(
      emulator.statements.map((entry) => entry.sql).filter((sql) => sql.startsWith('CANCEL BACKUP')),
    ).toEqual(['CANCEL BACKUP FROM `slow`']);
    const catalog = createCatalogStore({
      client: dynamo.client,
      tableName: dynamo.catalogTableName,
      clock: Date,
    });
    const { items } = await catalog.listSnapshots({ cluster: 'local', database: 'slow' });
    expect(items.map((item) => item.state)).toEqual(['FAILED']);
    const locks = createLockStore({
      client: dynamo.client,
      tableName: dynamo.locksTableName,
      clock: Date,
      livenessOf: async () => 'ended',
    });
    const held = await locks.listHeld('local');
    expect([...held.locks, ...held.slots]).toEqual([]);
  });

  it('cancels a restore --execute on Ctrl-C and exits 130', async () => {
    // Prepare: a snapshot of crm to restore
    const store = ['--dynamodb-endpoint', dynamo.endpoint];
    const backup = await runCli([
      'run',
      '--config',
      config,
      '--database',
      'crm',
      '--scheduled-time',
      '2026-11-23T18:00:00Z',
      ...store,
    ]);
    expect(backup.code, backup.stderr).toBe(0);
    const restore = startCli([
      'restore',
      '--config',
      config,
      '--database',
      'crm',
      '--as',
      'crm_copy',
      '--execute',
      ...store,
    ]);
    await restore.waitForOutput('next check in');

    // Act
    restore.signal('SIGINT');
    const ended = await restore.done;

    // Assess
    expect(ended.code, ended.stderr).toBe(130);
    expect(emulator.statements.map((entry) => entry.sql)).toContain('CANCEL RESTORE FROM `crm_copy`');
  });
});
