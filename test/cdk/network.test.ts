import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { NO_SERVICE_PATH_WARNING } from '#cdk/constructs/front-end-network.ts';
import { FUNCTION_ACCESS } from '#cdk/constructs/function-access.ts';
import type { StarRocksBackupSchedulerProps } from '#cdk/constructs/starrocks-backup-scheduler.ts';
import type { TaskFunctionName } from '#statemachines/definitions.ts';
import { exampleConfig, resourcesOfType, synthConstruct } from './support.ts';

const config = exampleConfig();

/** An existing VPC, as `Vpc.fromLookup` would give it (two private subnets with their route tables). */
function importedVpc(stack: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidrBlock: '10.0.0.0/16',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
    privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa2'],
  });
}

function inVpc(extra: (stack: Stack) => Partial<StarRocksBackupSchedulerProps> = () => ({})) {
  return synthConstruct((stack) => ({ config, vpc: importedVpc(stack), ...extra(stack) }));
}

const warnings = (stack: Stack) =>
  Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(NO_SERVICE_PATH_WARNING));

describe('FE-facing functions in a VPC', () => {
  const { template } = inVpc(() => ({ createVpcEndpoints: true }));
  const functions = Object.values(resourcesOfType(template, 'AWS::Lambda::Function'));
  const frontEndCount = (Object.keys(FUNCTION_ACCESS) as TaskFunctionName[]).filter(
    (stem) => FUNCTION_ACCESS[stem].reachesFrontEnd,
  ).length;

  it('puts exactly the FE-facing functions in the VPC', () => {
    expect(functions.filter((fn) => fn.Properties.VpcConfig !== undefined)).toHaveLength(frontEndCount);
  });

  it('keeps Slack delivery outside the VPC', () => {
    expect(
      functions.filter(
        (fn) =>
          /Slack|Summarizes/.test(String(fn.Properties.Description)) && fn.Properties.VpcConfig !== undefined,
      ),
    ).toEqual([]);
  });

  it('allows the default security group out only to the FE port and HTTPS', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('StarRocks backup functions'),
      SecurityGroupEgress: [
        Match.objectLike({ IpProtocol: 'tcp', FromPort: 9030, ToPort: 9030, CidrIp: '0.0.0.0/0' }),
        Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }),
      ],
    });
  });

  it('creates a DynamoDB gateway endpoint on the functions subnets route tables', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['.dynamodb'])] }),
      RouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa2'],
    });
  });

  it('creates a Secrets Manager interface endpoint with private DNS', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['.secretsmanager'])] }),
      PrivateDnsEnabled: true,
    });
  });

  it('creates a Step Functions endpoint: the in-VPC SettleOrphans asks whether a lease holder still runs', () => {
    const endpoints = Object.values(resourcesOfType(template, 'AWS::EC2::VPCEndpoint'));
    expect(
      endpoints.filter((endpoint) => JSON.stringify(endpoint.Properties.ServiceName).includes('.states')),
    ).toHaveLength(1);
  });

  it('lets only the functions security group reach the interface endpoint', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('FunctionSecurityGroup'), 'GroupId'] },
    });
  });
});

describe('the synth-time network warning', () => {
  it('warns when the functions run in an imported VPC with no endpoints and nothing said about NAT', () => {
    const { stack } = inVpc();
    expect(warnings(stack)).toHaveLength(1);
  });

  it('does not warn when the construct creates the endpoints', () => {
    const { stack } = inVpc(() => ({ createVpcEndpoints: true }));
    expect(warnings(stack)).toEqual([]);
  });

  it('does not warn when the user states that the subnets reach the services', () => {
    const { stack } = inVpc(() => ({ awsServicesReachable: true }));
    expect(warnings(stack)).toEqual([]);
  });

  it('does not warn when the subnets route through a NAT gateway defined in the app', () => {
    const { stack } = synthConstruct((scope) => ({
      config,
      vpc: new ec2.Vpc(scope, 'NatVpc', { maxAzs: 2, natGateways: 1 }) as ec2.IVpc,
    }));
    expect(warnings(stack)).toEqual([]);
  });

  it('warns when the subnets are isolated', () => {
    const { stack } = synthConstruct((scope) => {
      const vpc = new ec2.Vpc(scope, 'IsolatedVpc', {
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      return { config, vpc: vpc as ec2.IVpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } };
    });
    expect(warnings(stack)).toHaveLength(1);
  });
});

describe('no VPC', () => {
  it('runs every function outside any VPC when none is given', () => {
    const { template } = synthConstruct(() => ({ config }));
    expect(
      Object.values(resourcesOfType(template, 'AWS::Lambda::Function')).filter(
        (fn) => fn.Properties.VpcConfig !== undefined,
      ),
    ).toEqual([]);
  });
});
