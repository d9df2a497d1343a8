import { Annotations, ArnFormat, Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { MANIFEST_KEY_PREFIX } from '#domain/catalog/keys.ts';
import type { BackupConfig } from '#domain/config/index.ts';
import { METRICS_SERVICE_VARIABLE } from '#domain/metrics.ts';
import { scheduleGroupNames } from '#domain/schedules/schedule-set.ts';
import { secretArnRegion } from '#domain/secrets.ts';
import { CATALOG_TABLE, LOCKS_TABLE, type TableDefinition } from '#domain/tables.ts';
import {
  functionPlaceholder,
  readDefinitionText,
  TASK_FUNCTION_NAMES,
  type TaskFunctionName,
} from '#statemachines/definitions.ts';
import { BackupMonitoring } from './backup-monitoring.ts';
import { BackupSchedules } from './backup-schedules.ts';
import { checkFrontEndConnections } from './connection-checks.ts';
import { ExecutionSettlement } from './execution-settlement.ts';
import {
  type BackupExecutionBudget,
  backupExecutionBudget,
  functionTimeoutSeconds,
  nightlyExecutionTimeoutSeconds,
  shortestTaskTimeoutSeconds,
} from './execution-timeouts.ts';
import { FreshnessChecker } from './freshness-checker.ts';
import {
  type AwsServiceNeed,
  FrontEndNetwork,
  VPC_ENDPOINT_SERVICES,
  type VpcEndpointService,
} from './front-end-network.ts';
import { type DynamoAction, FUNCTION_ACCESS } from './function-access.ts';
import { NodeFunction, taskLambdas } from './node-function.ts';
import { OnDemandRestore } from './on-demand-restore.ts';
import { RestoreDrill } from './restore-drill.ts';
import { RestoreOperator } from './restore-operator.ts';
import { SnapshotRetention } from './retention.ts';
import { ScheduleSync } from './schedule-sync.ts';
import { grantSecretsRead, MAX_SECRETS_GRANTED_ONE_BY_ONE, secretResources } from './secret-grants.ts';
import { grantHolderLiveness, holderLivenessRoles, StateMachineFromFile } from './state-machine-from-file.ts';
import { WeeklyReport } from './weekly-report.ts';

/** Properties of the StarRocks backup scheduler. */
export interface StarRocksBackupSchedulerProps {
  /** The validated configuration (`loadConfigFileSync` / `parseConfig`): clusters, schedules, poll, lock, slack. */
  readonly config: BackupConfig;
  /**
   * The VPC the FE-facing functions (resolve, submit, check, cancel, verify) run in, when the FE is not
   * reachable from Lambda's own network. Every other function runs outside any VPC (no NAT needed for Slack).
   * @default no VPC
   */
  readonly vpc?: ec2.IVpc;
  /** @default the VPC's private subnets */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** @default one group allowing egress only to the FE ports and HTTPS (allow it in the FE's group on 9030) */
  readonly securityGroups?: readonly ec2.ISecurityGroup[];
  /**
   * Create the VPC endpoints the in-VPC functions need: a DynamoDB gateway endpoint, a Secrets Manager interface
   * endpoint, an S3 gateway endpoint when retention deletes S3 objects, and a Step Functions one if an in-VPC
   * function ever calls Step Functions (none does today). Same as listing all of them in `vpcEndpoints`.
   * @default false
   */
  readonly createVpcEndpoints?: boolean;
  /**
   * The VPC endpoints to create, one by one, for a VPC that already has some (a second DynamoDB or S3 gateway
   * endpoint on the same route tables, or a second Secrets Manager endpoint with private DNS, fails to deploy).
   * Only those the functions need are created; the services left out are taken as reachable (no synth warning).
   * Takes precedence over `createVpcEndpoints`.
   * @default none, or every needed one with `createVpcEndpoints`
   */
  readonly vpcEndpoints?: readonly VpcEndpointService[];
  /** The subnets already reach DynamoDB and Secrets Manager (NAT or endpoints): silences the synth warning. @default false */
  readonly awsServicesReachable?: boolean;
  /** Customer-managed KMS keys of the password / webhook secrets (kms:Decrypt via Secrets Manager only). @default none */
  readonly secretsEncryptionKeys?: readonly kms.IKey[];
  /** Where alarms go. @default a new KMS-encrypted topic */
  readonly alarmTopic?: sns.ITopic;
  /** An e-mail address subscribed to the alarm topic. @default none */
  readonly alarmEmail?: string;
  /** What happens to the snapshot catalog when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly catalogRemovalPolicy?: RemovalPolicy;
  /** What happens to everything else that holds data (locks table, logs, queue, topic key). @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The `service` dimension of every metric the functions emit and the alarms read. Two schedulers in one account
   * and Region need different values, or each one's alarms count the other's backups.
   * @default the stack name
   */
  readonly metricsServiceName?: string;
  /**
   * The schedule groups are named `<prefix>-backups`, `<prefix>-freshness` and `<prefix>-drills`, so that
   * `sr-backup plan --stack <name>` finds them. Two schedulers in one stack need different prefixes.
   * @default the stack name (CloudFormation generates the names when the stack name is not known at synth time)
   */
  readonly scheduleGroupPrefix?: string;
  /**
   * How many EventBridge Scheduler calls per second the schedule sync makes during a deploy (all operations
   * together; see docs/deploy.md for what this means for large configurations).
   * @default 40
   */
  readonly scheduleSyncRequestsPerSecond?: number;
}

/**
 * The whole backup scheduler: DynamoDB locks and catalog, the Task functions, the state machines from the ASL
 * files, the EventBridge Scheduler schedule groups and the schedule sync that fills them (one schedule per
 * cluster × schedule, freshness check and drill, kept as data rather than as resources), alarms and a dashboard.
 * Every grant is explicit; the number of resources grows neither with the clusters nor with the databases.
 */
export class StarRocksBackupScheduler extends Construct {
  readonly locksTable: dynamodb.TableV2;
  readonly catalogTable: dynamodb.TableV2;
  readonly functions: Readonly<Record<TaskFunctionName, NodeFunction>>;
  readonly nightlyBackup: sfn.StateMachine;
  readonly backupDatabase: sfn.StateMachine;
  /** One lane of a nightly run: takes databases from the run's queue and backs each up in BackupDatabase. */
  readonly backupLane: sfn.StateMachine;
  /** Settles what a BackupDatabase or RestoreDrill execution left when it ended without cleaning up. */
  readonly settlement: ExecutionSettlement;
  /** The nightly backups' schedule group, role and the dead-letter queue of every schedule. */
  readonly schedules: BackupSchedules;
  /** Keeps the three schedule groups in line with the configuration (a custom resource and its function). */
  readonly scheduleSync: ScheduleSync;
  readonly alarmTopic: sns.ITopic;
  readonly monitoring: BackupMonitoring;
  /** The RestoreDrill state machine, its schedule group (clusters with `drill`) and alarms. */
  readonly restoreDrill: RestoreDrill;
  /** The Restore state machine `sr-backup restore --stack … --execute` starts. */
  readonly onDemandRestore: OnDemandRestore;
  /** The managed policy for people who run restores and drills against this deployment. */
  readonly restoreOperator: RestoreOperator;
  /** The hourly FreshnessCheck state machine, its schedule group (one per cluster), alarms and dashboard row. */
  readonly freshnessChecker: FreshnessChecker;
  /** Snapshot retention (S3 pruning permissions when configured) and the pause operator policy. */
  readonly retention: SnapshotRetention;
  /** The network of the FE-facing functions, when they run in a VPC. */
  readonly frontEndNetwork?: FrontEndNetwork;
  /** How the BackupDatabase execution timeout was computed. */
  readonly backupExecutionBudget: BackupExecutionBudget;
  /** The NightlyBackup execution timeout. */
  readonly nightlyTimeout: Duration;
  /** The `service` dimension of the functions' metrics (POWERTOOLS_SERVICE_NAME), which the alarms read. */
  readonly metricsService: string;
  /** The weekly report's schedule and function, when the configuration has `report`. */
  readonly weeklyReport?: WeeklyReport;

  constructor(scope: Construct, id: string, props: StarRocksBackupSchedulerProps) {
    super(scope, id);
    const { config } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    const catalogRemovalPolicy = props.catalogRemovalPolicy ?? RemovalPolicy.RETAIN;
    this.metricsService = props.metricsServiceName ?? Stack.of(this).stackName;

    this.locksTable = table(this, LOCKS_TABLE, removalPolicy);
    this.catalogTable = table(this, CATALOG_TABLE, catalogRemovalPolicy);

    const endpoints = new Set<VpcEndpointService>(
      props.vpcEndpoints ?? (props.createVpcEndpoints ? VPC_ENDPOINT_SERVICES : []),
    );
    const pathStated =
      props.vpcEndpoints !== undefined ||
      (props.createVpcEndpoints ?? false) ||
      (props.awsServicesReachable ?? false);
    const network =
      props.vpc === undefined
        ? undefined
        : new FrontEndNetwork(this, 'FrontEndNetwork', {
            vpc: props.vpc,
            ...(props.vpcSubnets === undefined ? {} : { vpcSubnets: props.vpcSubnets }),
            ...(props.securityGroups === undefined ? {} : { securityGroups: props.securityGroups }),
            frontEndPorts: config.clusters.map((cluster) => cluster.port),
            needs: frontEndServiceNeeds(config),
            endpoints,
            pathStated,
            functionNames: frontEndStems().map((stem) => stem),
          });

    warnAboutSecretPatterns(this, config);
    if (network !== undefined) {
      this.frontEndNetwork = network;
      if (network.createdEndpoints.has('secretsmanager')) warnAboutSecretsInOtherRegions(this, config);
    }

    const definitions = {
      nightlyBackup: JSON.parse(readDefinitionText('nightlyBackup')) as object,
      backupDatabase: JSON.parse(readDefinitionText('backupDatabase')) as object,
      backupLane: JSON.parse(readDefinitionText('backupLane')) as object,
      restoreDrill: JSON.parse(readDefinitionText('restoreDrill')) as object,
      restore: JSON.parse(readDefinitionText('restore')) as object,
      freshnessCheck: JSON.parse(readDefinitionText('freshnessCheck')) as object,
      settleExecution: JSON.parse(readDefinitionText('settleExecution')) as object,
    };
    this.backupExecutionBudget = backupExecutionBudget(definitions.backupDatabase, {
      maxDeadlineSeconds: Math.max(...config.clusters.map((cluster) => cluster.timeoutSeconds)),
      maxPollSeconds: config.poll.maxSeconds,
    });
    this.nightlyTimeout = Duration.seconds(nightlyExecutionTimeoutSeconds(this.backupExecutionBudget.total));

    const functions = {} as Record<TaskFunctionName, NodeFunction>;
    for (const stem of [...TASK_FUNCTION_NAMES]) {
      const taskTimeout = shortestTaskTimeoutSeconds(
        Object.values(definitions),
        `\${${functionPlaceholder(stem)}}`,
      );
      const timeoutSeconds =
        taskTimeout === undefined ? DEFAULT_FUNCTION_TIMEOUT_SECONDS : functionTimeoutSeconds(taskTimeout);
      functions[stem] = this.taskFunction(stem, timeoutSeconds, props, network, removalPolicy);
    }
    this.functions = functions;
    this.retention = new SnapshotRetention(this, 'Retention', {
      config,
      catalogTable: this.catalogTable,
      pruneFunction: functions.PruneSnapshots,
      network,
      createS3Endpoint: endpoints.has('s3'),
      pathStated,
    });
    checkFrontEndConnections(
      this,
      config,
      Math.min(...frontEndStems().map((stem) => functions[stem].function.timeout?.toSeconds() ?? 0)),
    );

    const backup = new StateMachineFromFile(this, 'BackupDatabase', {
      definition: 'backupDatabase',
      functions: taskLambdas(functions),
      timeout: Duration.seconds(this.backupExecutionBudget.total),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      logRemovalPolicy: removalPolicy,
    });
    this.backupDatabase = backup.stateMachine;

    const lane = new StateMachineFromFile(this, 'BackupLane', {
      definition: 'backupLane',
      functions: taskLambdas(functions),
      substitutions: {
        Partition: Aws.PARTITION,
        BackupDatabaseStateMachineArn: this.backupDatabase.stateMachineArn,
      },
      // A lane works the run's queue until it is drained: it may last as long as the run.
      timeout: this.nightlyTimeout,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      logRemovalPolicy: removalPolicy,
    });
    lane.allowSyncStartOf(this.backupDatabase);
    // cfn-lint checks the definition text before CloudFormation applies DefinitionSubstitutions, so it refuses
    // `arn:${Partition}:states:::…`. test/cdk/definitions.test.ts validates the substituted definition.
    lane.ignoreCfnLintChecks(['E3601']);
    this.backupLane = lane.stateMachine;

    const nightly = new StateMachineFromFile(this, 'NightlyBackup', {
      definition: 'nightlyBackup',
      functions: taskLambdas(functions),
      substitutions: {
        Partition: Aws.PARTITION,
        BackupLaneStateMachineArn: this.backupLane.stateMachineArn,
      },
      timeout: this.nightlyTimeout,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      logRemovalPolicy: removalPolicy,
    });
    nightly.allowSyncStartOf(this.backupLane);
    // cfn-lint checks the definition text before CloudFormation applies DefinitionSubstitutions, so it refuses
    // `arn:${Partition}:states:::…`, and its ASL schema refuses OutputPath on a Succeed state, which the ASL
    // specification allows. test/cdk/definitions.test.ts validates the substituted definition with asl-validator.
    nightly.ignoreCfnLintChecks(['E3601']);
    this.nightlyBackup = nightly.stateMachine;

    this.grantHolderLiveness();

    const groupNames = scheduleGroupNamesFor(this, props.scheduleGroupPrefix);
    this.schedules = new BackupSchedules(this, 'Schedules', {
      target: this.nightlyBackup,
      groupName: groupNames?.backup,
      removalPolicy,
    });

    this.alarmTopic = props.alarmTopic ?? this.createAlarmTopic(removalPolicy);
    if (props.alarmEmail !== undefined) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }
    this.monitoring = new BackupMonitoring(this, 'Monitoring', {
      topic: this.alarmTopic,
      nightly: this.nightlyBackup,
      backupDatabase: this.backupDatabase,
      backupLane: this.backupLane,
      metricsService: this.metricsService,
      functions,
      deadLetterQueue: this.schedules.deadLetterQueue,
      scheduleGroup: this.schedules.group,
    });

    this.restoreDrill = new RestoreDrill(this, 'RestoreDrill', {
      config,
      functions,
      deadLetterQueue: this.schedules.deadLetterQueue,
      alarmTopic: this.alarmTopic,
      groupName: groupNames?.drill,
      removalPolicy,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });

    this.onDemandRestore = new OnDemandRestore(this, 'Restore', {
      config,
      functions,
      alarmTopic: this.alarmTopic,
      removalPolicy,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });

    this.restoreOperator = new RestoreOperator(this, 'RestoreOperator', {
      catalogTable: this.catalogTable,
      machines: [this.onDemandRestore.stateMachine, this.restoreDrill.stateMachine],
      logGroups: Object.values(functions).map((fn) => fn.logGroup),
    });

    this.settlement = new ExecutionSettlement(this, 'Settlement', {
      functions,
      leaseHolders: [this.backupDatabase, this.restoreDrill.stateMachine, this.onDemandRestore.stateMachine],
      livenessRoles: holderLivenessRoles(functions),
      alarmTopic: this.alarmTopic,
      removalPolicy,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });

    this.freshnessChecker = new FreshnessChecker(this, 'FreshnessCheck', {
      config,
      functions,
      deadLetterQueue: this.schedules.deadLetterQueue,
      alarmTopic: this.alarmTopic,
      groupName: groupNames?.freshness,
      dashboard: this.monitoring.dashboard,
      metricsService: this.metricsService,
      secretsEncryptionKeys: props.secretsEncryptionKeys ?? [],
      removalPolicy,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });

    this.scheduleSync = new ScheduleSync(this, 'ScheduleSync', {
      config,
      targets: { backup: this.schedules, freshness: this.freshnessChecker, drill: this.restoreDrill },
      deadLetterQueue: this.schedules.deadLetterQueue,
      alarmTopic: this.alarmTopic,
      ...(props.scheduleSyncRequestsPerSecond === undefined
        ? {}
        : { requestsPerSecond: props.scheduleSyncRequestsPerSecond }),
      removalPolicy,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });

    if (config.report !== undefined) {
      this.weeklyReport = new WeeklyReport(this, 'WeeklyReport', {
        config,
        catalogTable: this.catalogTable,
        locksTable: this.locksTable,
        deadLetterQueue: this.schedules.deadLetterQueue,
        alarmTopic: this.alarmTopic,
        secretsEncryptionKeys: props.secretsEncryptionKeys ?? [],
        removalPolicy,
        ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      });
    }
  }

  private taskFunction(
    stem: TaskFunctionName,
    timeoutSeconds: number,
    props: StarRocksBackupSchedulerProps,
    network: FrontEndNetwork | undefined,
    removalPolicy: RemovalPolicy,
  ): NodeFunction {
    const access = FUNCTION_ACCESS[stem];
    const webhookSecretArn = props.config.slack.webhookSecretArn;
    const fn = new NodeFunction(this, stem, {
      lambdaFolder: stem,
      description: `StarRocks backup: ${access.purpose}`,
      environment: {
        LOCKS_TABLE_NAME: this.locksTable.tableName,
        CATALOG_TABLE_NAME: this.catalogTable.tableName,
        [METRICS_SERVICE_VARIABLE]: this.metricsService,
        ...(access.slackWebhook && webhookSecretArn !== undefined
          ? { SLACK_WEBHOOK_SECRET_ARN: webhookSecretArn }
          : {}),
      },
      timeout: Duration.seconds(timeoutSeconds),
      ...(access.reachesFrontEnd && network !== undefined
        ? { vpc: network.vpc, vpcSubnets: network.vpcSubnets, securityGroups: network.securityGroups }
        : {}),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      logRemovalPolicy: removalPolicy,
    });

    grantTable(fn.role, this.locksTable, access.locks);
    grantTable(fn.role, this.catalogTable, access.catalog);
    grantManifestWrites(fn.role, this.catalogTable, access.manifests ?? []);
    const secretArns = [
      ...(access.reachesFrontEnd ? passwordSecretArns(props.config) : []),
      ...(access.slackWebhook && webhookSecretArn !== undefined ? [webhookSecretArn] : []),
    ];
    grantSecretsRead(fn.role, secretArns, props.secretsEncryptionKeys ?? []);
    return fn;
  }

  /** AcquireSlot, AcquireLock and SettleOrphans ask whether a holder's execution still runs before taking its lease over. */
  private grantHolderLiveness(): void {
    grantHolderLiveness(
      this,
      holderLivenessRoles(this.functions),
      this.backupDatabase,
      'A lock or slot holder is a BackupDatabase execution whose name is only known at run time; read-only, and limited to executions of that state machine.',
    );
  }

  private createAlarmTopic(removalPolicy: RemovalPolicy): sns.Topic {
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the StarRocks backup alarm topic',
      enableKeyRotation: true,
      removalPolicy,
    });
    // CloudWatch alarms can publish to an encrypted topic only when the key lets CloudWatch use it.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'StarRocks backup alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a TopicPolicy, which takes the place of SNS's default policy: without this Allow
    // CloudWatch is refused sns:Publish and no alarm reaches anyone.
    topic.addToResourcePolicy(cloudWatchAlarmsMayPublish(this, topic.topicArn));
    return topic;
  }
}

