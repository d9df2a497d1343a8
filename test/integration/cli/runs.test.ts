// `sr-backup runs` over a seeded local catalog (dynalite behind --dynamodb-endpoint), in process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogStore, type NewBackupAttempt } from '#domain/catalog/index.ts';
import { type RunSummary, runRunsCommand } from '#local/cli/inspect/runs-command.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import { writeConfig } from './cli-harness.ts';

const NOW = Date.UTC(2026, 11, 1, 6, 0, 0);

const cliIo = () => capturedCliIo({ now: NOW });

function attempt(
  runId: string,
  slot: string,
  database: string,
  state: NewBackupAttempt['state'],
  overrides: Partial<NewBackupAttempt> = {},
): NewBackupAttempt {
  const started = new Date(Date.parse(slot) + 5_000).toISOString();
  return {
    cluster: 'prod',
    database,
    label: `nightly_${database}_${slot.slice(0, 10)}`,
    repository: 's3_repo',
    schedule: 'nightly',
    scheduledTime: slot,
    runId,
    executionId: `${runId}-${database}`,
    attempt: 1,
    state,
    reason: state === 'FINISHED' ? null : `${state.toLowerCase()} reason`,
    startedAt: started,
    finishedAt: new Date(Date.parse(started) + 600_000).toISOString(),
    durationSeconds: 600,
    snapshotTimestamp: null,
    verified: state === 'FINISHED',
    sizeBytes: 1024,
    tableCount: 1,
    starRocksJobId: null,
    ...overrides,
  };
}

describe('sr-backup runs (local catalog)', () => {
  let dynamo: TestDynamo;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    const catalog = createCatalogStore({
      client: dynamo.client,
      tableName: dynamo.catalogTableName,
      clock: { now: () => NOW },
    });
    const older = '2026-11-29T18:00:00.000Z';
    const newer = '2026-11-30T18:00:00.000Z';
    await Promise.all([
      catalog.recordAttempt(attempt('run-older', older, 'sales', 'FINISHED')),
      catalog.recordAttempt(attempt('run-older', older, 'crm', 'FINISHED')),
      catalog.recordAttempt(attempt('run-older', older, 'empty_db', 'SKIPPED')),
      // sales failed once and finished on its second attempt within the same run: it counts once, FINISHED.
      catalog.recordAttempt(attempt('run-newer', newer, 'sales', 'FAILED')),
      catalog.recordAttempt(
        attempt('run-newer', newer, 'sales', 'FINISHED', { attempt: 2, label: 'nightly_sales_retry' }),
      ),
      catalog.recordAttempt(attempt('run-newer', newer, 'crm', 'TIMED_OUT')),
      catalog.recordAttempt(attempt('run-newer', newer, 'events', 'FAILED')),
      // The older slot run again an hour later: it adopted sales' snapshot and wrote no attempt item of its own.
      catalog.recordAttempt(
        attempt('run-again', older, 'sales', 'FINISHED', {
          reason: 'adopted',
          startedAt: '2026-11-29T19:00:00.000Z',
          finishedAt: '2026-11-29T19:00:10.000Z',
        }),
      ),
      // Three weeks back: outside the default week.
      catalog.recordAttempt(attempt('run-ancient', '2026-11-10T18:00:00.000Z', 'sales', 'FINISHED')),
    ]);
    dir = await mkdtemp(join(tmpdir(), 'cli-runs-'));
    config = await writeConfig(dir, 'backup.yaml', {
      clusters: [
        {
          name: 'prod',
          host: '127.0.0.1',
          port: 1,
          repository: 's3_repo',
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
        },
      ],
    });
  });

  afterAll(async () => {
    await dynamo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the week’s runs newest first, each database counted once by its best attempt', async () => {
    // Act
    const { io, stdout, stderr } = cliIo();
    const code = await runRunsCommand(
      { config, dynamodbEndpoint: dynamo.endpoint, limit: 20, json: true },
      io,
    );

    // Assess
    expect(code, stderr()).toBe(0);
    const { runs } = JSON.parse(stdout()) as { runs: RunSummary[] };
    expect(runs.map((run) => run.runId)).toEqual(['run-newer', 'run-again', 'run-older']);
    expect(runs[0]).toMatchObject({
      cluster: 'prod',
      schedule: 'nightly',
      scheduledTime: '2026-11-30T18:00:00.000Z',
      databases: 3,
      counts: { FINISHED: 1, FAILED: 1, TIMED_OUT: 1, SKIPPED: 0 },
      outcome: 'FAILED',
      consoleUrl: null,
    });
    expect(runs[1]).toMatchObject({
      databases: 1,
      counts: { FINISHED: 1, FAILED: 0, TIMED_OUT: 0, SKIPPED: 0 },
      startedAt: '2026-11-29T19:00:00.000Z',
    });
    expect(runs[2]).toMatchObject({
      counts: { FINISHED: 2, FAILED: 0, TIMED_OUT: 0, SKIPPED: 1 },
      outcome: 'SUCCEEDED',
      startedAt: '2026-11-29T18:00:05.000Z',
      finishedAt: '2026-11-29T18:10:05.000Z',
    });
  });

  it('reaches back with --since and stops at --limit, in a table', async () => {
    // Act
    const { io, stdout, stderr } = cliIo();
    const code = await runRunsCommand(
      { config, dynamodbEndpoint: dynamo.endpoint, since: { agoSeconds: 30 * 86_400 }, limit: 3 },
      io,
    );

    // Assess
    expect(code, stderr()).toBe(0);
    const lines = stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SLOT\s+SCHEDULE\s+OUTCOME\s+DATABASES\s+DURATION\s+RUN$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).at(-1))).toEqual([
      'run-newer',
      'run-again',
      'run-older',
    ]);
    expect(lines[1]).toContain('FAILED');
    expect(lines[1]).toContain('1 FINISHED, 1 FAILED, 1 TIMED_OUT');
  });

  it('says when the period has no run, and exits 0', async () => {
    // Act
    const { io, stdout } = cliIo();
    const code = await runRunsCommand(
      {
        config,
        dynamodbEndpoint: dynamo.endpoint,
        since: { at: new Date('2026-12-01T00:00:00Z') },
        limit: 20,
      },
      io,
    );

    // Assess
    expect(code).toBe(0);
    expect(stdout()).toContain(`${dynamo.endpoint} has no run with a slot since 2026-12-01`);
  });

  it('exits 2 on an unknown --cluster', async () => {
    // Act
    const { io, stderr } = cliIo();
    const code = await runRunsCommand(
      { config, dynamodbEndpoint: dynamo.endpoint, cluster: 'prd', limit: 20 },
      io,
    );

    // Assess
    expect(code).toBe(2);
    expect(stderr()).toContain('prod');
  });
});
