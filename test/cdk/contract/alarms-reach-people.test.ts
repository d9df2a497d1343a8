import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackupSchedulerStack } from '#cdk/backup-scheduler-stack.ts';
import { emitBackupOutcome, emitFreshnessMetrics } from '#test/support/emitted-metrics.ts';
import {
  appWithoutBundling,
  exampleConfig,
  logicalIdByPath,
  resolveIntrinsic,
  resourcesOfType,
  synthStack,
  type TemplateResource,
} from '../support.ts';
import { DOCS, rule } from './rules.ts';

const config = exampleConfig();

/** The deployable stack under a given `-c stackName=…`. */
function stackNamed(stackName: string): Template {
  const app = appWithoutBundling();
  return Template.fromStack(new BackupSchedulerStack(app, stackName, { stackName, scheduler: { config } }));
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Principal?: { Service?: string | string[] };
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

interface MetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: ReadonlyArray<{ Name: string; Value: unknown }>;
}

/** Every metric an alarm reads: its single metric, or each MetricStat of its math expression. */
function metricsOf(alarm: TemplateResource): MetricIdentity[] {
  const properties = alarm.Properties;
  if (typeof properties.MetricName === 'string') {
    return [
      {
        namespace: properties.Namespace as string,
        metricName: properties.MetricName,
        dimensions: (properties.Dimensions ?? []) as MetricIdentity['dimensions'],
      },
    ];
  }
  return (properties.Metrics as Array<{ MetricStat?: { Metric: Record<string, unknown> } }>).flatMap(
    (query) =>
      query.MetricStat === undefined
        ? []
        : [
            {
              namespace: query.MetricStat.Metric.Namespace as string,
              metricName: query.MetricStat.Metric.MetricName as string,
              dimensions: (query.MetricStat.Metric.Dimensions ?? []) as MetricIdentity['dimensions'],
            },
          ],
  );
}

