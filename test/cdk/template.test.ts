import { Match } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { scheduleInput, scheduleName } from '#cdk/constructs/backup-schedules.ts';
import { desiredScheduleSet } from '#domain/schedules/desired.ts';
import { type ScheduleRequest, scheduleGroupNames } from '#domain/schedules/schedule-set.ts';
import { CATALOG_TABLE } from '#domain/tables.ts';
import { nightlyInputSchema } from '#domain/workflow/run-state.ts';
import { STATE_MACHINE_FILES, TASK_FUNCTION_NAMES } from '#statemachines/definitions.ts';
import {
  configFrom,
  countByType,
  exampleConfig,
  logicalIdByPath,
  resourcesOfType,
  scaledConfig,
  stagedScheduleSet,
  syncedSchedules,
  synthConstruct,
  synthStack,
} from './support.ts';

const config = exampleConfig();
const { stack, template } = synthStack({ config });

const synced = syncedSchedules(template, stack.scheduler);

function backupSchedule(): ScheduleRequest {
  const found = synced.find(({ entry }) => entry.kind === 'backup');
  if (found === undefined) throw new Error('no backup schedule');
  return found.request;
}

function scheduleTargetInput(): string {
  return backupSchedule().Target?.Input ?? '';
}

describe('DynamoDB tables', () => {
  it('bills both tables on demand', () => {
    expect(Object.values(resourcesOfType(template, 'AWS::DynamoDB::GlobalTable'))).toEqual([
      expect.objectContaining({ Properties: expect.objectContaining({ BillingMode: 'PAY_PER_REQUEST' }) }),
      expect.objectContaining({ Properties: expect.objectContaining({ BillingMode: 'PAY_PER_REQUEST' }) }),
    ]);
  });

  it('turns point-in-time recovery on for the locks table', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      Metadata: { 'aws:cdk:path': Match.stringLikeRegexp('/LocksTable/') },
      Properties: {
        Replicas: [
          Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
        ],
      },
    });
  });

  it('turns point-in-time recovery on for the catalog table', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      Metadata: { 'aws:cdk:path': Match.stringLikeRegexp('/CatalogTable/') },
      Properties: {
        Replicas: [
          Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
        ],
      },
    });
  });

  it('encrypts both tables with KMS', () => {
    expect(
      Object.values(resourcesOfType(template, 'AWS::DynamoDB::GlobalTable')).map(
        (table) => table.Properties.SSESpecification,
      ),
    ).toEqual([
      { SSEEnabled: true, SSEType: 'KMS' },
      { SSEEnabled: true, SSEType: 'KMS' },
    ]);
  });

  it('gives lock items no TTL, so fencing tokens never reset', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      Metadata: { 'aws:cdk:path': Match.stringLikeRegexp('/LocksTable/') },
      Properties: { TimeToLiveSpecification: Match.absent() },
    });
  });

  it('expires catalog items on the attribute the shared definition names', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: CATALOG_TABLE.timeToLiveAttribute, Enabled: true },
    });
  });

  it('creates the catalog index the shared definition declares', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: CATALOG_TABLE.globalSecondaryIndexes[0]?.indexName }),
      ],
    });
  });

  it('retains the catalog when the stack is deleted', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      Metadata: { 'aws:cdk:path': Match.stringLikeRegexp('/CatalogTable/') },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('protects the retained catalog from deletion', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      Metadata: { 'aws:cdk:path': Match.stringLikeRegexp('/CatalogTable/') },
      Properties: { Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] },
    });
  });
});

