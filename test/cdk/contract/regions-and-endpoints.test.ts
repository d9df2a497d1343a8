import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { readDeploySettings } from '#cdk/app-context.ts';
import {
  StarRocksBackupScheduler,
  type StarRocksBackupSchedulerProps,
} from '#cdk/constructs/starrocks-backup-scheduler.ts';
import type { BackupConfigInput } from '#domain/config/index.ts';
import { awsSecrets } from '#runtime/aws/secrets.ts';
import { createS3Client } from '#runtime/s3-client.ts';
import {
  appWithoutBundling,
  configFrom,
  EXAMPLE_CONFIG_PATH,
  resolveIntrinsic,
  resourcesOfType,
} from '../support.ts';
import { DOCS, rule } from './rules.ts';

const OTHER_REGION_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:starrocks/backup';

const SAME_REGION_SECRET = OTHER_REGION_SECRET.replace('eu-west-1', 'us-east-1');

function clusterConfig(extra: Record<string, unknown> = {}, secret = OTHER_REGION_SECRET): BackupConfigInput {
  return {
    clusters: [
      {
        name: 'prod',
        host: 'fe.internal',
        passwordSecretArn: secret,
        repository: 's3_repo',
        schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
        ...extra,
      },
    ],
  };
}

/** The construct in a stack deployed to us-east-1, with an imported VPC (as `Vpc.fromLookup` gives it). */
function inUsEast1(props: (stack: Stack, vpc: ec2.IVpc) => Omit<StarRocksBackupSchedulerProps, 'vpc'>): {
  stack: Stack;
  template: Template;
} {
  const app = appWithoutBundling();
  const stack = new Stack(app, 'UsEast1', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidrBlock: '10.0.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
    privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa2'],
  });
  new StarRocksBackupScheduler(stack, 'Backups', { ...props(stack, vpc), vpc });
  return { stack, template: Template.fromStack(stack) };
}

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

function statements(template: Template): Statement[] {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

const secretsManager = mockClient(SecretsManagerClient);

afterEach(() => {
  secretsManager.reset();
});

describe(
  rule(
    'A Secrets Manager secret is read through the endpoint of its own Region, and kms:ViaService names the service in the Region that calls KMS (the secret’s)',
    DOCS.secretsManagerEndpoints,
    DOCS.kmsViaService,
  ),
  () => {
    it('reads a secret of eu-west-1 with a client for eu-west-1, whatever the function’s own Region', async () => {
      const regions: string[] = [];
      secretsManager.on(GetSecretValueCommand).callsFake(async (_input, getClient) => {
        regions.push(await getClient().config.region());
        return { SecretString: '{"password":"pw"}' };
      });
      const previous = process.env.AWS_REGION;
      process.env.AWS_REGION = 'us-east-1';
      try {
        await awsSecrets().starRocksPassword({ name: 'prod', passwordSecretArn: OTHER_REGION_SECRET });
      } finally {
        if (previous === undefined) delete process.env.AWS_REGION;
        else process.env.AWS_REGION = previous;
      }
      expect(regions).toEqual(['eu-west-1']);
    });

    it('grants GetSecretValue on the ARN in its own Region, and kms:Decrypt via Secrets Manager of that Region', () => {
      const { template } = inUsEast1((stack) => ({
        config: configFrom(clusterConfig()),
        secretsEncryptionKeys: [
          kms.Key.fromKeyArn(
            stack,
            'SecretsKey',
            'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          ),
        ],
      }));
      const all = statements(template);
      const secretResources = all
        .filter((statement) => [statement.Action].flat().includes('secretsmanager:GetSecretValue'))
        .flatMap((statement) => [statement.Resource].flat());
      expect(secretResources.length).toBeGreaterThan(0);
      expect(
        secretResources.every((resource) => String(resource).includes(':secretsmanager:eu-west-1:')),
      ).toBe(true);
      const viaServices = all
        .filter((statement) => [statement.Action].flat().includes('kms:Decrypt'))
        .flatMap((statement) => [statement.Condition?.StringEquals?.['kms:ViaService']].flat())
        .map((value) => resolveIntrinsic(template, value));
      expect(viaServices.length).toBeGreaterThan(0);
      expect(new Set(viaServices)).toEqual(new Set(['secretsmanager.eu-west-1.amazonaws.com']));
    });
  },
);

describe(
  rule(
    'A gateway endpoint reaches only services in the VPC’s own Region (UNVERIFIED wording); an S3 bucket elsewhere answers a request sent to the wrong Region with a redirect the client must follow',
    DOCS.gatewayEndpoints,
    DOCS.s3RegionRedirects,
  ),
  () => {
    it('builds the retention S3 client so that it follows a bucket’s Region redirect', async () => {
      expect(createS3Client({}).config.followRegionRedirects).toBe(true);
    });

    it('warns at synth when the S3 gateway endpoint cannot reach the retention bucket’s Region', () => {
      const { stack } = inUsEast1(() => ({
        config: configFrom(
          clusterConfig({
            retention: { keepLast: 7, remove: 's3', s3: { bucket: 'sr-backups', region: 'eu-west-1' } },
          }),
        ),
        createVpcEndpoints: true,
      }));
      expect(
        Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('sr-backups.*eu-west-1')),
      ).toHaveLength(1);
    });

    it('warns at synth when the Secrets Manager endpoint it creates cannot serve a secret of another Region', () => {
      const { stack } = inUsEast1(() => ({ config: configFrom(clusterConfig()), createVpcEndpoints: true }));
      expect(
        Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('starrocks/backup.*eu-west-1')),
      ).toHaveLength(1);
    });
  },
);

describe(
  rule(
    'A route table holds one route per gateway endpoint service and a VPC one private-DNS interface endpoint per service (UNVERIFIED wording): the user picks which endpoints the stack creates',
    DOCS.gatewayEndpoints,
    DOCS.interfaceEndpointDns,
  ),
  () => {
    const settings = (extra: Record<string, unknown>) =>
      readDeploySettings(
        (key) => ({ config: EXAMPLE_CONFIG_PATH, vpcId: 'vpc-0123456789abcdef0', ...extra })[key as 'config'],
      );

    it('reads -c vpcEndpoints=secretsmanager as the one endpoint to create', () => {
      expect(settings({ vpcEndpoints: 'secretsmanager' }).vpcEndpoints).toEqual(['secretsmanager']);
    });

    it('refuses an endpoint it does not know, naming the key', () => {
      expect(() => settings({ vpcEndpoints: 'dynamodb,sqs' })).toThrow(/-c vpcEndpoints: .*sqs/);
    });

    it('creates only the Secrets Manager endpoint in a VPC that already has a DynamoDB gateway endpoint', () => {
      const { template } = inUsEast1(() => ({
        config: configFrom(clusterConfig({}, SAME_REGION_SECRET)),
        vpcEndpoints: ['secretsmanager'],
      }));
      const endpoints = Object.values(resourcesOfType(template, 'AWS::EC2::VPCEndpoint'));
      expect(endpoints.map((endpoint) => endpoint.Properties.VpcEndpointType)).toEqual(['Interface']);
      expect(JSON.stringify(endpoints[0]?.Properties.ServiceName)).toContain('secretsmanager');
    });
  },
);
