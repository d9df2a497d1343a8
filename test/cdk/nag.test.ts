import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { BackupSchedulerStack } from '#cdk/backup-scheduler-stack.ts';
import { StarRocksBackupScheduler } from '#cdk/constructs/starrocks-backup-scheduler.ts';
import { appWithoutBundling, exampleConfig, scaledConfig } from './support.ts';

/** Synthesizes with cdk-nag AwsSolutions and returns its findings (empty when everything is acknowledged). */
function nagFindings(build: (app: ReturnType<typeof appWithoutBundling>) => void): string {
  const app = appWithoutBundling();
  build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
    return '';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe('cdk-nag AwsSolutions', () => {
  it('reports nothing unacknowledged on the stack of the example configuration', () => {
    expect(
      nagFindings(
        (app) => new BackupSchedulerStack(app, 'Example', { scheduler: { config: exampleConfig() } }),
      ),
    ).toBe('');
  });

  it('reports nothing unacknowledged with many clusters and an alarm e-mail subscription', () => {
    expect(
      nagFindings(
        (app) =>
          new BackupSchedulerStack(app, 'Scaled', {
            scheduler: { config: scaledConfig(3, 2), alarmEmail: 'ops@example.com' },
          }),
      ),
    ).toBe('');
  });

  it('reports nothing unacknowledged with the weekly report configured', () => {
    const config = {
      ...scaledConfig(2, 1),
      report: {
        schedule: { cron: '0 7 ? * MON *', timezone: 'Europe/Berlin' },
        bucket: 'backup-reports',
        prefix: 'weekly/',
      },
    };
    expect(nagFindings((app) => new BackupSchedulerStack(app, 'Reported', { scheduler: { config } }))).toBe(
      '',
    );
  });

  it('reports nothing unacknowledged with more password secrets than are granted one by one', () => {
    expect(
      nagFindings(
        (app) => new BackupSchedulerStack(app, 'Many', { scheduler: { config: scaledConfig(30, 1) } }),
      ),
    ).toBe('');
  });

  it('reports nothing unacknowledged with the FE-facing functions in a VPC with created endpoints', () => {
    expect(
      nagFindings((app) => {
        const stack = new Stack(app, 'InVpc', { env: { account: '123456789012', region: 'eu-west-1' } });
        const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
          vpcId: 'vpc-0123456789abcdef0',
          vpcCidrBlock: '10.0.0.0/16',
          availabilityZones: ['eu-west-1a', 'eu-west-1b'],
          privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
          privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa2'],
        });
        new StarRocksBackupScheduler(stack, 'Backups', {
          config: exampleConfig(),
          vpc,
          createVpcEndpoints: true,
        });
      }),
    ).toBe('');
  });
});