describe('Lambda functions', () => {
  const functions = Object.values(resourcesOfType(template, 'AWS::Lambda::Function'));

  it('creates one function per Task of the ASL files, and the schedule sync', () => {
    expect(functions).toHaveLength(TASK_FUNCTION_NAMES.length + 1);
    expect(
      Object.keys(resourcesOfType(template, 'AWS::Lambda::Function')).filter((id) =>
        id.includes('SyncSchedules'),
      ),
    ).toHaveLength(1);
  });

  it('runs every function on ARM64', () => {
    expect(functions.every((fn) => JSON.stringify(fn.Properties.Architectures) === '["arm64"]')).toBe(true);
  });

  it('runs every function on the newest Node.js runtime of aws-cdk-lib', () => {
    expect(new Set(functions.map((fn) => fn.Properties.Runtime))).toEqual(new Set(['nodejs24.x']));
  });

  it('traces every function with X-Ray', () => {
    expect(functions.every((fn) => (fn.Properties.TracingConfig as { Mode: string }).Mode === 'Active')).toBe(
      true,
    );
  });

  it('logs every function to its own log group', () => {
    const groups = functions.map(
      (fn) => (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref,
    );
    expect(new Set(groups).size).toBe(functions.length);
  });

  it('keeps function logs for three months', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 90,
      LogGroupName: Match.absent(),
    });
  });

  it('gives the functions only table names and settings as environment', () => {
    const keys = new Set(
      functions.flatMap((fn) =>
        Object.keys((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables),
      ),
    );
    expect(keys).toEqual(
      new Set([
        'LOCKS_TABLE_NAME',
        'CATALOG_TABLE_NAME',
        'SLACK_WEBHOOK_SECRET_ARN',
        'NODE_OPTIONS',
        'POWERTOOLS_LOG_LEVEL',
        'POWERTOOLS_SERVICE_NAME',
      ]),
    );
  });

  it('tells the alerting functions where the Slack webhook secret is', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Slack alert'),
      Environment: {
        Variables: Match.objectLike({ SLACK_WEBHOOK_SECRET_ARN: config.slack.webhookSecretArn }),
      },
    });
  });

  it('stops a function 20 s before its Task state would, and never past Lambda’s 15 minutes', () => {
    const timeouts = functions.map((fn) => fn.Properties.Timeout as number);
    expect(timeouts.every((seconds) => seconds >= 60 && seconds <= 900)).toBe(true);
    expect(new Set(timeouts)).toContain(100);
  });

  it('enables source maps in stack traces', () => {
    expect(
      functions.every(
        (fn) =>
          (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.NODE_OPTIONS ===
          '--enable-source-maps',
      ),
    ).toBe(true);
  });
});

describe('state machines', () => {
  it('creates every state machine of statemachines/ as Standard', () => {
    const types = Object.values(resourcesOfType(template, 'AWS::StepFunctions::StateMachine')).map(
      (machine) => machine.Properties.StateMachineType,
    );
    expect(types).toEqual(Object.keys(STATE_MACHINE_FILES).map(() => 'STANDARD'));
  });

  it('logs ALL events with execution data', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
  });

  it('traces the state machines with X-Ray', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
    });
  });

  it('sends state machine logs to vended-logs log groups', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/'),
    });
  });

  it("sets the BackupDatabase timeout from the longest deadline plus the ASL's bounded waits", () => {
    const id = logicalIdByPath(template, '/BackupDatabase/StateMachine/Resource');
    const definition = JSON.parse(template.toJSON().Resources[id].Properties.DefinitionString as string) as {
      TimeoutSeconds: number;
    };
    expect(definition.TimeoutSeconds).toBe(stack.scheduler.backupExecutionBudget.total);
  });

  it('caps a nightly run at a week', () => {
    const id = logicalIdByPath(template, '/NightlyBackup/StateMachine/Resource');
    const definition = JSON.parse(template.toJSON().Resources[id].Properties.DefinitionString as string) as {
      TimeoutSeconds: number;
    };
    expect(definition.TimeoutSeconds).toBe(7 * 86_400);
  });
});

