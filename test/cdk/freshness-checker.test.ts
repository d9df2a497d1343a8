import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StarRocksBackupScheduler } from '#cdk/constructs/starrocks-backup-scheduler.ts';
import { freshnessCheckInputFor } from '#domain/freshness/input.ts';
import { DATABASES_LATE_METRIC, METRICS_NAMESPACE, METRICS_SERVICE_VARIABLE } from '#domain/metrics.ts';
import { emitFreshnessMetrics } from '#test/support/emitted-metrics.ts';
import {
  appWithoutBundling,
  configFrom,
  everyVersionOf,
  logicalIdByPath,
  resourcesOfType,
  scaledConfig,
  syncedSchedules,
  synthConstruct,
  synthStack,
  type TemplateResource,
} from './support.ts';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:starrocks/';

const config = configFrom({
  clusters: [
    {
      name: 'prod',
      host: 'fe.internal',
      passwordSecretArn: `${SECRET}prod-password`,
      repository: 's3_repo',
      exclude: ['scratch_*'],
      schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
    },
    {
      name: 'staging',
      host: 'fe.staging.internal',
      passwordSecretArn: `${SECRET}staging-password`,
      repository: 's3_repo',
      schedules: [{ name: 'nightly', cron: '0 3 * * ? *' }],
    },
    { name: 'lab', host: 'fe.lab.internal', repository: 's3_repo' },
  ],
  slack: {
    webhookSecretArn: `${SECRET}slack-webhook`,
    botTokenSecretArn: `${SECRET}slack-bot`,
    channel: 'C0BACKUPS',
  },
});

const { stack, template } = synthStack({ config });
const resources = template.toJSON().Resources as Record<string, TemplateResource>;

interface Statement {
  Action: string | string[];
  Resource: unknown;
}

const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** Every statement of the policies attached to a role. */
function statementsOfRole(roleId: string): Statement[] {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as Array<{ Ref: string }>).some((ref) => ref.Ref === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

const roleOf = (path: string) => logicalIdByPath(template, path);
const functionStatements = (stem: 'CheckFreshness' | 'NotifyIncidents') =>
  statementsOfRole(roleOf(`/Scheduler/${stem}/Role/Resource`));
const secretsReadBy = (stem: 'CheckFreshness' | 'NotifyIncidents') =>
  functionStatements(stem)
    .filter((statement) => actionsOf(statement).includes('secretsmanager:GetSecretValue'))
    .flatMap((statement) => statement.Resource as string[])
    .filter((arn) => !arn.endsWith('-??????'))
    .sort();
const tableActions = (stem: 'CheckFreshness' | 'NotifyIncidents', table: 'LocksTable' | 'CatalogTable') =>
  functionStatements(stem)
    .filter((statement) => JSON.stringify(statement.Resource).includes(`Scheduler${table}`))
    .flatMap(actionsOf)
    .sort();
const stateMachineId = logicalIdByPath(template, '/FreshnessCheck/StateMachine/StateMachine/Resource');
const functionId = (stem: string) => logicalIdByPath(template, `/Scheduler/${stem}/Function/Resource`);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the freshness check schedule', () => {
  const schedules = syncedSchedules(template, stack.scheduler).filter(
    ({ entry }) => entry.kind === 'freshness',
  );

  it('starts the FreshnessCheck state machine every hour for each cluster that has schedules', () => {
    expect(schedules.map(({ request }) => [request.Name, request.ScheduleExpression]).sort()).toEqual([
      ['prod.freshness', 'rate(1 hour)'],
      ['staging.freshness', 'rate(1 hour)'],
    ]);
    expect(
      schedules.every(
        ({ request }) => JSON.stringify(request.Target?.Arn) === JSON.stringify({ Ref: stateMachineId }),
      ),
    ).toBe(true);
  });

  it('puts them in the freshness group, run as the role that may start only this machine', () => {
    expect(
      new Set(schedules.map(({ request }) => JSON.stringify([request.GroupName, request.Target?.RoleArn]))),
    ).toEqual(
      new Set([
        JSON.stringify([
          'TestStack-freshness',
          { 'Fn::GetAtt': [roleOf('/FreshnessCheck/Role/Resource'), 'Arn'] },
        ]),
      ]),
    );
  });

  it('checks a shared-data cluster (mode cluster-snapshot) hourly although it has no schedules', () => {
    // Prepare
    const lake = configFrom({
      clusters: [{ name: 'lake', host: 'fe.lake.internal', repository: 's3_repo', mode: 'cluster-snapshot' }],
    });

    // Act
    const synthesized = synthStack({ config: lake });

    // Assess
    const names = syncedSchedules(synthesized.template, synthesized.stack.scheduler)
      .filter(({ entry }) => entry.kind === 'freshness')
      .map(({ request }) => request.Name);
    expect(names).toEqual(['lake.freshness']);
  });

  it('sends the cluster’s settings, all its schedules and the Slack ARNs, never a secret', () => {
    const prod = schedules.find(({ request }) => request.Name === 'prod.freshness');
    const input = JSON.parse(prod?.request.Target?.Input ?? 'null') as unknown;
    expect(input).toEqual(JSON.parse(JSON.stringify(freshnessCheckInputFor(config, 'prod'))));
    expect(JSON.stringify(input)).toContain(`${SECRET}slack-bot`);
  });

  it('gives up on a check that could not start within the hour, to the shared dead-letter queue', () => {
    const target = schedules[0]?.request.Target;
    expect(target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 });
    expect(JSON.stringify(target?.DeadLetterConfig?.Arn)).toContain('DeadLetterQueue');
  });

  it('lets the schedules’ role start the FreshnessCheck state machine and dead-letter an event, nothing else', () => {
    const statements = statementsOfRole(roleOf('/FreshnessCheck/Role/Resource'));
    expect(statements.map((statement) => [actionsOf(statement), statement.Resource])).toEqual([
      [['states:StartExecution'], { Ref: stateMachineId }],
      [
        ['sqs:SendMessage'],
        { 'Fn::GetAtt': [logicalIdByPath(template, '/Schedules/DeadLetterQueue/Resource'), 'Arn'] },
      ],
    ]);
  });
});

