import aslValidator from 'asl-validator';
import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { BackupSchedulerStack } from '#cdk/backup-scheduler-stack.ts';
import { drillExecutionBudget, drillScheduleInput } from '#cdk/constructs/restore-drill.ts';
import type { BackupConfig } from '#domain/config/index.ts';
import { drillStateSchema } from '#domain/restore/drill-state.ts';
import type { ScheduleRequest } from '#domain/schedules/schedule-set.ts';
import {
  functionPlaceholder,
  placeholdersIn,
  readDefinitionText,
  TASK_FUNCTION_NAMES,
  type TaskFunctionName,
} from '#statemachines/definitions.ts';
import {
  appWithoutBundling,
  configFrom,
  deployedDefinitionText,
  everyVersionOf,
  logicalIdByPath,
  resourcesOfType,
  syncedSchedules,
  synthStack,
} from './support.ts';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:starrocks/';

function drillConfig(): BackupConfig {
  const cluster = (name: string, extra: Record<string, unknown>) => ({
    name,
    host: `${name}.fe.internal`,
    passwordSecretArn: `${SECRET}${name}`,
    repository: 's3_repo',
    schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
    ...extra,
  });
  return configFrom({
    clusters: [
      cluster('prod', {
        drill: { database: 'sales', cron: '0 4 ? * SUN *', timezone: 'Europe/Berlin', timeoutSeconds: 7200 },
      }),
      cluster('staging', { drill: { database: 'crm', cron: '0 5 * * ? *', enabled: false } }),
      cluster('edge', {}),
    ],
    slack: { webhookSecretArn: `${SECRET}slack` },
  });
}

const config = drillConfig();
const { stack, template } = synthStack({ config });
const drillMachineId = logicalIdByPath(template, '/RestoreDrill/StateMachine/StateMachine/Resource');
const synced = syncedSchedules(template, stack.scheduler);
const drillSchedules = () =>
  synced.filter(({ entry }) => entry.kind === 'drill').map(({ request }) => request);

