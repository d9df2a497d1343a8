import { afterEach, describe, expect, it, vi } from 'vitest';
import { METRICS_SERVICE_VARIABLE } from '#domain/metrics.ts';
import { TERMINAL_STATES } from '#domain/workflow/outcomes.ts';
import { emitBackupOutcome, emitDrillFigures, emitFreshnessMetrics } from '#test/support/emitted-metrics.ts';
import {
  logicalIdByPath,
  resourcesOfType,
  scaledConfig,
  synthStack,
  type TemplateResource,
} from './support.ts';

const config = scaledConfig(2, 1);
const { template } = synthStack({ config });
const resources = template.toJSON().Resources as Record<string, TemplateResource>;
const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');

interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: ReadonlyArray<{ Name: string; Value: unknown }>;
}

/** Every metric an alarm reads: its single metric, or each MetricStat of its math expression. */
function metricsOf(alarm: TemplateResource): MetricRef[] {
  const properties = alarm.Properties ?? {};
  if (typeof properties.MetricName === 'string') {
    return [
      {
        namespace: properties.Namespace as string,
        metricName: properties.MetricName,
        dimensions: (properties.Dimensions ?? []) as MetricRef['dimensions'],
      },
    ];
  }
  return (properties.Metrics as Array<{ MetricStat?: { Metric: Record<string, unknown> } }>)
    .filter((query) => query.MetricStat !== undefined)
    .map((query) => {
      const metric = (query.MetricStat as { Metric: Record<string, unknown> }).Metric;
      return {
        namespace: metric.Namespace as string,
        metricName: metric.MetricName as string,
        dimensions: (metric.Dimensions ?? []) as MetricRef['dimensions'],
      };
    });
}

/** The EMF documents the code really writes: RecordResult's emitBackupOutcome, run for every outcome. */
function capturedEmf(): Array<{
  namespace: string;
  dimensionSets: string[][];
  metrics: string[];
  values: Record<string, unknown>;
}> {
  const recordResult = resources[logicalIdByPath(template, '/Scheduler/RecordResult/Function/Resource')];
  const environment = (
    recordResult?.Properties.Environment as { Variables: Record<string, string> } | undefined
  )?.Variables;
  // The functions emit with the environment the stack gives them.
  vi.stubEnv(METRICS_SERVICE_VARIABLE, String(environment?.[METRICS_SERVICE_VARIABLE]));
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  for (const state of TERMINAL_STATES) {
    emitBackupOutcome({
      cluster: 'cluster1',
      state,
      durationSeconds: 42,
      sizeBytes: state === 'FINISHED' ? 1024 : null,
    });
  }
  emitDrillFigures({ cluster: 'cluster1', durationSeconds: 300 });
  emitDrillFigures({ cluster: 'cluster1', durationSeconds: 900, pointKind: 'chain' });
  emitFreshnessMetrics({ cluster: 'cluster1', oldestAgeSeconds: 3600, late: 1, uncovered: 0 });
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => {
      const document = JSON.parse(line) as {
        _aws: {
          CloudWatchMetrics: Array<{
            Namespace: string;
            Dimensions: string[][];
            Metrics: Array<{ Name: string }>;
          }>;
        };
      } & Record<string, unknown>;
      const [directive] = document._aws.CloudWatchMetrics;
      if (directive === undefined) throw new Error('EMF document without a metric directive');
      return {
        namespace: directive.Namespace,
        dimensionSets: directive.Dimensions,
        metrics: directive.Metrics.map((metric) => metric.Name),
        values: document,
      };
    });
}

/** Metrics AWS documents for each namespace we alarm on, with the dimension that names our resource. */
const AWS_METRICS: Record<string, { names: string[]; dimension: string; resourceType: string }> = {
  'AWS/States': {
    names: [
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'ExecutionTime',
      'ExecutionsAborted',
      'ExecutionThrottled',
    ],
    dimension: 'StateMachineArn',
    resourceType: 'AWS::StepFunctions::StateMachine',
  },
  'AWS/Lambda': {
    names: ['Errors', 'Throttles'],
    dimension: 'FunctionName',
    resourceType: 'AWS::Lambda::Function',
  },
  'AWS/SQS': {
    names: ['ApproximateNumberOfMessagesVisible'],
    dimension: 'QueueName',
    resourceType: 'AWS::SQS::Queue',
  },
  'AWS/Scheduler': {
    names: ['InvocationsFailedToBeSentToDeadLetterCount', 'InvocationDroppedCount'],
    dimension: 'ScheduleGroup',
    resourceType: 'AWS::Scheduler::ScheduleGroup',
  },
};

