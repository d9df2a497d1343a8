/**
 * §3 Synthesis at scale: the deployable stack for 1 cluster × 1 schedule and for 20 clusters × 3 schedules,
 * synthesized as `cdk synth` does (cdk-nag AwsSolutions checks and CloudFormation validation on) except that
 * esbuild bundling is skipped: it bundles the same functions whatever the configuration, so it would
 * only add a constant (§2 measures the bundles). Resource counts per type show what grows with the config.
 *
 * Meant to run in a fresh process (bench/scale/synth-main.ts): the first synth of a process pays for loading
 * aws-cdk-lib, so one untimed warm-up synth precedes the timed ones, which alternate between the two configs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BackupSchedulerStack } from '#cdk/backup-scheduler-stack.ts';
import { type BackupConfig, type BackupConfigInput, parseConfig } from '#domain/config/index.ts';

/** CloudFormation's limit of resources per stack. */
export const CLOUDFORMATION_RESOURCE_LIMIT = 500;

/** One configuration's synthesis. */
export interface SynthMeasurement {
  readonly clusters: number;
  readonly schedulesPerCluster: number;
  readonly resources: number;
  readonly resourcesByType: Readonly<Record<string, number>>;
  /** Bytes of the template JSON. */
  readonly templateBytes: number;
  /** Median synth time, ms, and every sample. */
  readonly medianMs: number;
  readonly samplesMs: readonly number[];
}

/** Both configurations. */
export interface SynthScaleResult {
  readonly small: SynthMeasurement;
  readonly large: SynthMeasurement;
  /** large.medianMs / small.medianMs. */
  readonly timeRatio: number;
  /** Resource types whose count differs between the two, with both counts. */
  readonly growingTypes: readonly { readonly type: string; readonly small: number; readonly large: number }[];
}

const SECRET_PREFIX = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:';
const SCHEDULES = [
  { name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' },
  { name: 'weekly', cron: '30 3 ? * SUN *', timezone: 'Europe/Berlin' },
  { name: 'monthly', cron: '0 4 1 * ? *', timezone: 'America/New_York' },
];

/**
 * The input of {@link scaledConfig}, as a file would hold it (plain data, so that a design extracted from git history
 * can parse it with its own schema).
 */
export function scaledConfigInput(clusters: number, schedules: number): BackupConfigInput {
  return {
    clusters: Array.from({ length: clusters }, (_, index) => ({
      name: `cluster${index + 1}`,
      host: `fe${index + 1}.starrocks.internal`,
      passwordSecretArn: `${SECRET_PREFIX}starrocks/cluster${index + 1}`,
      repository: 's3_repo',
      maxConcurrentBackups: 4,
      schedules: SCHEDULES.slice(0, schedules),
    })),
    slack: { webhookSecretArn: `${SECRET_PREFIX}starrocks/slack` },
  };
}

/** A configuration of `clusters` clusters with `schedules` schedules each, every cluster with its own secret. */
export function scaledConfig(clusters: number, schedules: number): BackupConfig {
  return parseConfig(scaledConfigInput(clusters, schedules));
}

function synthOnce(
  config: BackupConfig,
  nag: boolean,
): {
  ms: number;
  template: { Resources?: Record<string, { Type: string }> };
} {
  const outdir = mkdtempSync(join(tmpdir(), 'sr-backup-bench-synth-'));
  try {
    const started = performance.now();
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    new BackupSchedulerStack(app, 'BenchStack', {
      scheduler: { config, createVpcEndpoints: false, awsServicesReachable: false },
    });
    if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const assembly = app.synth();
    const ms = performance.now() - started;
    return { ms, template: assembly.getStackByName('BenchStack').template };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function countByType(template: { Resources?: Record<string, { Type: string }> }): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values(template.Resources ?? {})) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Synthesizes both configurations `runs` times each (after one untimed warm-up synth unless `warmUp` is false)
 * and counts their resources. `nag: false` leaves cdk-nag out (smoke tests; `cdk synth` runs it).
 */
export function runSynthScale(
  runs: number,
  options: { warmUp?: boolean; nag?: boolean } = {},
): SynthScaleResult {
  const nag = options.nag ?? true;
  const shapes = [
    { clusters: 1, schedules: 1 },
    { clusters: 20, schedules: 3 },
  ] as const;
  const configs = shapes.map((shape) => scaledConfig(shape.clusters, shape.schedules));
  if (options.warmUp ?? true) synthOnce(configs[0] as BackupConfig, nag);
  const samples: number[][] = [[], []];
  const templates: ReturnType<typeof synthOnce>['template'][] = [];
  for (let run = 0; run < runs; run++) {
    configs.forEach((config, index) => {
      const { ms, template } = synthOnce(config, nag);
      samples[index]?.push(ms);
      templates[index] = template;
    });
  }
  const measurements = shapes.map((shape, index): SynthMeasurement => {
    const template = templates[index] ?? {};
    const resourcesByType = countByType(template);
    return {
      clusters: shape.clusters,
      schedulesPerCluster: shape.schedules,
      resources: Object.keys(template.Resources ?? {}).length,
      resourcesByType,
      templateBytes: Buffer.byteLength(JSON.stringify(template), 'utf8'),
      medianMs: median(samples[index] ?? []),
      samplesMs: samples[index] ?? [],
    };
  });
  const [small, large] = measurements as [SynthMeasurement, SynthMeasurement];
  const types = new Set([...Object.keys(small.resourcesByType), ...Object.keys(large.resourcesByType)]);
  const growingTypes = [...types]
    .map((type) => ({
      type,
      small: small.resourcesByType[type] ?? 0,
      large: large.resourcesByType[type] ?? 0,
    }))
    .filter((entry) => entry.small !== entry.large);
  return { small, large, timeRatio: large.medianMs / small.medianMs, growingTypes };
}
