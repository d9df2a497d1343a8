import {
  ArnFormat,
  CustomResource,
  Duration,
  RemovalPolicy as Removal,
  type RemovalPolicy,
  Stack,
} from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { BackupConfig } from '#domain/config/index.ts';
import { SCHEDULE_SYNC_RESOURCE_TYPE } from '#domain/schedules/custom-resource.ts';
import { desiredScheduleSet } from '#domain/schedules/desired.ts';
import { SCHEDULE_KINDS, type ScheduleKind, type ScheduleSet } from '#domain/schedules/schedule-set.ts';
import { DEFAULT_PACING } from '#domain/schedules/scheduler-api.ts';
import { atLeastOnceAlarm } from './backup-monitoring.ts';
import type { ScheduledTarget } from './backup-schedules.ts';
import { jsonAsset } from './json-asset.ts';
import { acknowledgeNag, nagText } from './nag.ts';
import { NodeFunction } from './node-function.ts';

/** Lambda's longest invocation: the sync must finish (and answer CloudFormation) within it. */
export const SYNC_FUNCTION_TIMEOUT = Duration.minutes(15);

/**
 * How long CloudFormation waits for the sync's answer. CloudFormation invokes the function asynchronously, so Lambda
 * retries an invocation that crashed before answering (twice, by default): three 15-minute attempts and Lambda's
 * waits between them fit in the longest ServiceTimeout CloudFormation accepts (3,600 s).
 */
export const SYNC_SERVICE_TIMEOUT = Duration.hours(1);