describe('EventBridge Scheduler', () => {
  const cluster = config.clusters[0];
  const schedule = cluster?.schedules[0];
  if (cluster === undefined || schedule === undefined) throw new Error('the example config has a schedule');

  it('creates no schedule as a CloudFormation resource: the sync keeps them as data', () => {
    expect(Object.keys(resourcesOfType(template, 'AWS::Scheduler::Schedule'))).toEqual([]);
    expect(Object.keys(resourcesOfType(template, 'Custom::ScheduleSync'))).toHaveLength(1);
  });

  it('deploys exactly the configuration’s schedule set', () => {
    expect(stagedScheduleSet(stack.scheduler)).toEqual(desiredScheduleSet(config));
  });

  it('fires on the configured cron in the configured time zone, with the flexible time window off', () => {
    expect(backupSchedule()).toMatchObject({
      ScheduleExpression: `cron(${schedule.cron})`,
      ScheduleExpressionTimezone: schedule.timezone,
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
  });

  it('names the schedule after its cluster and schedule', () => {
    expect(backupSchedule().Name).toBe(scheduleName(cluster.name, schedule.name));
  });

  it('sends exactly what sr-backup start sends, with the scheduled time filled in by Scheduler', () => {
    const input = JSON.parse(scheduleTargetInput()) as unknown;
    expect(input).toEqual({
      ...JSON.parse(JSON.stringify(scheduleInput(config, cluster, schedule))),
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
  });

  it('sends an input the NightlyBackup Tasks accept once Scheduler fills in the time', () => {
    const input = scheduleTargetInput().replace('<aws.scheduler.scheduled-time>', '2026-11-24T18:00:00Z');
    expect(nightlyInputSchema.safeParse(JSON.parse(input)).success).toBe(true);
  });

  it('retries a failed start and then sends the event to the dead-letter queue', () => {
    expect(backupSchedule().Target).toMatchObject({
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21_600 },
      DeadLetterConfig: {
        Arn: { 'Fn::GetAtt': [logicalIdByPath(template, '/Schedules/DeadLetterQueue/Resource'), 'Arn'] },
      },
    });
  });

  it('targets the nightly state machine, in the backup schedules’ own group, with the role that may start it', () => {
    expect(backupSchedule()).toMatchObject({
      GroupName: scheduleGroupNames('TestStack').backup,
      Target: {
        Arn: { Ref: logicalIdByPath(template, '/NightlyBackup/StateMachine/Resource') },
        RoleArn: { 'Fn::GetAtt': [logicalIdByPath(template, '/Schedules/Role/Resource'), 'Arn'] },
      },
    });
  });

  it('names the schedule groups after the stack, so sr-backup plan --stack finds them', () => {
    const groups = scheduleGroupNames('TestStack');
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: groups.backup });
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: groups.freshness });
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: groups.drill });
  });

  it('encrypts the dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('refuses non-TLS access to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ],
      },
    });
  });
});

describe('schedule names and states', () => {
  it('keeps a long cluster × schedule name within Scheduler’s 64 characters', () => {
    expect(scheduleName('c'.repeat(64), 's'.repeat(64)).length).toBeLessThanOrEqual(64);
  });

  it('gives long names that share a prefix distinct schedule names', () => {
    expect(scheduleName('c'.repeat(64), `${'s'.repeat(63)}a`)).not.toBe(
      scheduleName('c'.repeat(64), `${'s'.repeat(63)}b`),
    );
  });

  it('keeps pairs apart that would join to the same text with a dash', () => {
    expect(scheduleName('a-b', 'c')).not.toBe(scheduleName('a', 'b-c'));
  });

  it('creates a disabled schedule for a schedule entry with enabled: false', () => {
    const disabled = configFrom({
      clusters: [
        {
          name: 'prod',
          host: 'fe.internal',
          repository: 'repo',
          schedules: [{ name: 'weekly', cron: '0 3 ? * SUN *', enabled: false }],
        },
      ],
    });
    const deployed = synthStack({ config: disabled });
    expect(
      syncedSchedules(deployed.template, deployed.stack.scheduler)
        .filter(({ entry }) => entry.kind === 'backup')
        .map(({ request }) => [request.Name, request.State]),
    ).toEqual([['prod.weekly', 'DISABLED']]);
  });
});

describe('alarm topic', () => {
  it('encrypts the alarm topic with a customer key CloudWatch may use', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
  });

  it('publishes alarms to a KMS-encrypted topic', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlarmTopicKey'), 'Arn'] },
    });
  });
});

describe('an alarm topic of the caller', () => {
  const { template: withTopic } = synthConstruct((scope) => ({
    config,
    alarmTopic: sns.Topic.fromTopicArn(scope, 'OpsTopic', 'arn:aws:sns:eu-west-1:123456789012:ops'),
  }));

  it('sends the alarms to the given topic', () => {
    withTopic.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:ops'],
    });
  });

  it('creates no topic and no key of its own', () => {
    expect([
      ...Object.keys(resourcesOfType(withTopic, 'AWS::SNS::Topic')),
      ...Object.keys(resourcesOfType(withTopic, 'AWS::KMS::Key')),
    ]).toEqual([]);
  });
});

