import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { BackupConfig } from '../../lambdas/shared/config/index.ts';
import { CATALOG_TABLE, LOCKS_TABLE, type TableDefinition } from '../../lambdas/shared/tables.ts';
import {
  functionPlaceholder,
  readDefinitionText,
  TASK_FUNCTIONS,
  type TaskFunctionName,
} from '../../statemachines/definitions.ts';
import { BackupMonitoring } from './backup-monitoring.ts';
import { BackupSchedules } from './backup-schedules.ts';
import { checkFrontEndConnections } from './connection-checks.ts';
import {
  type BackupExecutionBudget,
  backupExecutionBudget,
  NEAR_TIMEOUT_FRACTION,
  nightlyExecutionTimeoutSeconds,
  taskTimeoutSeconds,
} from './execution-timeouts.ts';
import { FreshnessChecker } from './freshness-checker.ts';
import { type AwsServiceNeed, FrontEndNetwork } from './front-end-network.ts';
import { type DynamoAction, FUNCTION_ACCESS } from './function-access.ts';
import { NodeFunction, taskLambdas } from './node-function.ts';
import { RestoreDrill } from './restore-drill.ts';
import { SnapshotRetention } from './retention.ts';
import { grantSecretsRead } from './secret-grants.ts';
import { grantHolderLiveness, StateMachineFromFile } from './state-machine-from-file.ts';

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
   * endpoint, and a Step Functions one if an in-VPC function ever calls Step Functions (none does today).
   * @default false
   */
  readonly createVpcEndpoints?: boolean;
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
}

/**
 * The whole backup scheduler: DynamoDB locks and catalog, the Task functions, the two state machines from
 * the ASL files, one EventBridge Scheduler schedule per cluster × schedule, alarms and a dashboard.
 * Every grant is explicit; nothing grows with the number of databases.
 */
export class StarRocksBackupScheduler extends Construct {
  readonly locksTable: dynamodb.TableV2;
  readonly catalogTable: dynamodb.TableV2;
  readonly functions: Readonly<Record<TaskFunctionName, NodeFunction>>;
  readonly nightlyBackup: sfn.StateMachine;
  readonly backupDatabase: sfn.StateMachine;
  readonly schedules: BackupSchedules;
  readonly alarmTopic: sns.ITopic;
  readonly monitoring: BackupMonitoring;
  /** The RestoreDrill state machine, its schedules (clusters with `drill`) and alarms. */
  readonly restoreDrill: RestoreDrill;
  /** The hourly FreshnessCheck state machine, its schedules (one per cluster), alarms and dashboard row. */
  readonly freshnessChecker: FreshnessChecker;
  /** Snapshot retention (S3 pruning permissions when configured) and the pause operator policy. */
  readonly retention: SnapshotRetention;
  /** The network of the FE-facing functions, when they run in a VPC. */
  readonly frontEndNetwork?: FrontEndNetwork;
  /** How the BackupDatabase execution timeout was computed. */
  readonly backupExecutionBudget: BackupExecutionBudget;
  /** The NightlyBackup execution timeout. */
  readonly nightlyTimeout: Duration;

