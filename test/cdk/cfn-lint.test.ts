import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { afterAll, describe, expect, it } from 'vitest';
import { scaledConfig, synthConstruct } from './support.ts';

const run = promisify(execFile);
const directory = mkdtempSync(join(tmpdir(), 'sr-backup-cfn-lint-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function write(name: string, template: unknown): string {
  const path = join(directory, name);
  writeFileSync(path, JSON.stringify(template, null, 1));
  return path;
}

/**
 * Runs cfn-lint (the preinstalled Python one; W3005 is CDK's redundant DependsOn). A missing cfn-lint fails:
 * this check is required, never skipped.
 */
async function cfnLint(paths: string[]): Promise<string> {
  try {
    await run('cfn-lint', ['--ignore-checks', 'W3005', '--', ...paths], { timeout: 60_000 });
    return '';
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT')
      return 'cfn-lint is not installed (pip install cfn-lint); this check is required';
    return `${failure.stdout ?? ''}${failure.stderr ?? ''}` || String(error);
  }
}

describe('cfn-lint', () => {
  it('finds nothing in the template of three clusters deployed in a VPC with endpoints and an alarm e-mail', async () => {
    const template = write(
      'vpc.json',
      synthConstruct((stack) => ({
        config: scaledConfig(3, 2),
        vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }) as ec2.IVpc,
        createVpcEndpoints: true,
        alarmEmail: 'ops@example.com',
      })).template.toJSON(),
    );
    expect(await cfnLint([template])).toBe('');
  });
});