describe('outputs', () => {
  it.each([
    'NightlyBackupStateMachineArn',
    'BackupDatabaseStateMachineArn',
    'LocksTableName',
    'CatalogTableName',
    'AlarmTopicArn',
    'ScheduleGroupName',
    'FreshnessScheduleGroupName',
    'DrillScheduleGroupName',
  ])('outputs %s', (name) => {
    template.hasOutput(name, {});
  });
});

/**
 * The template with what changes without meaning stripped: asset hashes (bundles), the code hashes in version ids,
 * and the ASL text of the definitions (covered by the definition tests and by statemachines/ itself) reduced to
 * its timeout.
 */
function stableTemplate(): unknown {
  const json = template.toJSON() as {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  };
  for (const resource of Object.values(json.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine' || resource.Properties === undefined) continue;
    const definition = JSON.parse(resource.Properties.DefinitionString as string) as {
      TimeoutSeconds: number;
    };
    resource.Properties.DefinitionString = `<ASL file, TimeoutSeconds ${definition.TimeoutSeconds}>`;
  }
  return JSON.parse(
    JSON.stringify(json)
      .replace(/[0-9a-f]{64}/g, '<asset-hash>')
      // A published version's logical id ends in a hash of its function's code and settings.
      .replace(/(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}/g, '$1<code-hash>'),
  );
}

describe('the synthesized stack', () => {
  it('matches the reviewed snapshot (asset hashes and ASL text stripped)', () => {
    expect(stableTemplate()).toMatchSnapshot();
  });
});

const smallTemplate = synthStack({ config: scaledConfig(1, 1) }).template;
const largeTemplate = synthStack({ config: scaledConfig(20, 3) }).template;
const small = countByType(smallTemplate);
const large = countByType(largeTemplate);
const totalOf = (counts: Record<string, number>) =>
  Object.values(counts).reduce((sum, count) => sum + count, 0);

/** Resource types whose count differs between the two templates, with both counts. */
function grown(): Record<string, [number, number]> {
  const types = new Set([...Object.keys(small), ...Object.keys(large)]);
  return Object.fromEntries(
    [...types]
      .filter((type) => small[type] !== large[type])
      .map((type) => [type, [small[type] ?? 0, large[type] ?? 0] as [number, number]]),
  );
}

describe('template size', () => {
  it('does not grow with the clusters or their schedules (1×1 → 20×3)', () => {
    expect(grown()).toEqual({});
  });

  it('stays far below CloudFormation’s 500 resources at 20 clusters × 3 schedules', () => {
    expect(totalOf(large)).toBeLessThan(350);
  });

  it('keeps every role under IAM’s 10,240-character limit for its policies at 20 clusters', () => {
    const sizes = new Map<string, number>();
    for (const policy of Object.values(resourcesOfType(largeTemplate, 'AWS::IAM::Policy'))) {
      const size = JSON.stringify(policy.Properties.PolicyDocument).length;
      for (const role of policy.Properties.Roles as Array<{ Ref: string }>) {
        sizes.set(role.Ref, (sizes.get(role.Ref) ?? 0) + size);
      }
    }
    expect(Math.max(...sizes.values())).toBeLessThan(10_240);
  });

  it('does not depend on how many databases the patterns select', () => {
    const manyPatterns = configFrom({
      clusters: [
        {
          name: 'cluster1',
          host: 'fe1.internal',
          repository: 's3_repo',
          include: Array.from({ length: 500 }, (_, index) => `db_${index}`),
          schedules: [{ name: 'schedule1', cron: '0 2 * * ? *' }],
        },
      ],
    });
    expect(countByType(synthStack({ config: manyPatterns }).template)).toEqual(
      countByType(
        synthStack({
          config: configFrom({
            clusters: [
              {
                name: 'cluster1',
                host: 'fe1.internal',
                repository: 's3_repo',
                schedules: [{ name: 'schedule1', cron: '0 2 * * ? *' }],
              },
            ],
          }),
        }).template,
      ),
    );
  });
});
