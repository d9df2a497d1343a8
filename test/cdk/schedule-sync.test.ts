import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SECRET_PATTERN_WARNING } from '#cdk/constructs/starrocks-backup-scheduler.ts';
import { desiredScheduleSet } from '#domain/schedules/desired.ts';
import { scheduleGroupNames } from '#domain/schedules/schedule-set.ts';
import {
  configFrom,
  countByType,
  logicalIdByPath,
  resourcesOfType,
  scaledConfig,
  stagedScheduleSet,
  synthStack,
  type TemplateResource,
} from './support.ts';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const actionsOf = (statement: Statement) => [statement.Action].flat();
const total = (counts: Record<string, number>) =>
  Object.values(counts).reduce((sum, count) => sum + count, 0);

/** N cluster-schedules as N clusters with one schedule each: the shape that grew the most before (per cluster). */
const SIZES = [1, 100, 2000] as const;
const synthesized = new Map(SIZES.map((size) => [size, synthStack({ config: scaledConfig(size, 1) })]));
const at = (size: (typeof SIZES)[number]) => {
  const found = synthesized.get(size);
  if (found === undefined) throw new Error(`not synthesized: ${size}`);
  return found;
};

describe('a stack that does not grow with the schedules', () => {
  it('holds the same resources, type by type, for 1, 100 and 2,000 cluster-schedules', () => {
    const counts = SIZES.map((size) => countByType(at(size).template));
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[2]).toEqual(counts[0]);
    expect(total(counts[0] ?? {})).toBeLessThan(250);
  });

  it('keeps every schedule out of the template and in the schedule set: 2,000 backups and 2,000 hourly checks', () => {
    const { stack, template } = at(2000);
    expect(Object.keys(resourcesOfType(template, 'AWS::Scheduler::Schedule'))).toEqual([]);
    const set = stagedScheduleSet(stack.scheduler);
    expect(set.schedules.filter((entry) => entry.kind === 'backup')).toHaveLength(2000);
    expect(set.schedules.filter((entry) => entry.kind === 'freshness')).toHaveLength(2000);
  });

  it('keeps the template far below CloudFormation’s 1 MB and every role’s policies below IAM’s 10,240 characters', () => {
    const { template } = at(2000);
    expect(Buffer.byteLength(JSON.stringify(template.toJSON()))).toBeLessThan(400_000);
    const sizes = new Map<string, number>();
    for (const policy of Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))) {
      for (const role of policy.Properties.Roles as Array<{ Ref: string }>) {
        sizes.set(
          role.Ref,
          (sizes.get(role.Ref) ?? 0) + JSON.stringify(policy.Properties.PolicyDocument).length,
        );
      }
    }
    expect(Math.max(...sizes.values())).toBeLessThan(10_240);
  });

  it('grants more than 20 password secrets by the name prefix they share, and says so at synth', () => {
    const { stack, template } = at(100);
    const reads = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((statement) => actionsOf(statement).includes('secretsmanager:GetSecretValue'))
      .map((statement) => JSON.stringify(statement.Resource));
    expect(new Set(reads)).toEqual(
      new Set([
        JSON.stringify('arn:aws:secretsmanager:eu-west-1:123456789012:secret:starrocks/cluster*'),
        JSON.stringify([
          'arn:aws:secretsmanager:eu-west-1:123456789012:secret:starrocks/slack',
          'arn:aws:secretsmanager:eu-west-1:123456789012:secret:starrocks/slack-??????',
        ]),
      ]),
    );
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp(`starrocks/cluster\\*.*\\[ack: ${SECRET_PATTERN_WARNING}\\]`),
    );
  });
});

