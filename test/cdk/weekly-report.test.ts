import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackupSchedulerStack } from '#cdk/backup-scheduler-stack.ts';
import { scheduledReportSchema } from '#domain/report/scheduled.ts';
import { logicalIdByPath, resourcesOfType, scaledConfig, synthStack } from './support.ts';

const SLACK = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:starrocks/slack';

const config = {
  ...scaledConfig(2, 1),
  report: {
    schedule: { cron: '0 7 ? * MON *', timezone: 'Europe/Berlin' },
    bucket: 'backup-reports',
    prefix: 'weekly/',
  },
};

let template: Template;
let stack: BackupSchedulerStack;

beforeAll(() => {
  ({ template, stack } = synthStack({ config }));
});

/** The logical id of the report function's role. */
const roleId = () => logicalIdByPath(template, '/Scheduler/WeeklyReport/WriteReport/Role/Resource');
const functionId = () => logicalIdByPath(template, '/Scheduler/WeeklyReport/WriteReport/Function/Resource');

/** Every statement of the report function's role's policies. */
function statementsOfRole(): Array<{ Action: string | string[]; Resource: unknown }> {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId()))
    .flatMap(
      (policy) =>
        (
          policy.Properties.PolicyDocument as {
            Statement: Array<{ Action: string | string[]; Resource: unknown }>;
          }
        ).Statement,
    );
}

const actionsOf = (statement: { Action: string | string[] }) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

describe('the weekly report, configured', () => {
  it('schedules the function on the configured cron in its zone', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId(), 'Arn'] } }),
    });
  });

  it("passes the request asset, the Region and the firing's scheduled time to the function", () => {
    const schedules = Object.values(resourcesOfType(template, 'AWS::Scheduler::Schedule'));
    const input = JSON.stringify(schedules.map((schedule) => schedule.Properties.Target));
    expect(input).toContain('<aws.scheduler.scheduled-time>');
    expect(input).toContain('AWS::Region');
  });

  it('lets Scheduler invoke only the report function', () => {
    const schedulerRole = logicalIdByPath(template, '/Scheduler/WeeklyReport/SchedulerRole/Resource');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: schedulerRole }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'lambda:InvokeFunction',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [functionId(), 'Arn'] },
          },
        ]),
      },
    });
  });

  it('gives the function Query and nothing else on the catalog table and its time index', () => {
    const dynamo = statementsOfRole()
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(dynamo)).toEqual(new Set(['dynamodb:Query']));
  });

  it('lets the function Query the byClusterTime index', () => {
    const catalog = logicalIdByPath(template, '/Scheduler/CatalogTable/Resource');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'dynamodb:Query',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [catalog, 'Arn'] }, '/index/byClusterTime']] },
          },
        ]),
      },
    });
  });

  it('lets the function put objects only under the configured bucket and prefix', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 's3:PutObject',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::backup-reports/weekly/*']],
            },
          },
        ]),
      },
    });
  });

  it('lets the function read the Slack webhook secret', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: Match.arrayWith([SLACK]) },
        ]),
      },
    });
  });

  it('gives the function the webhook secret ARN, never a URL', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('backup report'),
      Environment: { Variables: Match.objectLike({ SLACK_WEBHOOK_SECRET_ARN: SLACK }) },
    });
  });

  it('alarms when the function fails', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId() } }],
    });
  });

  it('stages a request that names every cluster and the report location, and no host or secret', () => {
    const request = stack.scheduler.weeklyReport?.request;
    expect(scheduledReportSchema.parse(request)).toMatchObject({
      bucket: 'backup-reports',
      prefix: 'weekly/',
      timeZone: 'Europe/Berlin',
      clusters: [{ name: 'cluster1' }, { name: 'cluster2' }],
    });
    expect(JSON.stringify(request)).not.toMatch(/secretsmanager|fe1\.internal/);
  });
});

describe('the weekly report, not configured', () => {
  it('adds no schedule, function or request', () => {
    const { template: plain, stack: plainStack } = synthStack({ config: scaledConfig(2, 1) });
    expect(Object.keys(resourcesOfType(plain, 'AWS::Scheduler::Schedule'))).toEqual([]);
    expect(plainStack.scheduler.weeklyReport).toBeUndefined();
  });
});