interface Statement {
  Action: string | string[];
  Resource: unknown;
}
const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
const policies = resourcesOfType(template, 'AWS::IAM::Policy');
function statementsOfRole(roleId: string): Statement[] {
  return Object.values(policies)
    .filter((policy) => (policy.Properties.Roles as Array<{ Ref: string }>).some((ref) => ref.Ref === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const functionRoleStatements = (stem: TaskFunctionName) =>
  statementsOfRole(logicalIdByPath(template, `/Scheduler/${stem}/Role/Resource`));
const functionArn = (stem: TaskFunctionName) =>
  everyVersionOf(logicalIdByPath(template, `/Scheduler/${stem}/Function/Resource`));
const drillStems = [...TASK_FUNCTION_NAMES].filter((stem) =>
  placeholdersIn(readDefinitionText('restoreDrill')).includes(functionPlaceholder(stem)),
);

describe('the deployed RestoreDrill definition', () => {
  const deployed = deployedDefinitionText(template, drillMachineId);

  it('has every placeholder substituted and passes asl-validator', () => {
    expect(deployed.match(/\$\{[^}]*\}/g) ?? []).toEqual([]);
    const result = aslValidator(JSON.parse(deployed));
    expect(result.isValid ? 'valid' : result.errorsText('\n')).toBe('valid');
  });

  it('reuses the backups’ slot, lock and release functions', () => {
    expect(drillStems).toEqual(expect.arrayContaining(['AcquireSlot', 'AcquireLock', 'ReleaseLeases']));
    const definition = JSON.parse(deployed) as { States: Record<string, { Resource?: string }> };
    expect(definition.States.AcquireLock?.Resource).toBe(
      `arn:aws:lambda:us-east-1:123456789012:function:${logicalIdByPath(template, '/Scheduler/AcquireLock/Function/Resource')}:1`,
    );
  });

  it('is a Standard machine whose timeout covers the longest drill deadline and every bounded wait', () => {
    const definition = JSON.parse(deployed) as { TimeoutSeconds: number };
    const budget = drillExecutionBudget(JSON.parse(readDefinitionText('restoreDrill')), {
      maxDeadlineSeconds: 6 * 3600,
      maxPollSeconds: config.poll.maxSeconds,
    });
    expect(definition.TimeoutSeconds).toBe(budget.total);
    expect(budget.total).toBeGreaterThan(budget.deadline + budget.slotWait);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
  });
});

describe('the restore drill schedules', () => {
  it('creates one schedule per cluster with a drill, in its own group, and none for a cluster without', () => {
    const names = drillSchedules().map((schedule) => schedule.Name);
    expect(names.sort()).toEqual(['prod.drill', 'staging.drill']);
    const groupsOf = (schedules: readonly ScheduleRequest[]) =>
      new Set(schedules.map((schedule) => JSON.stringify(schedule.GroupName)));
    const others = synced.filter(({ entry }) => entry.kind !== 'drill').map(({ request }) => request);
    expect(groupsOf(drillSchedules()).size).toBe(1);
    expect([...groupsOf(drillSchedules())].some((group) => groupsOf(others).has(group))).toBe(false);
  });

  it('fires on the drill’s own cron and time zone, and creates a disabled drill disabled', () => {
    const byName = new Map(drillSchedules().map((schedule) => [schedule.Name, schedule]));
    expect(byName.get('prod.drill')).toMatchObject({
      ScheduleExpression: 'cron(0 4 ? * SUN *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
    });
    expect(byName.get('staging.drill')?.State).toBe('DISABLED');
  });

  it('starts the drill machine with the cluster’s settings, no secret, and the scheduled time', () => {
    const prod = drillSchedules().find((schedule) => schedule.Name === 'prod.drill');
    const target = prod?.Target as { Arn: unknown; Input: string; RetryPolicy: unknown; RoleArn: unknown };
    expect(target.Arn).toEqual({ Ref: drillMachineId });
    expect(target.RoleArn).toEqual({
      'Fn::GetAtt': [logicalIdByPath(template, '/RestoreDrill/Role/Resource'), 'Arn'],
    });
    const input = JSON.parse(target.Input) as Record<string, unknown>;
    const prodCluster = config.clusters[0];
    if (!prodCluster) throw new Error('no prod cluster');
    expect(input).toEqual({
      ...JSON.parse(JSON.stringify(drillScheduleInput(config, prodCluster))),
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
    expect(target.Input).not.toMatch(/password"\s*:/i);
    const state = drillStateSchema.safeParse({
      ...JSON.parse(target.Input.replace('<aws.scheduler.scheduled-time>', '2026-11-29T03:00:00Z')),
      execution: { id: 'arn:aws:states:us-east-1:123456789012:execution:RestoreDrill:x', name: 'x' },
    });
    expect(state.success).toBe(true);
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 10 });
  });
});

describe('the restore drill grants', () => {
  it('lets the drill machine invoke exactly the functions its definition names', () => {
    const invoke = statementsOfRole(
      logicalIdByPath(template, '/RestoreDrill/StateMachine/StateMachine/Role/Resource'),
    )
      .filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'))
      .flatMap((statement) => statement.Resource as unknown[]);
    expect(invoke).toEqual(drillStems.map(functionArn));
  });

  it('lets the drill schedules’ role start only the drill machine', () => {
    const role = logicalIdByPath(template, '/RestoreDrill/Role/Resource');
    const starts = statementsOfRole(role).filter((statement) =>
      actionsOf(statement).includes('states:StartExecution'),
    );
    expect(starts.map((statement) => statement.Resource)).toEqual([{ Ref: drillMachineId }]);
  });

  it('lets AcquireSlot, AcquireLock and SettleOrphans ask whether a drill execution still runs, and no other function', () => {
    const pattern = `":execution:",{"Fn::GetAtt":["${drillMachineId}","Name"]},":*"`;
    const askers = [...TASK_FUNCTION_NAMES].filter((stem) =>
      functionRoleStatements(stem).some(
        (statement) =>
          actionsOf(statement).includes('states:DescribeExecution') &&
          JSON.stringify(statement.Resource).includes(pattern),
      ),
    );
    expect(askers.sort()).toEqual(['AcquireLock', 'AcquireSlot', 'SettleOrphans']);
  });

  it('gives RecordDrill only PutItem on the catalog, and PlanDrill only Query', () => {
    const catalogActions = (stem: TaskFunctionName) =>
      functionRoleStatements(stem)
        .filter((statement) => JSON.stringify(statement.Resource).includes('SchedulerCatalogTable'))
        .flatMap(actionsOf);
    expect(catalogActions('RecordDrill')).toEqual(['dynamodb:PutItem']);
    expect(catalogActions('PlanDrill')).toEqual(['dynamodb:Query']);
    expect(catalogActions('DropScratch')).toEqual([]);
  });

  it('gives the drill functions that talk to the FE the cluster passwords, and NotifyDrill the webhook', () => {
    const secretsOf = (stem: TaskFunctionName) =>
      functionRoleStatements(stem)
        .filter((statement) => actionsOf(statement).includes('secretsmanager:GetSecretValue'))
        .flatMap((statement) => statement.Resource as string[]);
    expect(secretsOf('SubmitRestore')).toContain(`${SECRET}prod`);
    expect(secretsOf('DropScratch')).toContain(`${SECRET}staging`);
    expect(secretsOf('NotifyDrill')).toEqual([`${SECRET}slack`, `${SECRET}slack-??????`]);
    expect(secretsOf('PlanDrill')).toEqual([]);
  });

  it('alarms on failed and timed-out drills', () => {
    const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).filter((alarm) =>
      String(alarm.Metadata?.['aws:cdk:path']).includes('/RestoreDrill/'),
    );
    expect(alarms.map((alarm) => alarm.Properties.MetricName).sort()).toEqual([
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'InvocationsFailedToBeSentToDeadLetterCount',
    ]);
  });

  it('reports nothing unacknowledged to cdk-nag', () => {
    const app = appWithoutBundling();
    new BackupSchedulerStack(app, 'Drills', { scheduler: { config: drillConfig() } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    let findings = '';
    try {
      app.synth();
    } catch (error) {
      findings = error instanceof Error ? error.message : String(error);
    }
    expect(findings).toBe('');
  });
});
