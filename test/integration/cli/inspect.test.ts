import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { CLI_TEST_SCENARIO, clusterConfig, parseJsonDocument, runCli, writeConfig } from './cli-harness.ts';

describe('sr-backup validate, plan, snapshots and status (child process)', () => {
  let emulator: EmulatorHandle;
  let dir: string;
  let good: string;
  let bad: string;

  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: {
        ...CLI_TEST_SCENARIO,
        databases: [
          ...CLI_TEST_SCENARIO.databases,
          { name: 'views_only', tables: [{ name: 'v_orders', type: 'VIEW' }] },
          { name: 'mixed', tables: [{ name: 'facts' }, { name: 'mysql_dim', type: 'EXTERNAL' }] },
        ],
      },
      port: 0,
    });
    dir = await mkdtemp(join(tmpdir(), 'cli-inspect-'));
    good = await writeConfig(dir, 'good.yaml', clusterConfig(emulator.port));
    bad = join(dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({
        clusters: [{ name: '1st', host: 'fe', repository: 's3_repo', maxConcurrentBackups: 41 }],
        extra: 1,
      }),
    );
  });

  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('validate exits 0 and summarises a good configuration', async () => {
    // Act
    const run = await runCli(['validate', '--config', good]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('is valid: 1 cluster, 1 schedule');
    expect(run.stdout).toContain('nightly: cron 0 2 * * ? * in Asia/Shanghai');
  });

  it('validate says a differential schedule is experimental, in the text and in --json', async () => {
    // Prepare
    const differential = await writeConfig(
      dir,
      'differential.yaml',
      clusterConfig(emulator.port, {
        schedules: [{ name: 'nightly', cron: '0 2 * * ? *', mode: 'differential', fullEvery: 14 }],
      }),
    );

    // Act
    const text = await runCli(['validate', '--config', differential]);
    const json = await runCli(['validate', '--config', differential, '--json']);

    // Assess
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('nightly: cron 0 2 * * ? * in UTC, differential (a full every 14 days)');
    expect(text.stdout).toContain(
      'note: clusters[0].schedules[0] (nightly) takes differential backups (a full every 14 days): EXPERIMENTAL',
    );
    const document = JSON.parse(json.stdout) as { clusters: { schedules: unknown[] }[]; notes: string[] };
    expect(document.clusters[0]?.schedules[0]).toMatchObject({ mode: 'differential', fullEvery: 14 });
    expect(document.notes.some((note) => note.includes('EXPERIMENTAL'))).toBe(true);
  });

  it('takes the configuration from SR_BACKUP_CONFIG, else ./backup.config.yaml, else asks for --config (exit 2)', async () => {
    // Prepare: a directory holding backup.config.yaml, and one holding nothing.
    const here = await mkdtemp(join(tmpdir(), 'cli-config-default-'));
    const empty = await mkdtemp(join(tmpdir(), 'cli-config-none-'));
    await writeConfig(here, 'backup.config.yaml', clusterConfig(emulator.port));

    // Act
    const [fromVariable, fromDefault, missing] = await Promise.all([
      runCli(['validate'], { env: { SR_BACKUP_CONFIG: good }, cwd: empty }),
      runCli(['validate'], { cwd: here }),
      runCli(['validate'], { cwd: empty }),
    ]);
    const emptyVariable = await runCli(['validate'], { env: { SR_BACKUP_CONFIG: '' }, cwd: here });
    await rm(here, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });

    // Assess
    expect(fromVariable.code, fromVariable.stderr).toBe(0);
    expect(fromVariable.stdout).toContain(`${good} is valid`);
    expect(fromDefault.code, fromDefault.stderr).toBe(0);
    expect(fromDefault.stdout).toContain('backup.config.yaml is valid');
    expect(emptyVariable.code, emptyVariable.stderr).toBe(0);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-c, --config <file>' not specified");
  });

  it('validate exits 2 and names every problem with its field path on stderr', async () => {
    // Act
    const [text, json] = await Promise.all([
      runCli(['validate', '--config', bad]),
      runCli(['validate', '--config', bad, '--json']),
    ]);

    // Assess
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('clusters[0].name: must start with a letter');
    expect(text.stderr).toContain('clusters[0].maxConcurrentBackups: must be at most 40');
    expect(text.stderr).toContain('extra: unknown field');
    expect(json.code).toBe(2);
    const document = parseJsonDocument(json.stdout) as { valid: boolean; issues: string[] };
    expect(document.valid).toBe(false);
    expect(document.issues).toHaveLength(3);
  });

  it('plan shows the next three slots in the schedule zone and in UTC with the labels of named databases, touching nothing', async () => {
    // Prepare
    const statementsBefore = emulator.statements.length;

    // Act
    const run = await runCli([
      'plan',
      '--config',
      good,
      '--from',
      '2026-11-24T12:00:00Z',
      '--database',
      'crm',
      '--json',
    ]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const plan = parseJsonDocument(run.stdout) as {
      clusters: {
        cluster: string;
        schedules: { schedule: string; slots: { utc: string; local: string; labelPattern: string }[] }[];
      }[];
    };
    expect(plan.clusters[0]?.schedules[0]?.slots).toEqual([
      {
        utc: '2026-11-24T18:00:00.000Z',
        local: '2026-11-25 02:00 +08:00',
        labelPattern: 'nightly_{database}_20261124T1800Z_{hash}',
        labels: { crm: expect.stringMatching(/^nightly_crm_20261124T1800Z_[0-9a-f]{12}$/) },
      },
      {
        utc: '2026-11-25T18:00:00.000Z',
        local: '2026-11-26 02:00 +08:00',
        labelPattern: 'nightly_{database}_20261125T1800Z_{hash}',
        labels: { crm: expect.stringMatching(/^nightly_crm_20261125T1800Z_[0-9a-f]{12}$/) },
      },
      {
        utc: '2026-11-26T18:00:00.000Z',
        local: '2026-11-27 02:00 +08:00',
        labelPattern: 'nightly_{database}_20261126T1800Z_{hash}',
        labels: { crm: expect.stringMatching(/^nightly_crm_20261126T1800Z_[0-9a-f]{12}$/) },
      },
    ]);
    expect(emulator.statements.length).toBe(statementsBefore);
  });

  it('plan --resolve lists what would be backed up with its labels, and what not and why', async () => {
    // Act
    const run = await runCli(['plan', '--config', good, '--resolve', '--from', '2026-11-24T12:00:00Z']);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\s+crm\s+1\s+nightly_crm_20261124T1800Z_[0-9a-f]{12}/m);
    expect(run.stdout).toMatch(/^\s+sales\s+2\s+nightly_sales_20261124T1800Z_[0-9a-f]{12}/m);
    expect(run.stdout).toMatch(/^\s+scratch_tmp\s+excluded by pattern scratch_\*/m);
    expect(run.stdout).toMatch(/^\s+empty_db\s+empty/m);
    expect(run.stdout).toMatch(/^\s+information_schema\s+system database/m);
    // StarRocks 3.3 backs up no views (from 3.4) and never external tables.
    expect(run.stdout).toMatch(
      /^\s+views_only\s+unsupported: database views_only has nothing StarRocks 3\.3\.\d+ can back up: view v_orders/m,
    );
    expect(run.stdout).toMatch(/^\s+mixed\s+1\s+nightly_mixed_\S+\s+left out: external table mysql_dim/m);
    expect(emulator.statements.map((entry) => entry.sql).join('\n')).not.toMatch(/^\s*BACKUP\s/im);
  });

  it('plan exits 2 with the field path on a bad configuration', async () => {
    // Act
    const run = await runCli(['plan', '--config', bad]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('clusters[0].maxConcurrentBackups: must be at most 40');
  });

  it('snapshots and status say there is no catalog yet, without creating one', async () => {
    // Prepare
    const stateDir = join(dir, 'never-used');

    // Act
    const [snapshots, status] = await Promise.all([
      runCli(['snapshots', '--config', good, '--state-dir', stateDir]),
      runCli(['status', '--config', good, '--state-dir', stateDir, '--json']),
    ]);

    // Assess
    expect(snapshots.code, snapshots.stderr).toBe(0);
    expect(snapshots.stdout).toContain('No local catalog');
    // Every database the schedule covers on the FE has never been backed up: exit 1, each with why.
    expect(status.code, status.stderr).toBe(1);
    const { databases } = parseJsonDocument(status.stdout) as {
      databases: { database: string; state: string; reason: string }[];
    };
    expect(databases.length).toBeGreaterThan(0);
    for (const entry of databases) {
      expect(entry).toEqual(expect.objectContaining({ state: 'never', reason: 'no backup attempted yet' }));
    }
    await expect(rm(stateDir)).rejects.toThrow(/ENOENT/);
  });
});
