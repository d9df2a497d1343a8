import { Annotations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** AWS services a function in the VPC may call, and so needs a network path to. */
export type AwsServiceNeed = 'dynamodb' | 'secretsmanager' | 'states';

/** The VPC endpoints the stack can create: those of {@link AwsServiceNeed} and S3's (snapshot retention). */
export type VpcEndpointService = AwsServiceNeed | 's3';

/** Every endpoint `-c vpcEndpoints=…` accepts, in the order the docs list them. */
export const VPC_ENDPOINT_SERVICES: readonly VpcEndpointService[] = [
  'dynamodb',
  'secretsmanager',
  'states',
  's3',
];

/** Properties of the network the FE-facing functions run in. */
export interface FrontEndNetworkProps {
  readonly vpc: ec2.IVpc;
  /** @default the VPC's private subnets (CDK's default selection) */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** @default one security group allowing egress only to the FE ports and to HTTPS */
  readonly securityGroups?: readonly ec2.ISecurityGroup[];
  /** FE MySQL ports of the clusters (for the default security group's egress). */
  readonly frontEndPorts: readonly number[];
  /** The AWS services the in-VPC functions call. */
  readonly needs: ReadonlySet<AwsServiceNeed>;
  /**
   * The endpoints to create, of those the functions need: a gateway endpoint for DynamoDB, interface endpoints
   * with private DNS for the others. A VPC that already has one for a service must leave that service out.
   */
  readonly endpoints: ReadonlySet<VpcEndpointService>;
  /**
   * The user said how the needed services are reached (endpoints listed one by one, all created, or
   * awsServicesReachable): no warning.
   */
  readonly pathStated: boolean;
  /** Names of the in-VPC functions, for the warning. */
  readonly functionNames: readonly string[];
}

/** The id of the synth-time warning about a missing network path (acknowledgeable). */
export const NO_SERVICE_PATH_WARNING = 'StarRocksBackupScheduler:NoPathToAwsServices';

/**
 * Network placement of the FE-facing functions: security groups (a least-privilege default), optional VPC
 * endpoints for the AWS services they call, and a synth-time warning when nothing shows a path to them.
 */
export class FrontEndNetwork extends Construct {
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly securityGroups: ec2.ISecurityGroup[];
  /** The security group this construct created (none when the caller passed its own). */
  readonly createdSecurityGroup?: ec2.SecurityGroup;
  /** The services this construct created an endpoint for. */
  readonly createdEndpoints: ReadonlySet<AwsServiceNeed>;

  constructor(scope: Construct, id: string, props: FrontEndNetworkProps) {
    super(scope, id);
    this.vpc = props.vpc;
    this.vpcSubnets = props.vpcSubnets ?? {};
    if (props.securityGroups) {
      this.securityGroups = [...props.securityGroups];
    } else {
      this.createdSecurityGroup = this.defaultSecurityGroup(props.frontEndPorts);
      this.securityGroups = [this.createdSecurityGroup];
    }

    this.createdEndpoints = new Set([...props.needs].filter((need) => props.endpoints.has(need)));
    this.createEndpoints(this.createdEndpoints);
    if (!props.pathStated && !this.subnetsHaveNat()) {
      Annotations.of(this).addWarningV2(
        NO_SERVICE_PATH_WARNING,
        `The FE-facing functions (${props.functionNames.join(', ')}) run in VPC subnets this construct cannot ` +
          `see a path from to ${[...props.needs].map(serviceLabel).join(', ')}. Without a NAT gateway or VPC ` +
          'endpoints every backup fails. Set createVpcEndpoints: true (-c createVpcEndpoints=true), name the ' +
          'endpoints to create one by one (-c vpcEndpoints=dynamodb,secretsmanager), or awsServicesReachable: true ' +
          '(-c awsServicesReachable=true) when the subnets already reach them.',
      );
    }
  }

  private defaultSecurityGroup(ports: readonly number[]): ec2.SecurityGroup {
    const group = new ec2.SecurityGroup(this, 'FunctionSecurityGroup', {
      vpc: this.vpc,
      description: 'StarRocks backup functions: egress to the FE MySQL port and to AWS APIs only',
      allowAllOutbound: false,
    });
    for (const port of [...new Set(ports)].sort((a, b) => a - b)) {
      // FE addresses are host names resolved at run time, so the destination cannot be narrowed here;
      // the FE's own security group decides who may connect.
      group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port), `StarRocks FE MySQL protocol (${port})`);
    }
    group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs (endpoints or NAT)');
    return group;
  }

  private createEndpoints(needs: ReadonlySet<AwsServiceNeed>): void {
    if (needs.has('dynamodb')) {
      new ec2.GatewayVpcEndpoint(this, 'DynamoDbEndpoint', {
        vpc: this.vpc,
        service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
        subnets: [this.vpcSubnets],
      });
    }
    const interfaces: Array<[AwsServiceNeed, ec2.InterfaceVpcEndpointAwsService, string]> = [
      ['secretsmanager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, 'SecretsManagerEndpoint'],
      ['states', ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS, 'StepFunctionsEndpoint'],
    ];
    for (const [need, service, endpointId] of interfaces) {
      if (!needs.has(need)) continue;
      const endpoint = new ec2.InterfaceVpcEndpoint(this, endpointId, {
        vpc: this.vpc,
        service,
        subnets: { ...this.vpcSubnets, onePerAz: true },
        privateDnsEnabled: true,
        open: false,
      });
      for (const group of this.securityGroups) endpoint.connections.allowDefaultPortFrom(group);
    }
  }

  /**
   * True when the selected subnets are private subnets with egress of a VPC defined in this app: CDK's Vpc
   * creates those only with a NAT gateway route. An imported VPC tells nothing about its routes.
   */
  private subnetsHaveNat(): boolean {
    if (!(this.vpc instanceof ec2.Vpc)) return false;
    const natSubnets = new Set(this.vpc.privateSubnets);
    const selected = this.vpc.selectSubnets(this.vpcSubnets).subnets;
    return selected.length > 0 && selected.every((subnet) => natSubnets.has(subnet));
  }
}

function serviceLabel(need: AwsServiceNeed): string {
  return { dynamodb: 'DynamoDB', secretsmanager: 'Secrets Manager', states: 'Step Functions' }[need];
}
