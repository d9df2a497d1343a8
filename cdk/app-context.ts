/**
 * The `-c key=value` settings `cdk deploy` accepts, parsed into typed stack settings with errors that name
 * the key. Only the configuration file is required; the rest is deployment wiring the config file does not hold.
 */
import { resolve } from 'node:path';
import type { BackupConfig } from '#domain/config/index.ts';
import { ConfigError } from '#domain/errors.ts';
import { loadConfigFileSync } from './config-file.ts';
import { VPC_ENDPOINT_SERVICES, type VpcEndpointService } from './constructs/front-end-network.ts';

/** The stack name when `-c stackName=…` is not given. */
export const DEFAULT_STACK_NAME = 'StarRocksBackupScheduler';

/** What the app builds the stack from. */
export interface DeploySettings {
  readonly configPath: string;
  readonly config: BackupConfig;
  readonly stackName: string;
  /** Looked up at synth (needs credentials once; cached in cdk.context.json). */
  readonly vpcId?: string;
  readonly subnetIds?: readonly string[];
  readonly securityGroupIds?: readonly string[];
  readonly createVpcEndpoints: boolean;
  /** The endpoints to create one by one (`-c vpcEndpoints=dynamodb,secretsmanager`), instead of all of them. */
  readonly vpcEndpoints?: readonly VpcEndpointService[];
  readonly awsServicesReachable: boolean;
  readonly alarmEmail?: string;
  readonly alarmTopicArn?: string;
  readonly secretsKmsKeyArns?: readonly string[];
}

/** Reads one context value (`app.node.tryGetContext`). */
export type ContextReader = (key: string) => unknown;

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

function problem(key: string, message: string): ConfigError {
  const text = `-c ${key}: ${message}`;
  return new ConfigError(`Invalid deploy settings: ${text}`, [text]);
}

function text(read: ContextReader, key: string): string | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return String(value);
  return value.trim();
}

function flag(read: ContextReader, key: string): boolean {
  const value = read(key);
  if (value === undefined || value === null || value === '' || value === false || value === 'false')
    return false;
  if (value === true || value === 'true') return true;
  throw problem(key, `must be true or false, got ${JSON.stringify(value)}`);
}

function list(read: ContextReader, key: string, pattern: RegExp, what: string): string[] | undefined {
  const value = text(read, key);
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const bad = items.filter((item) => !pattern.test(item));
  if (bad.length > 0) throw problem(key, `${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not ${what}`);
  return items;
}

function matching(read: ContextReader, key: string, pattern: RegExp, what: string): string | undefined {
  const value = text(read, key);
  if (value !== undefined && !pattern.test(value)) throw problem(key, `${value} is not ${what}`);
  return value;
}

/**
 * Parses the deploy settings and loads the configuration file named by `-c config=<file>`
 * (relative to `cwd`). Throws ConfigError naming the context key, or the file and field path.
 */
export function readDeploySettings(read: ContextReader, cwd: string = process.cwd()): DeploySettings {
  const configArgument = text(read, 'config');
  if (configArgument === undefined) {
    throw problem(
      'config',
      'missing: name the configuration file, e.g. `npx cdk deploy -c config=backup.config.yaml` (start from backup.config.example.yaml)',
    );
  }
  const configPath = resolve(cwd, configArgument);
  const config = loadConfigFileSync(configPath);

  const stackName = matching(
    read,
    'stackName',
    STACK_NAME,
    'a CloudFormation stack name (a letter, then letters, digits and -)',
  );
  const vpcId = matching(read, 'vpcId', VPC_ID, 'a VPC id (vpc-…)');
  const subnetIds = list(read, 'subnetIds', SUBNET_ID, 'subnet ids (subnet-…)');
  const securityGroupIds = list(read, 'securityGroupIds', SECURITY_GROUP_ID, 'security group ids (sg-…)');
  const createVpcEndpoints = flag(read, 'createVpcEndpoints');
  const endpointPattern = new RegExp(`^(${VPC_ENDPOINT_SERVICES.join('|')})$`);
  const vpcEndpoints = list(
    read,
    'vpcEndpoints',
    endpointPattern,
    `VPC endpoints this stack can create (${VPC_ENDPOINT_SERVICES.join(', ')})`,
  ) as VpcEndpointService[] | undefined;
  if (vpcEndpoints !== undefined && createVpcEndpoints) {
    throw problem(
      'vpcEndpoints',
      'give either -c vpcEndpoints=… (some endpoints) or -c createVpcEndpoints=true (all)',
    );
  }
  const awsServicesReachable = flag(read, 'awsServicesReachable');
  if (vpcId === undefined) {
    const orphan = (
      [
        ['subnetIds', subnetIds !== undefined],
        ['securityGroupIds', securityGroupIds !== undefined],
        ['createVpcEndpoints', createVpcEndpoints],
        ['vpcEndpoints', vpcEndpoints !== undefined],
        ['awsServicesReachable', awsServicesReachable],
      ] as const
    ).find(([, given]) => given);
    if (orphan !== undefined)
      throw problem(orphan[0], 'needs -c vpcId=vpc-… (the VPC of the FE-facing functions)');
  }
  const alarmEmail = matching(read, 'alarmEmail', EMAIL, 'an e-mail address');
  const alarmTopicArn = matching(read, 'alarmTopicArn', TOPIC_ARN, 'an SNS topic ARN');
  const secretsKmsKeyArns = list(read, 'secretsKmsKeyArns', KMS_KEY_ARN, 'KMS key ARNs (arn:…:kms:…:key/…)');

  return {
    configPath,
    config,
    stackName: stackName ?? DEFAULT_STACK_NAME,
    ...(vpcId === undefined ? {} : { vpcId }),
    ...(subnetIds === undefined ? {} : { subnetIds }),
    ...(securityGroupIds === undefined ? {} : { securityGroupIds }),
    createVpcEndpoints,
    ...(vpcEndpoints === undefined ? {} : { vpcEndpoints: [...new Set(vpcEndpoints)] }),
    awsServicesReachable,
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
    ...(alarmTopicArn === undefined ? {} : { alarmTopicArn }),
    ...(secretsKmsKeyArns === undefined ? {} : { secretsKmsKeyArns }),
  };
}
