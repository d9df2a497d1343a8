import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { type SlackSink, startSlackSink } from '#test/support/slack-sink.ts';
import { clusterConfig, parseJsonDocument, runCli, writeConfig } from '../cli/cli-harness.ts';

describe('sr-backup status --notify and plan --resolve (child process against the emulator)', () => {
  let emulator: EmulatorHandle;
  let slack: SlackSink;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      scenario: {
        version: '3.3',
        repositories: [{ name: 's3_repo', location: 's3a://cli-tests/backups' }],
        databases: [
          { name: 'sales', tables: [{ name: 'orders', sizeBytes: 4096 }] },
          { name: 'crm', tables: [{ name: 'contacts', sizeBytes: 1024 }] },
          { name: 'marketing', tables: [{ name: 'leads', sizeBytes: 1024 }] },
          { name: 'scratch_tmp', tables: [{ name: 't', sizeBytes: 10 }] },
        ],
      },
    });
    slack = await startSlackSink();
    dir = await mkdtemp(join(tmpdir(), 'cli-trust-'));
    config = await writeConfig(
      dir,
      'backup.yaml',
      clusterConfig(emulator.port, { include: ['sales', 'crm'], exclude: ['scratch_*'] }),
    );
  });

  afterAll(async () => {
    await emulator.close();
    await slack.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a database no schedule covers once across runs, keeping the incident under --state-dir', async () => {
    // Prepare
    const args = ['status', '--config', config, '--notify', '--state-dir', join(dir, 'state')];
    const env = { SLACK_WEBHOOK_URL: slack.url };

    // Act
    const first = await runCli(args, { env });
    const second = await runCli([...args, '--json'], { env });

    // Assess
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('not covered by any schedule: marketing');
    expect(first.stdout).toContain('Slack message sent (drift: marketing, webhook)');
    expect(second.code, second.stderr).toBe(0);
    const document = parseJsonDocument(second.stdout) as {
      clusters: Array<{
        status: string;
        check: { uncovered: string[]; incidents: { open: number } };
        posted: unknown[];
      }>;
    };
    expect(
      document.clusters.map((cluster) => [
        cluster.status,
        cluster.check.uncovered,
        cluster.check.incidents.open,
        cluster.posted,
      ]),
    ).toEqual([['SUCCEEDED', ['marketing'], 1, []]]);
    expect(
      slack.messages.map((message) =>
        (message.body as { text: string }).text.split(':').slice(0, 2).join(':'),
      ),
    ).toEqual(['⚠️ Not covered by any schedule: local / marketing']);
  });

  it('refuses --at with --notify (the check judges now, as deployed)', async () => {
    // Act
    const run = await runCli([
      'status',
      '--config',
      config,
      '--notify',
      '--at',
      '2026-11-24T18:00:00Z',
      '--state-dir',
      join(dir, 'other'),
    ]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--at cannot be used with --notify');
  });

  it('lists the uncovered database in plan --resolve, and not the excluded one', async () => {
    // Act
    const run = await runCli(['plan', '--config', config, '--resolve', '--json']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const document = parseJsonDocument(run.stdout) as { clusters: Array<{ uncovered?: string[] }> };
    expect(document.clusters.map((cluster) => cluster.uncovered)).toEqual([['marketing']]);
  });
});
