import { Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { NO_S3_PATH_WARNING } from '#cdk/constructs/retention.ts';
import { StarRocksBackupScheduler } from '#cdk/constructs/starrocks-backup-scheduler.ts';
import type { BackupConfigInput } from '#domain/config/index.ts';
import {
  appWithoutBundling,
  configFrom,
  logicalIdByPath,
  resourcesOfType,
  synthConstruct,
} from './support.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:starrocks/backup';

function configWith(retention: Record<string, unknown> | undefined): BackupConfigInput {
  return {
    clusters: [
      {
        name: 'prod',
        host: 'fe.internal',
        passwordSecretArn: SECRET,
        repository: 's3_repo',
        schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
        ...(retention === undefined ? {} : { retention }),
      },
      {
        name: 'staging',
        host: 'fe.staging.internal',
        passwordSecretArn: SECRET,
        repository: 'legacy_repo',
        schedules: [{ name: 'nightly', cron: '0 3 * * ? *' }],
      },
    ],
  };
}

const S3_RETENTION = {
  keepLast: 7,
  remove: 'auto',
  s3: { bucket: 'sr-backups', prefix: '/prod/starrocks/' },
};

function importedVpc(stack: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidrBlock: '10.0.0.0/16',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
    privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa2'],
  });
}

/**
 * Every IAM statement of the template that names an S3 action, with the roles its policy is attached to; except the
 * schedule sync's read of its schedule set in the asset bucket (test/cdk/schedule-sync.test.ts covers that one).
 */
function s3Statements(template: Template): Array<{ roles: string[]; statement: Statement }> {
  const syncPolicies = (path: string) => path.includes('/ScheduleSync/');
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) => !syncPolicies(String(policy.Metadata?.['aws:cdk:path'])))
    .flatMap((policy) =>
      (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.filter((statement) =>
        (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).some((a) =>
          a.startsWith('s3:'),
        ),
      ).map((statement) => ({
        roles: (policy.Properties.Roles as Array<{ Ref: string }>).map((ref) => ref.Ref),
        statement,
      })),
    );
}

const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });

describe('prune permissions', () => {
  it('grants no S3 permission at all when no cluster prunes through S3', () => {
    for (const retention of [undefined, { keepLast: 3 }, { ...S3_RETENTION, remove: 'drop-snapshot' }]) {
      const { template, scheduler } = synthConstruct(() => ({ config: configFrom(configWith(retention)) }));
      expect(s3Statements(template)).toEqual([]);
      expect(scheduler.retention.objectDeletionPolicy).toBeUndefined();
    }
  });

  it('lets only PruneSnapshots list and delete, and only the snapshot directories of the repository location', () => {
    // Act
    const { template } = synthConstruct(() => ({ config: configFrom(configWith(S3_RETENTION)) }));

    // Assess
    const pruneRole = logicalIdByPath(template, '/Backups/PruneSnapshots/Role/Resource');
    const statements = s3Statements(template);
    expect(statements.map((s) => s.roles)).toEqual([[pruneRole], [pruneRole]]);
    expect(statements.map((s) => s.statement)).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: join('arn:', { Ref: 'AWS::Partition' }, ':s3:::sr-backups'),
        Condition: {
          StringLike: {
            's3:prefix': [
              'prod/starrocks/__starrocks_repository_s3_repo/__ss_*',
              'prod/starrocks/__palo_repository_s3_repo/__ss_*',
            ],
          },
        },
      },
      {
        Effect: 'Allow',
        Action: 's3:DeleteObject',
        Resource: [
          join(
            'arn:',
            { Ref: 'AWS::Partition' },
            ':s3:::sr-backups/prod/starrocks/__starrocks_repository_s3_repo/__ss_*',
          ),
          join(
            'arn:',
            { Ref: 'AWS::Partition' },
            ':s3:::sr-backups/prod/starrocks/__palo_repository_s3_repo/__ss_*',
          ),
        ],
      },
    ]);
  });

  it('creates an S3 gateway endpoint for the in-VPC prune when asked to create endpoints', () => {
    // Act
    const { template } = synthConstruct((stack) => ({
      config: configFrom(configWith(S3_RETENTION)),
      vpc: importedVpc(stack),
      createVpcEndpoints: true,
    }));

    // Assess
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: join('com.amazonaws.', { Ref: 'AWS::Region' }, '.s3'),
      VpcEndpointType: 'Gateway',
    });
  });

  it('warns at synth when the in-VPC prune has no visible path to S3, and not without S3 pruning', () => {
    // Act
    const withS3 = synthConstruct((stack) => ({
      config: configFrom(configWith(S3_RETENTION)),
      vpc: importedVpc(stack),
    }));
    const without = synthConstruct((stack) => ({
      config: configFrom(configWith(undefined)),
      vpc: importedVpc(stack),
    }));

    // Assess
    const warnings = (stack: Stack) =>
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(NO_S3_PATH_WARNING));
    expect(warnings(withS3.stack)).toHaveLength(1);
    expect(warnings(without.stack)).toHaveLength(0);
    expect(resourcesOfType(withS3.template, 'AWS::EC2::VPCEndpoint')).toEqual({});
  });

  it('leaves no unacknowledged cdk-nag finding with S3 pruning in a VPC', () => {
    // Prepare
    const app = appWithoutBundling();
    const stack = new Stack(app, 'Pruning', { env: { account: '123456789012', region: 'eu-west-1' } });
    new StarRocksBackupScheduler(stack, 'Backups', {
      config: configFrom(configWith(S3_RETENTION)),
      vpc: importedVpc(stack),
      createVpcEndpoints: true,
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act
    let findings = '';
    try {
      app.synth();
    } catch (error) {
      findings = error instanceof Error ? error.message : String(error);
    }

    // Assess
    expect(findings).toBe('');
  });
});