  constructor(scope: Construct, id: string, props: StarRocksBackupSchedulerProps) {
    super(scope, id);
    const { config } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    const catalogRemovalPolicy = props.catalogRemovalPolicy ?? RemovalPolicy.RETAIN;

    this.locksTable = table(this, LOCKS_TABLE, removalPolicy);
    this.catalogTable = table(this, CATALOG_TABLE, catalogRemovalPolicy);

    const network =
      props.vpc === undefined
        ? undefined
        : new FrontEndNetwork(this, 'FrontEndNetwork', {
            vpc: props.vpc,
            ...(props.vpcSubnets === undefined ? {} : { vpcSubnets: props.vpcSubnets }),
            ...(props.securityGroups === undefined ? {} : { securityGroups: props.securityGroups }),
            frontEndPorts: config.clusters.map((cluster) => cluster.port),
            needs: frontEndServiceNeeds(config),
            createVpcEndpoints: props.createVpcEndpoints ?? false,
            awsServicesReachable: props.awsServicesReachable ?? false,
            functionNames: frontEndStems().map((stem) => TASK_FUNCTIONS[stem]),
          });

    if (network !== undefined) this.frontEndNetwork = network;

    const definitions = {
      nightlyBackup: JSON.parse(readDefinitionText('nightlyBackup')) as object,
      backupDatabase: JSON.parse(readDefinitionText('backupDatabase')) as object,
      restoreDrill: JSON.parse(readDefinitionText('restoreDrill')) as object,
      freshnessCheck: JSON.parse(readDefinitionText('freshnessCheck')) as object,
    };
    this.backupExecutionBudget = backupExecutionBudget(definitions.backupDatabase, {
      maxDeadlineSeconds: Math.max(...config.clusters.map((cluster) => cluster.timeoutSeconds)),
      maxPollSeconds: config.poll.maxSeconds,
    });
    this.nightlyTimeout = Duration.seconds(nightlyExecutionTimeoutSeconds(this.backupExecutionBudget.total));

    const functions = {} as Record<TaskFunctionName, NodeFunction>;
    for (const stem of Object.keys(TASK_FUNCTIONS) as TaskFunctionName[]) {
      const timeoutSeconds =
        taskTimeoutSeconds(Object.values(definitions), `\${${functionPlaceholder(stem)}}`) ??
        DEFAULT_TASK_TIMEOUT_SECONDS;
      functions[stem] = this.taskFunction(stem, timeoutSeconds, props, network, removalPolicy);
    }
    this.functions = functions;
    this.retention = new SnapshotRetention(this, 'Retention', {
      config,
      catalogTable: this.catalogTable,
      pruneFunction: functions.PruneSnapshots,
      network,
      createVpcEndpoints: props.createVpcEndpoints ?? false,
      awsServicesReachable: props.awsServicesReachable ?? false,
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

    const nightly = new StateMachineFromFile(this, 'NightlyBackup', {
      definition: 'nightlyBackup',
      functions: taskLambdas(functions),
      substitutions: {
        Partition: Aws.PARTITION,
        BackupDatabaseStateMachineArn: this.backupDatabase.stateMachineArn,
      },
      timeout: this.nightlyTimeout,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      logRemovalPolicy: removalPolicy,
    });
    nightly.allowSyncStartOf(this.backupDatabase);
    // cfn-lint checks the definition text before CloudFormation applies DefinitionSubstitutions, so it refuses
    // `arn:${Partition}:states:::…`, and its ASL schema refuses OutputPath on a Succeed state, which the ASL
    // specification allows. test/cdk/definitions.test.ts validates the substituted definition with asl-validator.
    nightly.ignoreCfnLintChecks(['E3601']);
    this.nightlyBackup = nightly.stateMachine;

    this.grantHolderLiveness();

    this.schedules = new BackupSchedules(this, 'Schedules', {
      config,
      target: this.nightlyBackup,
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
      nightlyTimeout: this.nightlyTimeout,
      nearTimeoutFraction: NEAR_TIMEOUT_FRACTION,
      functions,
      deadLetterQueue: this.schedules.deadLetterQueue,
      scheduleGroup: this.schedules.group,
      clusters: config.clusters.map((cluster) => cluster.name),
    });

    this.restoreDrill = new RestoreDrill(this, 'RestoreDrill', {
      config,
      functions,
      deadLetterQueue: this.schedules.deadLetterQueue,
      alarmTopic: this.alarmTopic,
      removalPolicy,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });

    this.freshnessChecker = new FreshnessChecker(this, 'FreshnessCheck', {
      config,
      functions,
      deadLetterQueue: this.schedules.deadLetterQueue,
      alarmTopic: this.alarmTopic,
      dashboard: this.monitoring.dashboard,
      secretsEncryptionKeys: props.secretsEncryptionKeys ?? [],
      removalPolicy,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });
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
      lambdaFolder: TASK_FUNCTIONS[stem],
      description: `StarRocks backup: ${access.purpose}`,
      environment: {
        LOCKS_TABLE_NAME: this.locksTable.tableName,
        CATALOG_TABLE_NAME: this.catalogTable.tableName,
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
    const secretArns = [
      ...(access.reachesFrontEnd ? passwordSecretArns(props.config) : []),
      ...(access.slackWebhook && webhookSecretArn !== undefined ? [webhookSecretArn] : []),
    ];
    grantSecretsRead(fn.role, secretArns, props.secretsEncryptionKeys ?? []);
    return fn;
  }

  /** AcquireSlot and AcquireLock ask whether a holder's execution still runs before taking its lease over. */
  private grantHolderLiveness(): void {
    const roles = (Object.keys(FUNCTION_ACCESS) as TaskFunctionName[])
      .filter((stem) => FUNCTION_ACCESS[stem].describesBackupExecutions)
      .map((stem) => this.functions[stem].role);
    grantHolderLiveness(
      this,
      roles,
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
    return new sns.Topic(this, 'AlarmTopic', {
      displayName: 'StarRocks backup alarms',
      masterKey: key,
      enforceSSL: true,
    });
  }
}

/**
 * A function's timeout is its Task's TimeoutSeconds (the longest, if several Tasks use it): Step Functions'
 * timer starts first, so a hung invocation surfaces as States.Timeout, which the ASL retries.
 */
const DEFAULT_TASK_TIMEOUT_SECONDS = 60;

function frontEndStems(): TaskFunctionName[] {
  return (Object.keys(FUNCTION_ACCESS) as TaskFunctionName[]).filter(
    (stem) => FUNCTION_ACCESS[stem].reachesFrontEnd,
  );
}

/**
 * The AWS services the in-VPC functions call: Secrets Manager when a cluster has a password secret, DynamoDB
 * when one of them touches a table, Step Functions when one of them checks executions (none does today).
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
