import { Annotations, Aws, Stack, Token } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { BackupConfig } from '#domain/config/index.ts';
import { repositoryDirectories } from '#domain/prune/s3-snapshot-objects.ts';
import type { FrontEndNetwork } from './front-end-network.ts';
import { acknowledgeNag, nagText } from './nag.ts';
import type { NodeFunction } from './node-function.ts';

/** Properties of {@link SnapshotRetention}. */
export interface SnapshotRetentionProps {
  readonly config: BackupConfig;
  readonly catalogTable: dynamodb.TableV2;
  /** The PruneSnapshots function (the nightly prune step). */
  readonly pruneFunction: NodeFunction;
  /** The network of the FE-facing functions (PruneSnapshots runs there), when they run in a VPC. */
  readonly network?: FrontEndNetwork | undefined;
  /** Create an S3 gateway endpoint for the in-VPC prune. */
  readonly createS3Endpoint: boolean;
  /** The user said how the in-VPC functions reach AWS services (no warning without an S3 endpoint). */
  readonly pathStated: boolean;
}

/** One repository location retention may delete snapshot objects in. */
export interface SnapshotObjectLocation {
  readonly cluster: string;
  readonly bucket: string;
  /** The bucket's Region (`retention.s3.region`), when the configuration names it. */
  readonly region?: string;
  /** Bucket-relative repository directories (current and legacy layout), without a trailing slash. */
  readonly repositoryDirectories: readonly string[];
}

/** The id of the synth-time warning about S3 pruning from a VPC without a path to S3. */
export const NO_S3_PATH_WARNING = 'StarRocksBackupScheduler:NoPathToS3';

/** The id of the synth-time warning about a retention bucket the S3 gateway endpoint cannot reach. */
export const S3_OTHER_REGION_WARNING = 'StarRocksBackupScheduler:S3BucketInOtherRegion';

/**
 * The repository locations whose snapshot objects the prune may delete: clusters whose retention sets `s3` and
 * may use it (`remove: s3`, or `auto` — used where StarRocks has no DROP SNAPSHOT).
 */
export function snapshotObjectLocations(config: BackupConfig): SnapshotObjectLocation[] {
  return config.clusters.flatMap((cluster) => {
    const retention = cluster.retention;
    if (retention?.s3 === undefined || (retention.remove !== 's3' && retention.remove !== 'auto')) return [];
    return [
      {
        cluster: cluster.name,
        bucket: retention.s3.bucket,
        ...(retention.s3.region === undefined ? {} : { region: retention.s3.region }),
        repositoryDirectories: repositoryDirectories(retention.s3, cluster.repository),
      },
    ];
  });
}

/**
 * Snapshot retention and pauses, deployed:
 * - S3 pruning (opt-in): PruneSnapshots may list (ListBucket, with an `s3:prefix` condition) and delete
 *   (DeleteObject) only snapshot directories `__ss_*` of each configured repository location. Nothing when no
 *   cluster configures S3 removal. In a VPC, an S3 gateway endpoint with `createVpcEndpoints`.
 * - Pauses: a managed policy for the people who pause (`sr-backup pause` / `resume` with their own credentials)
 *   that reaches only the pause items (`PAUSE#…` partitions) of the catalog table. Which functions read pauses is
 *   in FUNCTION_ACCESS (ResolveDatabases: Query on the catalog table).
 */