describe('the schedule sync resource', () => {
  const { stack, template } = at(1);
  const [syncId, sync] = Object.entries(resourcesOfType(template, 'Custom::ScheduleSync'))[0] as [
    string,
    TemplateResource,
  ];
  const functionId = logicalIdByPath(template, '/ScheduleSync/SyncSchedules/Function/Resource');
  const fn = resourcesOfType(template, 'AWS::Lambda::Function')[functionId] as TemplateResource;
  const groups = scheduleGroupNames('TestStack');

  it('is served by the SyncSchedules function, which may run Lambda’s full 15 minutes', () => {
    expect(sync.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
    expect(fn.Properties.Timeout).toBe(900);
  });

  it('waits for the answer no longer than CloudFormation allows, and longer than the function runs', () => {
    const timeout = Number(sync.Properties.ServiceTimeout);
    expect(timeout).toBeLessThanOrEqual(3600);
    expect(timeout).toBeGreaterThan(fn.Properties.Timeout as number);
  });

  it('points at the staged schedule set and names the three groups', () => {
    expect(sync.Properties).toMatchObject({
      ScheduleSetKey: expect.stringMatching(/^[0-9a-f]{64}\.json$/),
      BackupGroup: groups.backup,
      FreshnessGroup: groups.freshness,
      DrillGroup: groups.drill,
    });
    expect(stagedScheduleSet(stack.scheduler)).toEqual(desiredScheduleSet(scaledConfig(1, 1)));
  });

  it('changes its properties exactly when the schedule set changes', () => {
    const key = (config: ReturnType<typeof configFrom>) =>
      Object.values(resourcesOfType(synthStack({ config }).template, 'Custom::ScheduleSync'))[0]?.Properties
        .ScheduleSetKey;
    const prod = (cron: string) =>
      configFrom({
        clusters: [
          {
            name: 'prod',
            host: 'fe.internal',
            repository: 's3_repo',
            schedules: [{ name: 'nightly', cron }],
          },
        ],
      });
    const same = key(prod('0 2 * * ? *'));
    expect(key(prod('0 2 * * ? *'))).toBe(same);
    expect(key(prod('0 3 * * ? *'))).not.toBe(same);
  });

  it('is created after, and deleted before, the groups and permissions it uses', () => {
    const dependsOn = sync.DependsOn ?? [];
    expect(dependsOn).toEqual(
      expect.arrayContaining([
        logicalIdByPath(template, '/ScheduleSync/ManageSchedules/Resource'),
        logicalIdByPath(template, '/ScheduleSync/SyncSchedules/Role/DefaultPolicy/Resource'),
        logicalIdByPath(template, '/Schedules/Role/DefaultPolicy/Resource'),
        logicalIdByPath(template, '/FreshnessCheck/Role/DefaultPolicy/Resource'),
        logicalIdByPath(template, '/RestoreDrill/Role/DefaultPolicy/Resource'),
        logicalIdByPath(template, '/Schedules/Group/Resource'),
        logicalIdByPath(template, '/FreshnessCheck/Group/Resource'),
        logicalIdByPath(template, '/RestoreDrill/Group/Resource'),
      ]),
    );
    expect(syncId).toBeTruthy();
  });

  it('may manage schedules only in the stack’s own groups, pass only their roles and only to Scheduler, and read the set', () => {
    const roleId = logicalIdByPath(template, '/ScheduleSync/SyncSchedules/Role/Resource');
    const statements = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
      .filter((policy) =>
        (policy.Properties.Roles as Array<{ Ref: string }>).some((ref) => ref.Ref === roleId),
      )
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((statement) => !actionsOf(statement).some((action) => /^(logs|xray):/.test(action)));
    const scheduleArn = (group: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':scheduler:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:schedule/${group}/*`,
        ],
      ],
    });
    const roleArn = (path: string) => ({ 'Fn::GetAtt': [logicalIdByPath(template, path), 'Arn'] });
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'scheduler:CreateSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
          'scheduler:GetSchedule',
          'scheduler:ListSchedules',
        ],
        Resource: [scheduleArn(groups.backup), scheduleArn(groups.freshness), scheduleArn(groups.drill)],
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: [
          roleArn('/Schedules/Role/Resource'),
          roleArn('/FreshnessCheck/Role/Resource'),
          roleArn('/RestoreDrill/Role/Resource'),
        ],
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':s3:::',
              { 'Fn::Sub': `cdk-hnb659fds-assets-\${AWS::AccountId}-\${AWS::Region}` },
              '/*.json',
            ],
          ],
        },
      },
    ]);
  });

  it('runs outside any VPC and needs no environment', () => {
    expect(fn.Properties.VpcConfig).toBeUndefined();
    expect(Object.keys((fn.Properties.Environment as { Variables: object }).Variables).sort()).toEqual([
      'NODE_OPTIONS',
      'POWERTOOLS_LOG_LEVEL',
    ]);
  });
});
