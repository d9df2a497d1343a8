import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { DeploySettings } from './app-context.ts';
import {
  StarRocksBackupScheduler,
  type StarRocksBackupSchedulerProps,
} from './constructs/starrocks-backup-scheduler.ts';

/** Existing resources the stack refers to by id or ARN (imported inside the stack). */
export interface ExistingResources {
  /** The VPC of the FE-facing functions (looked up: needs credentials once, then cdk.context.json). */
  readonly vpcId?: string;
  readonly subnetIds?: readonly string[];
  readonly securityGroupIds?: readonly string[];
  readonly alarmTopicArn?: string;
  readonly secretsKmsKeyArns?: readonly string[];
}

/** The construct properties that are plain values (the rest comes from `existing`). */
export type SchedulerSettings = Omit<
  StarRocksBackupSchedulerProps,
  'vpc' | 'vpcSubnets' | 'securityGroups' | 'alarmTopic' | 'secretsEncryptionKeys'
>;

/** Properties of the stack. */
export interface BackupSchedulerStackProps extends StackProps {
  readonly scheduler: SchedulerSettings;
  readonly existing?: ExistingResources;
}

/** The deployable stack: one StarRocksBackupScheduler and nothing else. */
export class BackupSchedulerStack extends Stack {
  readonly scheduler: StarRocksBackupScheduler;

  constructor(scope: Construct, id: string, props: BackupSchedulerStackProps) {
    super(scope, id, {
      description: 'StarRocks backup scheduler: EventBridge Scheduler, Step Functions, Lambda, DynamoDB',
      ...props,
    });
    const existing = props.existing ?? {};
    const vpc =
      existing.vpcId === undefined ? undefined : ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: existing.vpcId });
    this.scheduler = new StarRocksBackupScheduler(this, 'Scheduler', {
      ...props.scheduler,
      ...(vpc === undefined ? {} : { vpc }),
      ...(existing.subnetIds === undefined
        ? {}
        : { vpcSubnets: { subnetFilters: [ec2.SubnetFilter.byIds([...existing.subnetIds])] } }),
      ...(existing.securityGroupIds === undefined
        ? {}
        : {
            securityGroups: existing.securityGroupIds.map((groupId) =>
              ec2.SecurityGroup.fromSecurityGroupId(this, `SecurityGroup-${groupId}`, groupId),
            ),
          }),
      ...(existing.alarmTopicArn === undefined
        ? {}
        : { alarmTopic: sns.Topic.fromTopicArn(this, 'AlarmTopic', existing.alarmTopicArn) }),
      ...(existing.secretsKmsKeyArns === undefined
        ? {}
        : {
            secretsEncryptionKeys: existing.secretsKmsKeyArns.map((arn, index) =>
              kms.Key.fromKeyArn(this, `SecretsKey${index}`, arn),
            ),
          }),
    });
    this.outputs();
  }

  private outputs(): void {
    const { scheduler } = this;
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('NightlyBackupStateMachineArn', scheduler.nightlyBackup.stateMachineArn, 'Runs one schedule slot');
    output(
      'BackupDatabaseStateMachineArn',
      scheduler.backupDatabase.stateMachineArn,
      'One execution per database backup',
    );
    output(
      'RestoreDrillStateMachineArn',
      scheduler.restoreDrill.stateMachine.stateMachineArn,
      'Restore drills (scheduled per cluster with a drill)',
    );
    output(
      'RestoreStateMachineArn',
      scheduler.onDemandRestore.stateMachine.stateMachineArn,
      'On-demand restores (sr-backup restore --stack … --execute)',
    );
    output(
      'FreshnessCheckStateMachineArn',
      scheduler.freshnessChecker.stateMachine.stateMachineArn,
      'Hourly freshness check',
    );
    output('LocksTableName', scheduler.locksTable.tableName, 'Locks and slots (DynamoDB)');
    output('CatalogTableName', scheduler.catalogTable.tableName, 'Snapshot catalog (DynamoDB, retained)');
    output('AlarmTopicArn', scheduler.alarmTopic.topicArn, 'Alarm notifications (SNS)');
    output('DashboardName', scheduler.monitoring.dashboard.dashboardName, 'CloudWatch dashboard');
    output(
      'ScheduleGroupName',
      scheduler.schedules.group.scheduleGroupName,
      'EventBridge Scheduler group of the backup schedules',
    );
    output(
      'FreshnessScheduleGroupName',
      scheduler.freshnessChecker.group.scheduleGroupName,
      'EventBridge Scheduler group of the hourly freshness checks',
    );
    output(
      'DrillScheduleGroupName',
      scheduler.restoreDrill.group.scheduleGroupName,
      'EventBridge Scheduler group of the restore drills',
    );
    output(
      'PauseOperatorPolicyArn',
      scheduler.retention.pauseOperatorPolicy.managedPolicyArn,
      'Attach to the people or roles who run sr-backup pause/resume against this deployment',
    );
    output(
      'RestoreOperatorPolicyArn',
      scheduler.restoreOperator.policy.managedPolicyArn,
      'Attach to the people or roles who run sr-backup restore / drill --stack against this deployment',
    );
    const group = scheduler.frontEndNetwork?.createdSecurityGroup;
    if (group !== undefined) {
      output(
        'FrontEndSecurityGroupId',
        group.securityGroupId,
        'Security group of the FE-facing functions: allow it inbound on the FE query port (9030)',
      );
    }
  }

  /** The stack `cdk/app.ts` builds from the `-c` settings. */
  static fromSettings(scope: Construct, settings: DeploySettings): BackupSchedulerStack {
    return new BackupSchedulerStack(scope, settings.stackName, {
      stackName: settings.stackName,
      // A VPC lookup needs a concrete account and region; without one the template stays environment-agnostic.
      ...(settings.vpcId === undefined ? {} : { env: lookupEnvironment() }),
      scheduler: {
        config: settings.config,
        createVpcEndpoints: settings.createVpcEndpoints,
        ...(settings.vpcEndpoints === undefined ? {} : { vpcEndpoints: settings.vpcEndpoints }),
        awsServicesReachable: settings.awsServicesReachable,
        ...(settings.alarmEmail === undefined ? {} : { alarmEmail: settings.alarmEmail }),
      },
      existing: {
        ...(settings.vpcId === undefined ? {} : { vpcId: settings.vpcId }),
        ...(settings.subnetIds === undefined ? {} : { subnetIds: settings.subnetIds }),
        ...(settings.securityGroupIds === undefined ? {} : { securityGroupIds: settings.securityGroupIds }),
        ...(settings.alarmTopicArn === undefined ? {} : { alarmTopicArn: settings.alarmTopicArn }),
        ...(settings.secretsKmsKeyArns === undefined
          ? {}
          : { secretsKmsKeyArns: settings.secretsKmsKeyArns }),
      },
    });
  }
}

/** The account and region the CDK CLI resolved from the credentials (needed by a VPC lookup). */
function lookupEnvironment(): { account?: string; region?: string } {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  return { ...(account === undefined ? {} : { account }), ...(region === undefined ? {} : { region }) };
}
