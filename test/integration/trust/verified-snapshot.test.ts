import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { database, startWorkflowHarness, type WorkflowHarness } from '#test/support/workflow-harness.ts';

describe('a FINISHED backup whose snapshot is missing', () => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await startWorkflowHarness({
      version: '3.4',
      repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
      databases: [database('ledger', { durationMs: 120_000 }), database('orders', { durationMs: 120_000 })],
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('records FAILED with SHOW SNAPSHOT’s verdict, posts one failure alert, and keeps no latest-good pointer', async () => {
    // Prepare: the snapshot directory disappears between StarRocks' FINISHED and our SHOW SNAPSHOT. It is removed
    // right after the check that saw ledger FINISHED returns, so VerifySnapshot, which comes next, finds it gone
    // (before the check, another database's wait could still move the shared clock past the job's end).
    let removed: string | undefined;
    const afterTask = ({
      stateName,
      input,
      output,
    }: {
      stateName: string;
      input: unknown;
      output: unknown;
    }) => {
      // CheckBackup returns the tracked job (the ASL puts it at $.job).
      const job = output as { label?: string; starRocksState?: string } | null;
      if (stateName !== 'CheckBackup' || removed !== undefined) return;
      if ((input as { database?: string }).database !== 'ledger' || job?.starRocksState !== 'FINISHED')
        return;
      harness.emulator.state.deleteSnapshot('s3_repo', job.label as string);
      removed = job.label;
    };

    // Act
    const run = await harness.run({ afterTask });

    // Assess
    expect(removed).toBeDefined();
    expect(run.status).toBe('FAILED');
    expect(run.results.map((result) => [result.database, result.state])).toEqual([
      ['ledger', 'FAILED'],
      ['orders', 'FINISHED'],
    ]);
    expect(run.results[0]?.error).toMatch(/SHOW SNAPSHOT ON s3_repo does not list .* as OK/);
    const alerts = harness.slack.messages.map((message) => JSON.stringify(message.body));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain('Backup FAILED: test / ledger');
    expect(alerts[0]).toContain('snapshot is missing or incomplete');
    const latest = await harness.catalog.latestGoodSnapshots('test');
    expect(latest.map((attempt) => attempt.database)).toEqual(['orders']);
  });
});
