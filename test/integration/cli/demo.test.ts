import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.ts';

describe('npm start (sr-backup demo, child process)', () => {
  it('runs a whole nightly backup of the demo cluster within 30 s and exits 0 with its planned failure labelled', async () => {
    // Act
    const run = await runCli(['demo'], {
      env: { SLACK_WEBHOOK_URL: 'https://hooks.slack.invalid/never-used' },
    });

    // Assess
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.elapsedMs).toBeLessThan(30_000);
    expect(run.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}4 databases to back up \(4 excluded\)/m);
    expect(run.stdout).toMatch(/^\s+sales\s+FINISHED\s+nightly_sales_/m);
    expect(run.stdout).toMatch(/^\s+inventory\s+FINISHED\s+nightly_inventory_/m);
    expect(run.stdout).toMatch(
      /^\s+marketing\s+FAILED\s+nightly_marketing_.*\(expected: part of the demo\)$/m,
    );
    expect(run.stdout).toMatch(/^\s+archive_2019\s+SKIPPED\s+/m);
    expect(run.stdout).not.toMatch(/^\s+analytics_scratch\s/m);
    // The Slack alert is printed, never posted (the demo ignores the user's webhook).
    expect(run.stdout).toContain('Slack alert (backup failure, not sent):');
    expect(run.stdout).toContain('│ 🚨 Backup FAILED: demo / marketing');
    expect(run.stdout).toContain('The snapshot catalog');
    expect(run.stdout).toContain('✔ Demo complete');
    expect(run.stderr).not.toMatch(/error/i);
  });
});
