import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonDocument, runCli, writeConfig } from './cli-harness.ts';

function cluster(name: string, overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    name,
    host: `${name}.internal`,
    repository: 's3_repo',
    schedules: [{ name: 'nightly', cron: '0 2 * * ? *' }],
    ...overrides,
  };
}

describe('validate and plan warn about how clusters connect (child process)', () => {
  let dir: string;
  let config: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-connection-warnings-'));
    config = await writeConfig(dir, 'clusters.yaml', {
      clusters: [
        cluster('legacy', {}),
        cluster('lax', { tls: { ca: 'not checked here', rejectUnauthorized: false } }),
        cluster('strict', { tls: { ca: 'not checked here' } }),
      ],
    });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('validate warns about a plaintext cluster and an unverified certificate, and says how to turn TLS on', async () => {
    const [text, json] = await Promise.all([
      runCli(['validate', '--config', config]),
      runCli(['validate', '--config', config, '--json']),
    ]);

    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      'warning: clusters[0].tls (legacy): connects to legacy.internal:9030 in plaintext',
    );
    expect(text.stdout).toContain('set tls: { ca: <PEM of the CA');
    expect(text.stdout).toContain(
      "warning: clusters[1].tls.rejectUnauthorized (lax): is false: the FE's certificate is not verified",
    );
    expect(text.stdout).not.toMatch(/warning: [^\n]*\(strict\)/);
    const document = parseJsonDocument(json.stdout) as { warnings: string[] };
    expect(document.warnings.map((warning) => warning.split(':')[0])).toEqual([
      'clusters[0].tls (legacy)',
      'clusters[1].tls.rejectUnauthorized (lax)',
    ]);
  });

  it('plan warns per cluster, with the cluster’s own field path', async () => {
    const [text, json] = await Promise.all([
      runCli(['plan', '--config', config, '--cluster', 'lax', '--from', '2026-11-24T12:00:00Z']),
      runCli(['plan', '--config', config, '--from', '2026-11-24T12:00:00Z', '--json']),
    ]);

    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('warning: clusters[1].tls.rejectUnauthorized (lax): is false');
    expect(text.stdout).not.toContain('in plaintext');
    const plan = parseJsonDocument(json.stdout) as { clusters: { cluster: string; warnings: string[] }[] };
    expect(plan.clusters.map((entry) => [entry.cluster, entry.warnings.length])).toEqual([
      ['legacy', 1],
      ['lax', 1],
      ['strict', 0],
    ]);
  });
});
