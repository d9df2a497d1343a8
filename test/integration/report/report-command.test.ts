// `sr-backup report` through its command core, on a seeded catalog behind --dynamodb-endpoint (about 2 s).
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReportCommand } from '#local/cli/report/report-command.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import { type SeededCatalog, seedReportCatalog } from '#test/support/report/seed.ts';
import { writeSeededCatalog } from '#test/support/report/sinks.ts';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
/** The seed's two clusters, as a user would write them (the report reads names, schedules and retention). */
const CONFIG = `clusters:
  - name: prod
    host: fe.prod.internal
    repository: s3_repo
    include: ['[a-s]*', 'u*', 'w*']
    exclude: ['*_scratch']
    maxConcurrentBackups: 4
    schedules: [{ name: nightly, cron: '0 1 * * ? *', timezone: UTC }]
  - name: analytics
    host: fe.analytics.internal
    repository: s3_analytics
    maxConcurrentBackups: 2
    schedules: [{ name: nightly, cron: '30 22 * * ? *', timezone: Europe/Berlin }]
`;

const cliIo = () => capturedCliIo({ now: NOW });

let dir: string;
let dynamo: TestDynamo;
let seed: SeededCatalog;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-command-'));
  await writeFile(join(dir, 'backup.yaml'), CONFIG);
  dynamo = await startTestDynamo();
  seed = seedReportCatalog({ databases: 8, days: 10, nowMs: NOW });
  await writeSeededCatalog(seed, { client: dynamo.client, tableName: dynamo.catalogTableName });
});

afterAll(async () => {
  await dynamo?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sr-backup report', () => {
  it('writes the report of the period and prints its path, size and counts as JSON', async () => {
    // Prepare
    const { io, stdout, stderr } = cliIo();
    const out = join(dir, 'report.html');

    // Act
    const code = await runReportCommand(
      {
        config: join(dir, 'backup.yaml'),
        since: { days: 10 },
        timeZone: 'UTC',
        out,
        dynamodbEndpoint: dynamo.endpoint,
        json: true,
      },
      io,
    );

    // Assess
    expect(stderr()).toBe('');
    expect(code).toBe(0);
    const printed = JSON.parse(stdout()) as {
      out: string;
      bytes: number;
      databases: number;
      clusters: string[];
    };
    expect(printed.out).toBe(out);
    expect(printed.bytes).toBe((await stat(out)).size);
    expect(printed.clusters).toEqual(['prod', 'analytics']);
    expect(printed.databases).toBe(seed.truth.size);
    const html = await readFile(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i);
  });

  it('names a cluster the configuration lacks as a usage error, writing nothing', async () => {
    // Prepare
    const { io, stderr } = cliIo();
    const out = join(dir, 'none.html');

    // Act
    const code = await runReportCommand(
      {
        config: join(dir, 'backup.yaml'),
        cluster: ['staging'],
        since: { days: 10 },
        timeZone: 'UTC',
        out,
        dynamodbEndpoint: dynamo.endpoint,
      },
      io,
    );

    // Assess
    expect(code).not.toBe(0);
    expect(stderr()).toContain('staging');
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });
});
