// `sr-backup logs <runId>` for a local run: a real `run` (in process, against the emulator, state in a temporary
// state directory) keeps its handlers' lines, and `logs` shows them. About 3 seconds.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDrillCommand } from '#local/cli/drill/drill-command.ts';
import { runLogsCommand } from '#local/cli/logs/logs-command.ts';
import { runRunCommand } from '#local/cli/run/run-command.ts';
import { type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';
import { CLI_TEST_SCENARIO, clusterConfig, writeConfig } from './cli-harness.ts';

describe('sr-backup logs (local run)', () => {
  let emulator: EmulatorHandle;
  let dir: string;
  let stateDir: string;
  let runId: string;
  let config: string;

  beforeAll(async () => {
    emulator = await startEmulator({ scenario: CLI_TEST_SCENARIO, port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'cli-logs-'));
    stateDir = join(dir, 'state');
    config = await writeConfig(dir, 'backup.yaml', clusterConfig(emulator.port));
    const run = capturedCliIo();
    const code = await runRunCommand({ config, now: true, database: ['crm'], stateDir, json: true }, run.io);
    expect(code, run.stderr()).toBe(0);
    runId = (JSON.parse(run.stdout()) as { runId: string }).runId;
  });

  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the run’s INFO lines in one file of the state directory, each with the run id', async () => {
    // Act
    const files = await readdir(join(stateDir, 'logs'));
    const entries = (await readFile(join(stateDir, 'logs', files[0] ?? ''), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>);

    // Assess
    expect(files).toHaveLength(1);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry) => entry.runId === runId)).toBe(true);
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 'INFO', service: 'submit-backup', message: 'backup tracked' }),
    );
  });

  it('shows them in time order, function by function', async () => {
    // Act
    const { io, stdout, stderr } = capturedCliIo();
    const code = await runLogsCommand({ run: runId, stateDir, limit: 1000 }, io);

    // Assess
    expect(code, stderr()).toBe(0);
    const printed = stdout().trimEnd().split('\n');
    const times = printed.map((text) => text.split(' ')[0] ?? '');
    expect(times).toEqual([...times].sort());
    expect(printed.find((text) => text.includes('backup tracked'))).toMatch(
      /^\S+Z {2}submit-backup\s+INFO {3}backup tracked {2}label=adhoc_crm_/,
    );
  });

  it('keeps one function’s lines with --function, as JSON Lines with --json', async () => {
    // Act
    const { io, stdout, stderr } = capturedCliIo();
    const code = await runLogsCommand(
      { run: runId, stateDir, limit: 1000, json: true, function: ['CheckBackup'] },
      io,
    );

    // Assess
    expect(code, stderr()).toBe(0);
    const documents = stdout()
      .trimEnd()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.every((entry) => entry.service === 'check-backup' && entry.runId === runId)).toBe(true);
  });

  it('tells a run it has no log of (exit 1) with the command that lists the runs', async () => {
    // Act
    const { io, stderr } = capturedCliIo();
    const code = await runLogsCommand(
      { run: 'arn:aws:states:local-1:000000000000:execution:nightlyBackup:gone', stateDir, limit: 1000 },
      io,
    );

    // Assess
    expect(code).toBe(1);
    expect(stderr()).toContain('error: no log of run arn:aws:states:local-1');
    expect(stderr()).toContain(`sr-backup runs --config <file> --state-dir ${stateDir}`);
  });

  it('keeps a local drill’s lines under its execution, apart from the run’s', async () => {
    // Prepare: a drill of the database the run backed up, in the same state directory.
    const drillConfig = await writeConfig(
      dir,
      'drill.yaml',
      clusterConfig(emulator.port, { drill: { database: 'crm', cron: '0 3 * * ? *', timeoutSeconds: 600 } }),
    );
    const drill = capturedCliIo();
    const drillCode = await runDrillCommand({ config: drillConfig, stateDir, json: true }, drill.io);
    expect(drillCode, drill.stderr()).toBe(0);
    const { executionArn } = JSON.parse(drill.stdout()) as { executionArn: string };

    // Act
    const { io, stdout, stderr } = capturedCliIo();
    const code = await runLogsCommand({ run: executionArn, stateDir, limit: 1000, json: true }, io);

    // Assess
    expect(code, stderr()).toBe(0);
    const entries = stdout()
      .trimEnd()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(entries.every((entry) => entry.runId === executionArn)).toBe(true);
    expect(entries.map((entry) => entry.service)).toContain('submit-restore');
    expect(entries.map((entry) => entry.service)).not.toContain('submit-backup');
  });
});