describe('the FreshnessCheck state machine', () => {
  it('invokes exactly the CheckFreshness and NotifyIncidents functions', () => {
    const statements = statementsOfRole(roleOf('/FreshnessCheck/StateMachine/StateMachine/Role/Resource'));
    const invoke = statements.filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
    expect(invoke.flatMap((statement) => statement.Resource as unknown[])).toEqual([
      everyVersionOf(functionId('CheckFreshness')),
      everyVersionOf(functionId('NotifyIncidents')),
    ]);
  });

  it('stops CheckFreshness 20 s before its Task would', () => {
    expect(resources[functionId('CheckFreshness')]?.Properties.Timeout).toBe(280);
  });
});

describe('least-privilege grants of the checker', () => {
  it('lets CheckFreshness query the locks, and query, put and update catalog items', () => {
    expect([
      tableActions('CheckFreshness', 'LocksTable'),
      tableActions('CheckFreshness', 'CatalogTable'),
    ]).toEqual([['dynamodb:Query'], ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']]);
  });

  it('lets CheckFreshness read the FE passwords and no Slack secret', () => {
    expect(secretsReadBy('CheckFreshness')).toEqual([`${SECRET}prod-password`, `${SECRET}staging-password`]);
  });

  it('lets NotifyIncidents read and update incidents and nothing of the locks', () => {
    expect([
      tableActions('NotifyIncidents', 'LocksTable'),
      tableActions('NotifyIncidents', 'CatalogTable'),
    ]).toEqual([[], ['dynamodb:Query', 'dynamodb:UpdateItem']]);
  });

  it('lets NotifyIncidents read the Slack webhook and bot token secrets and no FE password', () => {
    expect(secretsReadBy('NotifyIncidents')).toEqual([`${SECRET}slack-bot`, `${SECRET}slack-webhook`]);
  });

  it('lets SummarizeRun put a "warned once" marker for size anomalies', () => {
    const statements = statementsOfRole(roleOf('/Scheduler/SummarizeRun/Role/Resource'));
    expect(
      statements
        .filter((statement) => JSON.stringify(statement.Resource).includes('SchedulerCatalogTable'))
        .flatMap(actionsOf)
        .sort(),
    ).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
  });
});

describe('the freshness alarms', () => {
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');

  it('raises one alarm when a database of any cluster is late, on a metric the checker emits', () => {
    // Prepare: what the checker really writes for two clusters, with the environment the stack gives it
    const checker = resources[logicalIdByPath(template, '/Scheduler/CheckFreshness/Function/Resource')];
    const service = (checker?.Properties.Environment as { Variables: Record<string, string> } | undefined)
      ?.Variables[METRICS_SERVICE_VARIABLE];
    vi.stubEnv(METRICS_SERVICE_VARIABLE, String(service));
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    emitFreshnessMetrics({ cluster: 'prod', oldestAgeSeconds: 90_000, late: 2, uncovered: 1 });
    emitFreshnessMetrics({ cluster: 'staging', oldestAgeSeconds: null, late: 0, uncovered: 0 });
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    const documents = lines
      .join('')
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map(
        (line) =>
          JSON.parse(line) as {
            _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][] }> };
          } & Record<string, unknown>,
      );

    // Act
    const alarm = alarms[logicalIdByPath(template, '/FreshnessCheck/BackupsLate/Resource')];
    const dimensions = (alarm?.Properties.Dimensions as Array<{ Name: string; Value: string }>) ?? [];
    const feeding = documents.filter(
      (document) =>
        document._aws.CloudWatchMetrics[0]?.Namespace === alarm?.Properties.Namespace &&
        document._aws.CloudWatchMetrics[0]?.Dimensions.some(
          (set) => JSON.stringify([...set].sort()) === JSON.stringify(dimensions.map((d) => d.Name).sort()),
        ) &&
        dimensions.every((dimension) => document[dimension.Name] === dimension.Value),
    );

    // Assess
    expect(alarm?.Properties).toEqual(
      expect.objectContaining({
        Namespace: METRICS_NAMESPACE,
        MetricName: DATABASES_LATE_METRIC,
        Dimensions: [{ Name: 'service', Value: 'TestStack' }],
        Statistic: 'Maximum',
        Period: 3600,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    expect(feeding.map((document) => document[DATABASES_LATE_METRIC])).toEqual([2, 0]);
  });

  it('raises an alarm when a freshness check fails', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }],
    });
  });

  it('watches both checker functions for errors', () => {
    for (const stem of ['CheckFreshness', 'NotifyIncidents']) {
      expect(alarms[logicalIdByPath(template, `/Monitoring/${stem}Failing/Resource`)]).toBeDefined();
    }
  });

  it('adds a freshness row to the dashboard', () => {
    const body = JSON.stringify(Object.values(resourcesOfType(template, 'AWS::CloudWatch::Dashboard'))[0]);
    expect(body).toContain('Databases late / not covered by any schedule (worst cluster)');
    expect(body).toContain('Oldest latest-good snapshot (hours, worst cluster)');
    // The service-only series the checker emits for exactly this: one line whatever the number of clusters.
    expect(body).not.toContain('\\"Cluster\\"');
  });
});

