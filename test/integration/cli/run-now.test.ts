// `sr-backup run --now`: an ad-hoc backup outside the schedules, in process with a fixed clock (the label's minute),
// against the emulator and dynalite. About 4 seconds (two short backups, the second adopted).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRunCommand } from '#local/cli/run/run-command.ts';
import { type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import { CLI_TEST_SCENARIO, clusterConfig, writeConfig } from './cli-harness.ts';

const NOW = Date.parse('2026-12-07T09:00:30Z');

const cliIo = () => capturedCliIo({ now: NOW });

interface RunDocument {
  schedule: string;
  scheduledTime: string;
  results: { database: string; snapshot: string; state: string; adopted: boolean }[];
}

describe('sr-backup run --now (ad hoc, outside the schedules)', () => {
  let emulator: EmulatorHandle;
  let dynamo: TestDynamo;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    emulator = await startEmulator({ scenario: CLI_TEST_SCENARIO, port: 0 });
    dynamo = await startTestDynamo();
    dir = await mkdtemp(join(tmpdir(), 'cli-run-now-'));
    config = await writeConfig(dir, 'backup.yaml', clusterConfig(emulator.port));
  });

  afterAll(async () => {
    await emulator.close();
    await dynamo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('backs up under its own label family, then reuses that snapshot in the same minute and says so', async () => {
    // Act
    const first = cliIo();
    const second = cliIo();
    const options = { config, now: true, database: ['crm'], dynamodbEndpoint: dynamo.endpoint, json: true };
    const firstCode = await runRunCommand(options, first.io);
    const secondCode = await runRunCommand(options, second.io);

    // Assess
    expect(firstCode, first.stderr()).toBe(0);
    const made = JSON.parse(first.stdout()) as RunDocument;
    expect(made.schedule).toBe('adhoc');
    expect(made.scheduledTime).toBe('2026-12-07T09:00:00.000Z');
    expect(made.results).toEqual([
      expect.objectContaining({
        database: 'crm',
        state: 'FINISHED',
        adopted: false,
        snapshot: expect.stringMatching(/^adhoc_crm_20261207T0900Z_[0-9a-f]{12}$/),
      }),
    ]);
    expect(secondCode, second.stderr()).toBe(0);
    const reused = JSON.parse(second.stdout()) as RunDocument;
    expect(reused.results).toEqual([
      expect.objectContaining({ snapshot: made.results[0]?.snapshot, state: 'FINISHED', adopted: true }),
    ]);
    expect(emulator.statements.filter((entry) => entry.sql.startsWith('BACKUP'))).toHaveLength(1);
  });

  it('refuses --now on a cluster that has a schedule named like the ad-hoc one (a usage error)', async () => {
    // Prepare
    const clash = await writeConfig(
      dir,
      'clash.yaml',
      clusterConfig(emulator.port, { schedules: [{ name: 'adhoc', cron: '0 2 * * ? *', timezone: 'UTC' }] }),
    );
    const { io, stderr } = cliIo();

    // Act
    const code = await runRunCommand({ config: clash, now: true, dynamodbEndpoint: dynamo.endpoint }, io);

    // Assess
    expect(code).toBe(2);
    expect(stderr()).toContain('has a schedule named "adhoc", the name run --now uses');
  });
});