/**
 * The topic policy statement that lets CloudWatch alarms of this account and Region publish to `topicArn`
 * (aws:SourceAccount and aws:SourceArn keep other accounts' alarms out). docs/deploy.md shows the same statement
 * for a topic passed in with `-c alarmTopicArn`.
 */
export function cloudWatchAlarmsMayPublish(scope: Construct, topicArn: string): iam.PolicyStatement {
  const stack = Stack.of(scope);
  return new iam.PolicyStatement({
    sid: 'CloudWatchAlarmsPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  });
}

/**
 * A function no Task names (none today) gets this timeout. The others time out a margin before the quickest Task
 * that invokes them (see functionTimeoutSeconds): Lambda's own timer fires first, as `Sandbox.Timedout`, which the
 * ASL retries.
 */
const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 60;

/** The roles of the functions that ask whether a lease holder's execution still runs. */

/**
 * The schedule group names, derived from `prefix` or else from the stack name; none when the stack name is not
 * known at synth time (CloudFormation then generates them, and `sr-backup plan` needs `--schedule-groups`).
 */
function scheduleGroupNamesFor(scope: Construct, prefix: string | undefined) {
  const name = prefix ?? Stack.of(scope).stackName;
  return Token.isUnresolved(name) ? undefined : scheduleGroupNames(name);
}

/** The id of the synth-time warning about password secrets granted by a name pattern. */
export const SECRET_PATTERN_WARNING = 'StarRocksBackupScheduler:SecretsGrantedByPattern';

/** Past MAX_SECRETS_GRANTED_ONE_BY_ONE password secrets, says which pattern the FE-facing functions may read. */
function warnAboutSecretPatterns(scope: Construct, config: BackupConfig): void {
  const { resources, exact } = secretResources(passwordSecretArns(config));
  if (exact) return;
  Annotations.of(scope).addWarningV2(
    SECRET_PATTERN_WARNING,
    `The clusters name more than ${MAX_SECRETS_GRANTED_ONE_BY_ONE} password secrets, too many to grant one by one within ` +
      `IAM's policy size: the FE-facing functions may read every secret matching ${resources.join(', ')}. Keep ` +
      'the password secrets under one name prefix (for example starrocks/<cluster>) that holds nothing else.',
  );
}

/** The id of the synth-time warning about a password secret the Secrets Manager endpoint cannot serve. */
export const SECRET_OTHER_REGION_WARNING = 'StarRocksBackupScheduler:SecretInOtherRegion';

/**
 * An interface endpoint serves its own Region: the functions read a secret of another Region from that Region's
 * public endpoint, which needs a NAT gateway from the VPC.
 */
function warnAboutSecretsInOtherRegions(scope: Construct, config: BackupConfig): void {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) return;
  for (const arn of passwordSecretArns(config)) {
    const secretRegion = secretArnRegion(arn);
    if (secretRegion === undefined || secretRegion === region) continue;
    Annotations.of(scope).addWarningV2(
      SECRET_OTHER_REGION_WARNING,
      `Secret ${arn} is in ${secretRegion}, but the Secrets Manager endpoint the stack creates serves ${region} ` +
        'only: the FE-facing functions read it from its own Region and need a NAT gateway for that.',
    );
  }
}

function frontEndStems(): TaskFunctionName[] {
  return (Object.keys(FUNCTION_ACCESS) as TaskFunctionName[]).filter(
    (stem) => FUNCTION_ACCESS[stem].reachesFrontEnd,
  );
}

/**
 * The AWS services the in-VPC functions call: Secrets Manager when a cluster has a password secret, DynamoDB
 * when one of them touches a table, Step Functions when one of them checks executions (SettleOrphans does).
 */
function frontEndServiceNeeds(config: BackupConfig): ReadonlySet<AwsServiceNeed> {
  const needs = new Set<AwsServiceNeed>();
  if (passwordSecretArns(config).length > 0) needs.add('secretsmanager');
  for (const stem of frontEndStems()) {
    const access = FUNCTION_ACCESS[stem];
    if (access.locks.length + access.catalog.length > 0) needs.add('dynamodb');
    if (access.describesBackupExecutions) needs.add('states');
  }
  return needs;
}

function table(scope: Construct, def: TableDefinition, removalPolicy: RemovalPolicy): dynamodb.TableV2 {
  const key = (attribute: { name: string; type: 'S' | 'N' | 'B' }): dynamodb.Attribute => ({
    name: attribute.name,
    type: attribute.type as dynamodb.AttributeType,
  });
  return new dynamodb.TableV2(scope, `${def.logicalName}Table`, {
    partitionKey: key(def.partitionKey),
    ...(def.sortKey === undefined ? {} : { sortKey: key(def.sortKey) }),
    globalSecondaryIndexes: def.globalSecondaryIndexes.map((index) => ({
      indexName: index.indexName,
      partitionKey: key(index.partitionKey),
      ...(index.sortKey === undefined ? {} : { sortKey: key(index.sortKey) }),
      projectionType: index.projectionType as dynamodb.ProjectionType,
      ...(index.nonKeyAttributes === undefined ? {} : { nonKeyAttributes: [...index.nonKeyAttributes] }),
    })),
    ...(def.timeToLiveAttribute === undefined ? {} : { timeToLiveAttribute: def.timeToLiveAttribute }),
    billing: dynamodb.Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
    deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
    removalPolicy,
  });
}

function grantTable(role: iam.IRole, target: dynamodb.TableV2, actions: readonly DynamoAction[]): void {
  if (actions.length === 0) return;
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [target.tableArn] }));
}

/**
 * Writes on the manifest partitions only. `dynamodb:LeadingKeys` holds the partition key values a request touches
 * (AWS documentation, "Using IAM policy conditions for fine-grained access control", DynamoDB developer guide);
 * ForAllValues makes every key of a BatchWriteItem match.
 */
function grantManifestWrites(
  role: iam.IRole,
  target: dynamodb.TableV2,
  actions: readonly DynamoAction[],
): void {
  if (actions.length === 0) return;
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [...actions],
      resources: [target.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${MANIFEST_KEY_PREFIX}*`] } },
    }),
  );
}

/** Every cluster's password secret, once each. */
function passwordSecretArns(config: BackupConfig): string[] {
  return [
    ...new Set(
      config.clusters.flatMap((cluster) =>
        cluster.passwordSecretArn === undefined ? [] : [cluster.passwordSecretArn],
      ),
    ),
  ];
}