/** The logical id a dimension value refers to: by Ref, by Fn::GetAtt, or by the physical name CDK generated. */
function referencedId(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return Object.entries(resources).find(([, resource]) => resource.Properties.Name === value)?.[0];
  }
  const node = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return node.Ref ?? node['Fn::GetAtt']?.[0];
}

function problemsOf(metric: MetricRef, emf: ReturnType<typeof capturedEmf>): string[] {
  const known = AWS_METRICS[metric.namespace];
  if (known !== undefined) {
    const problems: string[] = [];
    if (!known.names.includes(metric.metricName))
      problems.push(`${metric.namespace} has no metric ${metric.metricName}`);
    const [dimension] = metric.dimensions;
    const id = referencedId(dimension?.Value);
    if (metric.dimensions.length !== 1 || dimension?.Name !== known.dimension) {
      problems.push(`${metric.metricName} is not keyed by ${known.dimension} alone`);
    } else if (id === undefined || resources[id]?.Type !== known.resourceType) {
      problems.push(`${metric.metricName} names no ${known.resourceType} of this stack`);
    }
    return problems;
  }
  const document = emf.find(
    (candidate) => candidate.namespace === metric.namespace && candidate.metrics.includes(metric.metricName),
  );
  if (document === undefined) return [`the code emits no ${metric.namespace}/${metric.metricName}`];
  const names = metric.dimensions.map((dimension) => dimension.Name).sort();
  if (!document.dimensionSets.some((set) => JSON.stringify([...set].sort()) === JSON.stringify(names))) {
    return [`${metric.metricName} dimensions ${names.join(',')} match no emitted dimension set`];
  }
  return metric.dimensions.flatMap((dimension) => {
    if (dimension.Name === 'Cluster') {
      return config.clusters.some((cluster) => cluster.name === dimension.Value)
        ? []
        : [`Cluster ${String(dimension.Value)} is not configured`];
    }
    return document.values[dimension.Name] === dimension.Value
      ? []
      : [
          `${dimension.Name}=${String(dimension.Value)} differs from the emitted ${String(document.values[dimension.Name])}`,
        ];
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('alarms', () => {
  it('watches only metrics that AWS or our code really emits, for resources of this stack', () => {
    const emf = capturedEmf();
    const problems = Object.entries(alarms).flatMap(([id, alarm]) =>
      metricsOf(alarm).flatMap((metric) => problemsOf(metric, emf).map((problem) => `${id}: ${problem}`)),
    );
    expect(problems).toEqual([]);
  });

  it('sends every alarm to the alarm topic', () => {
    const topic = logicalIdByPath(template, '/Scheduler/AlarmTopic/Resource');
    expect(
      Object.values(alarms).filter(
        (alarm) => JSON.stringify(alarm.Properties.AlarmActions) !== JSON.stringify([{ Ref: topic }]),
      ),
    ).toEqual([]);
  });

  it.each([
    ['a nightly run failed', '/Monitoring/NightlyRunFailed/Resource'],
    ['a nightly run timed out', '/Monitoring/NightlyRunTimedOut/Resource'],
    ['a backup execution timed out', '/Monitoring/BackupExecutionTimedOut/Resource'],
    ['a backup of any cluster failed', '/Monitoring/BackupFailed/Resource'],
    ['a backup of any cluster timed out', '/Monitoring/BackupTimedOut/Resource'],
    ['the schedule sync crashed', '/ScheduleSync/SyncSchedulesFailing/Resource'],
    ['the dead-letter queue received a message', '/Monitoring/DeadLetterMessages/Resource'],
    ['Scheduler lost an event', '/Monitoring/ScheduleEventsLost/Resource'],
    ['CheckBackup errors or throttles', '/Monitoring/CheckBackupFailing/Resource'],
    ['AcquireSlot throttles', '/Monitoring/AcquireSlotThrottled/Resource'],
  ])('raises an alarm when %s', (_what, path) => {
    expect(alarms[logicalIdByPath(template, path)]).toBeDefined();
  });

  it('watches every function for errors or throttles', () => {
    const functionIds = Object.keys(resourcesOfType(template, 'AWS::Lambda::Function'));
    const watched = new Set(
      Object.values(alarms).flatMap((alarm) =>
        metricsOf(alarm)
          .filter((metric) => metric.namespace === 'AWS/Lambda')
          .map((metric) => referencedId(metric.dimensions[0]?.Value)),
      ),
    );
    expect(functionIds.filter((id) => !watched.has(id))).toEqual([]);
  });

  it('does not alarm on the control-flow errors the ASL retries by design', () => {
    const slotFunction = logicalIdByPath(template, '/Scheduler/AcquireSlot/Function/Resource');
    const errorAlarms = Object.values(alarms).filter((alarm) =>
      metricsOf(alarm).some(
        (metric) =>
          metric.metricName === 'Errors' && referencedId(metric.dimensions[0]?.Value) === slotFunction,
      ),
    );
    expect(errorAlarms).toEqual([]);
  });
});

/** The Metrics Insights queries of the alarms that read every cluster at once. */
function insightsQueries(): Array<{ id: string; expression: string }> {
  return Object.entries(alarms).flatMap(([id, alarm]) =>
    ((alarm.Properties.Metrics ?? []) as Array<{ Expression?: string }>)
      .filter((query) => query.Expression?.startsWith('SELECT') === true)
      .map((query) => ({ id, expression: query.Expression as string })),
  );
}

describe('alarms over every cluster', () => {
  it('raises one alarm per outcome, not one per cluster', () => {
    const perCluster = Object.values(alarms).filter((alarm) =>
      config.clusters.some((cluster) => JSON.stringify(alarm.Properties).includes(`"${cluster.name}"`)),
    );
    expect(perCluster).toEqual([]);
    expect(
      insightsQueries()
        .map((query) => query.expression.match(/SUM\((\w+)\)/)?.[1])
        .sort(),
    ).toEqual(['BackupsFailed', 'BackupsTimedOut']);
  });

  it('queries exactly the namespace, dimension set and service the code emits', () => {
    const emf = capturedEmf();
    const problems = insightsQueries().flatMap(({ id, expression }) => {
      const match = expression.match(
        /^SELECT SUM\((\w+)\) FROM SCHEMA\("([^"]+)", (\w+), (\w+)\) WHERE service = '([^']+)'$/,
      );
      if (match === null) return [`${id}: unexpected query ${expression}`];
      const [, metricName, namespace, ...rest] = match;
      const service = rest.pop();
      const document = emf.find(
        (candidate) => candidate.namespace === namespace && candidate.metrics.includes(metricName ?? ''),
      );
      if (document === undefined) return [`${id}: the code emits no ${namespace}/${metricName}`];
      const problems: string[] = [];
      if (
        !document.dimensionSets.some(
          (set) => JSON.stringify([...set].sort()) === JSON.stringify([...rest].sort()),
        )
      ) {
        problems.push(`${id}: SCHEMA(${rest.join(', ')}) matches no emitted dimension set`);
      }
      if (document.values.service !== service)
        problems.push(`${id}: service ${service} is not what is emitted`);
      return problems;
    });
    expect(problems).toEqual([]);
  });
});

describe('dashboard', () => {
  const bodyOf = (clusters: number) => {
    const { template: scaled } = synthStack({ config: scaledConfig(clusters, 1) });
    const [dashboard] = Object.values(resourcesOfType(scaled, 'AWS::CloudWatch::Dashboard'));
    return JSON.stringify(dashboard?.Properties.DashboardBody);
  };

  it('graphs backups per outcome and duration over every cluster, naming none', () => {
    const body = JSON.stringify(
      Object.values(resourcesOfType(template, 'AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );
    const searched = [
      ...body.matchAll(/SEARCH\('\{StarRocksBackupScheduler,Cluster,service\} MetricName=\W*(\w+)/g),
    ].map((match) => match[1]);
    expect(new Set(searched)).toEqual(
      new Set([
        'BackupsFinished',
        'BackupsFailed',
        'BackupsTimedOut',
        'BackupsSkipped',
        'BackupDurationSeconds',
        'BackupSizeBytes',
        'DrillRestoreSeconds',
        'DrillChainRestoreSeconds',
      ]),
    );
    expect(config.clusters.filter((cluster) => body.includes(cluster.name))).toEqual([]);
  });

  it('searches only metrics the code emits, under the dimension set it emits them with', () => {
    const body = JSON.stringify(
      Object.values(resourcesOfType(template, 'AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );
    const emf = capturedEmf();
    const unmatched = [...body.matchAll(/SEARCH\('\{(\w+),(\w+),(\w+)\} MetricName=\W*(\w+)/g)]
      .filter(
        ([, namespace, first, second, metricName]) =>
          !emf.some(
            (document) =>
              document.namespace === namespace &&
              document.metrics.includes(metricName ?? '') &&
              document.dimensionSets.some(
                (set) => JSON.stringify([...set].sort()) === JSON.stringify([first, second].sort()),
              ),
          ),
      )
      .map((match) => match[4]);
    expect(unmatched).toEqual([]);
  });

  it('stays the same size whatever the number of clusters', () => {
    expect(bodyOf(40).length).toBe(bodyOf(2).length);
  });
});