/** Properties of the schedule sync. */
export interface ScheduleSyncProps {
  readonly config: BackupConfig;
  /** Each kind's group, role and state machine. */
  readonly targets: Readonly<Record<ScheduleKind, ScheduledTarget>>;
  /** Where Scheduler puts an event it could not deliver (every schedule of the stack). */
  readonly deadLetterQueue: sqs.IQueue;
  /** Where the function's failure alarm goes. */
  readonly alarmTopic: sns.ITopic;
  /** Scheduler calls per second, all operations together. @default 40 */
  readonly requestsPerSecond?: number;
  /** Scheduler calls in flight at once. @default 8 */
  readonly maxInFlight?: number;
  readonly removalPolicy: RemovalPolicy;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The schedules as data. The configuration's schedule set (every cluster × schedule, every cluster's hourly
 * freshness check, every cluster's drill) goes to a JSON asset; one custom resource (`Custom::ScheduleSync`) hands
 * the SyncSchedules function the asset's location and the groups, roles and state machines, and the function makes
 * the groups hold exactly that set through the Scheduler API. The template holds a constant number of resources,
 * whatever the number of clusters; a configuration change changes the asset's hash, hence the resource's
 * properties, hence one Update that touches only the schedules that differ; deleting the stack deletes every
 * schedule of the groups.
 */
export class ScheduleSync extends Construct {
  /** The desired schedules (what the asset holds). */
  readonly scheduleSet: ScheduleSet;
  readonly asset: s3assets.Asset;
  readonly function: NodeFunction;
  readonly resource: CustomResource;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ScheduleSyncProps) {
    super(scope, id);
    this.scheduleSet = desiredScheduleSet(props.config);
    this.asset = this.scheduleSetAsset(this.scheduleSet);

    this.function = new NodeFunction(this, 'SyncSchedules', {
      lambdaFolder: 'SyncSchedules',
      description:
        'StarRocks backup: keeps the EventBridge Scheduler schedules of the stack in line with the config',
      environment: {},
      timeout: SYNC_FUNCTION_TIMEOUT,
      // Thousands of GetSchedule answers and the parsed set are held at once.
      memorySize: 512,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      logRemovalPolicy: props.removalPolicy,
    });
    const policy = this.grantScheduleManagement(props.targets);

    const property = (kind: ScheduleKind, field: 'Group' | 'StateMachineArn' | 'RoleArn') => {
      const target = props.targets[kind];
      const prefix = `${kind[0]?.toUpperCase()}${kind.slice(1)}`;
      const value =
        field === 'Group'
          ? target.group.scheduleGroupName
          : field === 'RoleArn'
            ? target.role.roleArn
            : target.stateMachine.stateMachineArn;
      return [`${prefix}${field}`, value] as const;
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.function.functionArn,
      resourceType: SCHEDULE_SYNC_RESOURCE_TYPE,
      serviceTimeout: SYNC_SERVICE_TIMEOUT,
      // The schedules are data of this stack: removing the resource (or the stack) removes them.
      removalPolicy: Removal.DESTROY,
      properties: {
        ScheduleSetBucket: this.asset.s3BucketName,
        ScheduleSetKey: this.asset.s3ObjectKey,
        ...Object.fromEntries(
          SCHEDULE_KINDS.flatMap((kind) => [
            property(kind, 'Group'),
            property(kind, 'StateMachineArn'),
            property(kind, 'RoleArn'),
          ]),
        ),
        DeadLetterQueueArn: props.deadLetterQueue.queueArn,
        RequestsPerSecond: props.requestsPerSecond ?? DEFAULT_PACING.requestsPerSecond,
        MaxInFlight: props.maxInFlight ?? DEFAULT_PACING.maxInFlight,
      },
    });
    // The groups and permissions exist before the first call and outlive the last one (deletion runs in reverse).
    this.resource.node.addDependency(policy);
    const defaultPolicy = this.function.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy !== undefined) this.resource.node.addDependency(defaultPolicy);
    for (const kind of SCHEDULE_KINDS) {
      const { group, role } = props.targets[kind];
      // Named groups are referenced by name, not by Ref: without this the sync could run before they exist.
      this.resource.node.addDependency(group);
      this.resource.node.addDependency(role);
      const rolePolicy = role.node.tryFindChild('DefaultPolicy');
      if (rolePolicy !== undefined) this.resource.node.addDependency(rolePolicy);
    }

    this.alarm = atLeastOnceAlarm(this, 'SyncSchedulesFailing', {
      metric: this.function.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      description:
        'The SyncSchedules function crashed (a failed sync answers CloudFormation and fails the deploy; this catches the invocations that could not). See its log group.',
      action: new actions.SnsAction(props.alarmTopic),
    });
  }

  /** The set as a JSON asset: its object key changes exactly when the set does. */
  private scheduleSetAsset(set: ScheduleSet): s3assets.Asset {
    return jsonAsset(this, 'ScheduleSet', {
      directoryName: '.schedule-sets',
      filePrefix: 'schedule-set',
      value: set,
    });
  }

  /**
   * Create, update, delete, get and list schedules in the stack's groups only; pass only the groups' roles, and only
   * to Scheduler; read the schedule set's objects in the asset bucket.
   */
  private grantScheduleManagement(targets: Readonly<Record<ScheduleKind, ScheduledTarget>>): iam.Policy {
    const stack = Stack.of(this);
    const inGroup = (kind: ScheduleKind) =>
      stack.formatArn({
        service: 'scheduler',
        resource: 'schedule',
        resourceName: `${targets[kind].group.scheduleGroupName}/*`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const schedulesInGroups = SCHEDULE_KINDS.map(inGroup);
    const setObjects = `${this.asset.bucket.bucketArn}/*.json`;
    const policy = new iam.Policy(this, 'ManageSchedules', {
      roles: [this.function.role],
      statements: [
        new iam.PolicyStatement({
          actions: [
            'scheduler:CreateSchedule',
            'scheduler:UpdateSchedule',
            'scheduler:DeleteSchedule',
            'scheduler:GetSchedule',
            'scheduler:ListSchedules',
          ],
          resources: schedulesInGroups,
        }),
        new iam.PolicyStatement({
          actions: ['iam:PassRole'],
          resources: SCHEDULE_KINDS.map((kind) => targets[kind].role.roleArn),
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [setObjects] }),
      ],
    });
    for (const pattern of schedulesInGroups) {
      acknowledgeNag(
        policy,
        `IAM5[Resource::${nagText(this, pattern)}]`,
        "The schedules are the configuration's data, named at run time; the pattern is limited to this stack's own schedule group.",
      );
    }
    acknowledgeNag(
      policy,
      `IAM5[Resource::${nagText(this, setObjects)}]`,
      "The schedule set is a CDK asset whose object key is its content hash; a rollback reads the previous deploy's object, so the grant covers the bucket's JSON objects (assets, read only), not one key.",
    );
    return policy;
  }
}