/** The metrics our own code emits (not `AWS/…`), as namespace + sorted dimensions. */
function ownMetricIdentities(template: Template): Set<string> {
  return new Set(
    Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'))
      .flatMap(metricsOf)
      .filter((metric) => !metric.namespace.startsWith('AWS/'))
      .map(
        (metric) =>
          `${metric.namespace}|${metric.metricName}|${metric.dimensions
            .map((dimension) => `${dimension.Name}=${JSON.stringify(dimension.Value)}`)
            .sort()
            .join(',')}`,
      ),
  );
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe(
  rule(
    'Every SNS topic an alarm notifies allows cloudwatch.amazonaws.com to sns:Publish, scoped by aws:SourceAccount and aws:SourceArn to this account’s alarms: a TopicPolicy replaces the topic’s default policy (UNVERIFIED wording), so enforceSSL’s Deny alone leaves CloudWatch without an Allow',
    DOCS.snsTopicPolicy,
    DOCS.cloudWatchAlarmSns,
    DOCS.snsKeyManagement,
  ),
  () => {
    it.each([
      ['the example configuration', synthStack({ config }).template],
      ['an alarm e-mail subscription', synthStack({ config, alarmEmail: 'ops@example.com' }).template],
    ])('holds for %s', (_what, template) => {
      const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
      const topicIds = new Set(
        alarms.flatMap((alarm) =>
          list(alarm.Properties.AlarmActions as Array<{ Ref?: string }>).map((action) => action.Ref),
        ),
      );
      expect([...topicIds].every((id) => id !== undefined)).toBe(true);
      const policies = Object.values(resourcesOfType(template, 'AWS::SNS::TopicPolicy'));
      const missing = [...topicIds].filter((topicId) => {
        const statements = policies
          .filter((policy) =>
            (policy.Properties.Topics as Array<{ Ref?: string }>).some((topic) => topic.Ref === topicId),
          )
          .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
        return !statements.some((statement) => {
          if (statement.Effect !== 'Allow') return false;
          if (!list(statement.Action).some((action) => action.toLowerCase() === 'sns:publish')) return false;
          if (!list(statement.Principal?.Service).includes('cloudwatch.amazonaws.com')) return false;
          const conditions = Object.values(statement.Condition ?? {});
          const value = (key: string) =>
            conditions.find((operator) => key in operator)?.[key] as unknown | undefined;
          const account = value('aws:SourceAccount');
          const sourceArn = value('aws:SourceArn');
          return (
            account !== undefined &&
            resolveIntrinsic(template, account) === '123456789012' &&
            sourceArn !== undefined &&
            /^arn:aws:cloudwatch:us-east-1:123456789012:alarm:/.test(resolveIntrinsic(template, sourceArn))
          );
        });
      });
      expect(missing).toEqual([]);
    });

    it('keeps the topic key’s grant to CloudWatch (an encrypted topic needs both)', () => {
      const { template } = synthStack({ config });
      const [key] = Object.values(resourcesOfType(template, 'AWS::KMS::Key'));
      const statements =
        (key?.Properties.KeyPolicy as { Statement: Statement[] } | undefined)?.Statement ?? [];
      expect(
        statements.some(
          (statement) =>
            statement.Effect === 'Allow' &&
            list(statement.Principal?.Service).includes('cloudwatch.amazonaws.com') &&
            list(statement.Action).includes('kms:GenerateDataKey'),
        ),
      ).toBe(true);
    });

    it('tells, in docs/deploy.md, what an imported topic (-c alarmTopicArn) must allow', () => {
      const deploy = readFileSync(join(import.meta.dirname, '../../../docs/deploy.md'), 'utf8');
      const section = deploy.slice(deploy.indexOf('alarmTopicArn'));
      expect(section).toMatch(/cloudwatch\.amazonaws\.com/);
      expect(section).toMatch(/sns:Publish/);
      expect(section).toMatch(/aws:SourceArn/);
    });
  },
);

describe(
  rule(
    'CloudWatch identifies a metric by namespace, name and every dimension, so two stacks in one account and region alarm only on their own metrics when the stack’s identity is part of the metric (UNVERIFIED wording)',
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension',
  ),
  () => {
    it('gives two stacks with different stackName disjoint custom metrics', () => {
      const first = ownMetricIdentities(stackNamed('BackupsTeamA'));
      const second = ownMetricIdentities(stackNamed('BackupsTeamB'));
      expect(first.size).toBeGreaterThan(0);
      expect([...first].filter((identity) => second.has(identity))).toEqual([]);
    });

    it('alarms on the service dimension the emitting functions are told (POWERTOOLS_SERVICE_NAME) and emit', () => {
      const template = stackNamed('BackupsTeamA');
      const resources = template.toJSON().Resources as Record<string, TemplateResource>;
      const environmentOf = (stem: string) =>
        (
          resources[logicalIdByPath(template, `/Scheduler/${stem}/Function/Resource`)]?.Properties
            .Environment as { Variables: Record<string, string> } | undefined
        )?.Variables ?? {};
      const told = new Set(
        ['RecordResult', 'CheckFreshness'].map((stem) => environmentOf(stem).POWERTOOLS_SERVICE_NAME),
      );
      expect([...told]).toHaveLength(1);
      const [service] = told;
      expect(service).toBeDefined();

      const lines: string[] = [];
      vi.stubEnv('POWERTOOLS_SERVICE_NAME', String(service));
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
      emitBackupOutcome({ cluster: 'prod', state: 'FAILED', durationSeconds: null, sizeBytes: null });
      emitFreshnessMetrics({ cluster: 'prod', oldestAgeSeconds: 1, late: 1, uncovered: 0 });
      vi.restoreAllMocks();
      const emitted = new Set(
        lines
          .flatMap((chunk) => chunk.split('\n'))
          .filter((line) => line.includes('"_aws"'))
          .map((line) => (JSON.parse(line) as { service: string }).service),
      );
      expect([...emitted]).toEqual([service]);

      const alarmed = new Set(
        Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'))
          .flatMap(metricsOf)
          .filter((metric) => !metric.namespace.startsWith('AWS/'))
          .map((metric) => metric.dimensions.find((dimension) => dimension.Name === 'service')?.Value),
      );
      expect([...alarmed]).toEqual([service]);
    });
  },
);

describe(
  rule(
    'Step Functions publishes ExecutionTime only when an execution closes (UNVERIFIED wording), so no alarm that must warn during a run may read it; every state machine alarms on ExecutionsTimedOut',
    DOCS.stepFunctionsMetrics,
  ),
  () => {
    const { template } = synthStack({ config });
    const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));

    it('has no alarm on AWS/States ExecutionTime', () => {
      expect(
        alarms
          .flatMap(metricsOf)
          .filter((metric) => metric.namespace === 'AWS/States' && metric.metricName === 'ExecutionTime'),
      ).toEqual([]);
    });

    it('alarms on ExecutionsTimedOut of every state machine, the freshness check’s included', () => {
      const watched = new Set(
        alarms
          .flatMap(metricsOf)
          .filter((metric) => metric.namespace === 'AWS/States' && metric.metricName === 'ExecutionsTimedOut')
          .map((metric) => (metric.dimensions[0]?.Value as { Ref?: string } | undefined)?.Ref),
      );
      const machines = Object.keys(resourcesOfType(template, 'AWS::StepFunctions::StateMachine'));
      expect(machines.filter((id) => !watched.has(id))).toEqual([]);
    });
  },
);