export class SnapshotRetention extends Construct {
  /** Where the prune may delete snapshot objects (empty: no S3 permission at all). */
  readonly objectLocations: readonly SnapshotObjectLocation[];
  /** The S3 permissions of PruneSnapshots, when S3 pruning is configured. */
  readonly objectDeletionPolicy?: iam.Policy;
  /** The S3 gateway endpoint created for the in-VPC prune. */
  readonly s3Endpoint?: ec2.GatewayVpcEndpoint;
  /** Attach to the people (or roles) who pause and resume backups of the deployed scheduler. */
  readonly pauseOperatorPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: SnapshotRetentionProps) {
    super(scope, id);
    this.objectLocations = snapshotObjectLocations(props.config);
    if (this.objectLocations.length > 0) {
      this.objectDeletionPolicy = this.grantObjectDeletion(props.pruneFunction);
      if (props.network !== undefined) {
        if (props.createS3Endpoint) {
          this.s3Endpoint = new ec2.GatewayVpcEndpoint(this, 'S3Endpoint', {
            vpc: props.network.vpc,
            service: ec2.GatewayVpcEndpointAwsService.S3,
            subnets: [props.network.vpcSubnets],
          });
          this.warnAboutOtherRegions();
        } else if (!props.pathStated) {
          Annotations.of(this).addWarningV2(
            NO_S3_PATH_WARNING,
            `Snapshot retention deletes objects in S3 (clusters ${this.objectLocations.map((l) => l.cluster).join(', ')}) ` +
              'from PruneSnapshots, which runs in the VPC: without a NAT gateway or an S3 gateway endpoint every S3 ' +
              'prune fails. Set createVpcEndpoints: true (or list s3 in vpcEndpoints), or awsServicesReachable: true ' +
              'when the subnets reach S3.',
          );
        }
      }
    }
    this.pauseOperatorPolicy = new iam.ManagedPolicy(this, 'PauseOperator', {
      description:
        'sr-backup pause / resume / pause --list against the deployed scheduler: only the pause items of the catalog table',
      statements: [
        new iam.PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
          resources: [props.catalogTable.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PAUSE#*'] } },
        }),
      ],
    });
  }

  /** A gateway endpoint serves its own Region's S3 only: a bucket elsewhere is reached through NAT, or not at all. */
  private warnAboutOtherRegions(): void {
    const region = Stack.of(this).region;
    if (Token.isUnresolved(region)) return;
    for (const location of this.objectLocations) {
      if (location.region === undefined || location.region === region) continue;
      Annotations.of(this).addWarningV2(
        S3_OTHER_REGION_WARNING,
        `Retention bucket ${location.bucket} (cluster ${location.cluster}) is in ${location.region}, but the S3 ` +
          `gateway endpoint reaches buckets in ${region} only: PruneSnapshots needs a NAT gateway to delete its ` +
          'snapshot objects.',
      );
    }
  }

  private grantObjectDeletion(prune: NodeFunction): iam.Policy {
    const statements: iam.PolicyStatement[] = [];
    const byBucket = new Map<string, string[]>();
    for (const location of this.objectLocations) {
      const dirs = byBucket.get(location.bucket) ?? [];
      for (const dir of location.repositoryDirectories) if (!dirs.includes(dir)) dirs.push(dir);
      byBucket.set(location.bucket, dirs);
    }
    const objectPatterns: string[] = [];
    for (const [bucket, dirs] of byBucket) {
      statements.push(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [`arn:${Aws.PARTITION}:s3:::${bucket}`],
          conditions: { StringLike: { 's3:prefix': dirs.map((dir) => `${dir}/__ss_*`) } },
        }),
      );
      const patterns = dirs.map((dir) => `arn:${Aws.PARTITION}:s3:::${bucket}/${dir}/__ss_*`);
      objectPatterns.push(...patterns);
      statements.push(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: patterns }));
    }
    // A policy of its own: the snapshot-object permissions stay visible as one unit, apart from the table grants.
    const policy = new iam.Policy(this, 'SnapshotObjectDeletion', { roles: [prune.role], statements });
    for (const pattern of objectPatterns) {
      acknowledgeNag(
        policy,
        `IAM5[Resource::${nagText(this, pattern)}]`,
        'Snapshot labels are only known at run time; deletion is limited to the snapshot directories (__ss_*) of the configured repository location, and the prune deletes only labels its catalog holds.',
      );
    }
    return policy;
  }
}
