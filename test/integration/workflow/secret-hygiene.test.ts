import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { database, startWorkflowHarness, type WorkflowHarness } from '#test/support/workflow-harness.ts';

// Every log line the in-process Lambdas write must be checked, so this file logs at the most verbose level.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';

const RIGHT_PASSWORD = 'Sup3r-Secret-Pw!';
const WRONG_PASSWORD = 'wrong-Pw-7731';

/** Collects what is written to stdout and stderr while `work` runs, without echoing it. */
async function captureOutput<T>(work: () => Promise<T>): Promise<{ result: T; output: string }> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    }) as typeof stream.write;
  }
  try {
    return { result: await work(), output: chunks.join('') };
  } finally {
    streams.forEach((stream, index) => {
      stream.write = originals[index] as typeof stream.write;
    });
  }
}

describe('secrets never leave their place', () => {
  let harness: WorkflowHarness;

  beforeAll(async () => {
    harness = await startWorkflowHarness({
      version: '3.4',
      repositories: [{ name: 's3_repo', location: 's3a://bucket/backups' }],
      users: [{ name: 'root', password: RIGHT_PASSWORD }],
      databases: [database('alpha'), database('beta')],
    });
  });

  // Scenario 16, after every scenario: one terminal catalog item per attempted database, no lease left held.
  afterEach(async () => {
    expect(await harness.cleanEndOfRuns()).toEqual({ notOneItem: [], heldByRuns: [] });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('fails the run with a clear error naming host:port when the login is refused, and never shows the password', async () => {
    // Act
    const { result: run, output } = await captureOutput(() =>
      harness.run({ databases: ['alpha'], password: WRONG_PASSWORD }),
    );

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.runError?.name).toBe('StarRocksAuthError');
    expect(run.runError?.message).toContain(`${harness.emulator.host}:${harness.emulator.port}`);
    expect(output).toContain('StarRocksAuthError');
    const slackText = JSON.stringify(harness.slack.requests.map((r) => r.body));
    expect(slackText).toContain('StarRocksAuthError');
    const everything = [JSON.stringify(run), slackText, output].join('\n');
    expect(everything).not.toContain(WRONG_PASSWORD);
    expect(everything).not.toContain(RIGHT_PASSWORD);
  });

  it('keeps the password and the webhook URL out of logs, payloads, catalog items and alerts of a failing backup', async () => {
    // Prepare
    harness.emulator.faults.cancelNextBackup('beta', '[COMMON_ERROR, msg: disk full]');

    // Act
    const { result: run, output } = await captureOutput(() =>
      harness.run({ databases: ['alpha', 'beta'], password: RIGHT_PASSWORD }),
    );

    // Assess
    expect(run.results.map((r) => r.state)).toEqual(['FINISHED', 'FAILED']);
    const payloads = JSON.stringify(run.events.map((e) => e.event));
    const catalogItems = JSON.stringify((await harness.catalog.listRun({ runId: run.executionArn })).items);
    const slackText = JSON.stringify(harness.slack.requests.map((r) => r.body));
    const everything = [output, payloads, catalogItems, slackText].join('\n');
    expect(output.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(RIGHT_PASSWORD);
    expect(everything).not.toContain(harness.slack.url);
  });
});
