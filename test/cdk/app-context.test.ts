import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_STACK_NAME, readDeploySettings } from '#cdk/app-context.ts';
import { ConfigError } from '#domain/errors.ts';
import { EXAMPLE_CONFIG_PATH } from './support.ts';

const directory = mkdtempSync(join(tmpdir(), 'sr-backup-cdk-context-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const reader = (context: Record<string, unknown>) => (key: string) => context[key];

function errorOf(context: Record<string, unknown>): ConfigError {
  try {
    readDeploySettings(reader(context), directory);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readDeploySettings', () => {
  it('loads the configuration named by -c config', () => {
    const settings = readDeploySettings(reader({ config: EXAMPLE_CONFIG_PATH }));
    expect(settings.config.clusters.map((cluster) => cluster.name)).toEqual(['prod']);
  });

  it('names the config key when it is missing', () => {
    expect(errorOf({}).message).toMatch(/-c config: missing/);
  });

  it('names the file when it does not exist', () => {
    expect(errorOf({ config: 'absent.yaml' }).message).toContain(
      `${join(directory, 'absent.yaml')}: file not found`,
    );
  });

  it('names the field path and the file when the configuration is invalid', () => {
    const path = join(directory, 'bad.yaml');
    writeFileSync(
      path,
      'clusters:\n  - name: prod\n    host: fe\n    repository: repo\n    maxConcurrentBackups: 99\n',
    );
    expect(errorOf({ config: path }).message).toMatch(/clusters\[0\]\.maxConcurrentBackups: .*bad\.yaml:5/);
  });

  it('uses the default stack name when none is given', () => {
    expect(readDeploySettings(reader({ config: EXAMPLE_CONFIG_PATH })).stackName).toBe(DEFAULT_STACK_NAME);
  });

  it('refuses subnets without a VPC', () => {
    expect(errorOf({ config: EXAMPLE_CONFIG_PATH, subnetIds: 'subnet-0123456789abcdef0' }).message).toMatch(
      /-c subnetIds: needs -c vpcId/,
    );
  });

  it('names the malformed id in a list', () => {
    expect(
      errorOf({
        config: EXAMPLE_CONFIG_PATH,
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: 'subnet-0123456789abcdef0,oops',
      }).message,
    ).toMatch(/-c subnetIds: oops is not subnet ids/);
  });

  it('refuses a flag that is neither true nor false', () => {
    expect(
      errorOf({ config: EXAMPLE_CONFIG_PATH, vpcId: 'vpc-0123456789abcdef0', createVpcEndpoints: 'yes' })
        .message,
    ).toMatch(/-c createVpcEndpoints: must be true or false/);
  });

  it('reads the VPC settings', () => {
    const settings = readDeploySettings(
      reader({
        config: EXAMPLE_CONFIG_PATH,
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: 'subnet-0123456789abcdef0, subnet-0123456789abcdef1',
        securityGroupIds: 'sg-0123456789abcdef0',
        createVpcEndpoints: 'true',
      }),
    );
    expect({
      vpcId: settings.vpcId,
      subnetIds: settings.subnetIds,
      securityGroupIds: settings.securityGroupIds,
      createVpcEndpoints: settings.createVpcEndpoints,
    }).toEqual({
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      securityGroupIds: ['sg-0123456789abcdef0'],
      createVpcEndpoints: true,
    });
  });
});