describe('network placement of the checker', () => {
  it('runs CheckFreshness next to the FE and NotifyIncidents outside the VPC', () => {
    // Prepare
    const inVpc = synthConstruct((stack: Stack) => ({
      config,
      vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidrBlock: '10.0.0.0/16',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
        privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa2'],
      }),
      awsServicesReachable: true,
    }));

    // Act
    const placement = (stem: string) =>
      inVpc.template.toJSON().Resources[logicalIdByPath(inVpc.template, `/Backups/${stem}/Function/Resource`)]
        ?.Properties.VpcConfig !== undefined;

    // Assess
    expect([placement('CheckFreshness'), placement('NotifyIncidents')]).toEqual([true, false]);
  });
});

describe('template growth of the checker', () => {
  it('adds nothing per cluster: no schedule resource, no alarm, no widget', () => {
    const counts = (clusters: number) => {
      const scaled = synthStack({ config: scaledConfig(clusters, 1) }).template;
      return ['AWS::Scheduler::Schedule', 'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard'].map(
        (type) => Object.keys(resourcesOfType(scaled, type)).length,
      );
    };
    expect(counts(2)).toEqual(counts(1));
  });
});

describe('cdk-nag on the checker', () => {
  it('reports nothing unacknowledged with a bot token, a customer-managed secrets key and a VPC', () => {
    // Prepare
    const app = appWithoutBundling();
    const stack = new Stack(app, 'Checker', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidrBlock: '10.0.0.0/16',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
      privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0aaaaaaaaaaaaaaa2'],
    });
    const key = kms.Key.fromKeyArn(
      stack,
      'SecretsKey',
      'arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
    );
    new StarRocksBackupScheduler(stack, 'Backups', {
      config,
      vpc,
      createVpcEndpoints: true,
      secretsEncryptionKeys: [key],
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act
    let findings = '';
    try {
      app.synth();
    } catch (error) {
      findings = error instanceof Error ? error.message : String(error);
    }

    // Assess
    expect(findings).toBe('');
  });
});
