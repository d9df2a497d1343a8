import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasFailures } from '#local/cli/format/results.ts';
import { parseStatements } from '#local/emulator/sql/parser.ts';
import {
  database,
  expectCleanEnd,
  startWorkflowHarness,
  type WorkflowHarness,
} from '#test/support/workflow-harness.ts';

/**
 * A whole nightly run on every supported line (test of the README's "Versions" table): an ordinary database, and
 * one holding a table, an MV, a view and an external table, which each version backs up differently.
 */
const LINES = [
  { version: '3.0', objects: ['TABLE'], on: ['facts'], omitted: ['ext', 'mv', 'v'] },
  { version: '3.1', objects: ['TABLE'], on: ['facts'], omitted: ['ext', 'mv', 'v'] },
  { version: '3.2', objects: ['TABLE', 'MATERIALIZED_VIEW'], on: ['facts', 'mv'], omitted: ['ext', 'v'] },
  { version: '3.3', objects: ['TABLE', 'MATERIALIZED_VIEW'], on: ['facts', 'mv'], omitted: ['ext', 'v'] },
  ...['3.4', '3.5', '4.0', '4.1'].map((version) => ({
    version,
    objects: ['TABLE', 'MATERIALIZED_VIEW', 'VIEW', 'FUNCTION'],
    on: ['facts', 'mv', 'v'],
    omitted: ['ext'],
  })),
];

describe.each(LINES)('a nightly run on StarRocks $version', ({ version, objects, on, omitted }) => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await startWorkflowHarness({
      version,
      feTimeZone: 'Asia/Shanghai',
      repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
      databases: [
        database('plain', { durationMs: 2 * 60_000 }),
        {
          name: 'mixed',
          tables: [
            { name: 'facts', sizeBytes: 4096, rows: 100 },
            { name: 'mv', type: 'MATERIALIZED_VIEW', sizeBytes: 1024, rows: 10 },
            { name: 'v', type: 'VIEW' },
            { name: 'ext', type: 'EXTERNAL' },
          ],
          backup: { durationMs: 2 * 60_000 },
        },
      ],
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('backs up both databases, each with what the version can back up, and says what was left out', async () => {
    // Act
    const run = await harness.run();

    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(hasFailures(run.results)).toBe(false);
    expect(run.results.map((r) => [r.database, r.state])).toEqual([
      ['mixed', 'FINISHED'],
      ['plain', 'FINISHED'],
    ]);
    const backups = harness.statements('BACKUP');
    const plain = parseStatements(backups.find((sql) => sql.includes('`plain`')) ?? '')[0] as {
      on?: unknown;
    };
    expect(plain.on).toBeUndefined();
    const mixed = parseStatements(backups.findLast((sql) => sql.includes('`mixed`')) ?? '')[0] as {
      on?: readonly { name?: string }[];
    };
    expect(mixed.on?.flatMap((object) => (object.name === undefined ? [] : [object.name])).sort()).toEqual(
      on,
    );
    const item = (await harness.catalog.listRun({ runId: run.executionArn })).items.find(
      (entry) => entry.database === 'mixed',
    );
    expect(item?.objects).toEqual(objects);
    expect(item?.omitted?.map((object) => object.name).sort()).toEqual(omitted);
    expect(item?.verified).toBe(true);
    expect(run.alerts).toEqual([]);
    expect(await expectCleanEnd(harness, run, ['mixed', 'plain'])).toEqual({
      terminalItemsPerDatabase: { mixed: 1, plain: 1 },
      heldLocks: 0,
      heldSlots: 0,
    });
  });
});
