/**
 * Synthesizes the deployable stack of one source tree for N clusters × 1 schedule, each N given, and prints the
 * resource counts as one JSON line on stdout. Run in a fresh process per design (see schedule-scale.ts):
 *
 *   node --import tsx bench/scale/schedule-scale-main.ts <source root> <nag 0|1> <N> [<N> …]
 *
 * `<source root>` holds `cdk/` and `lambdas/` (this repository, or a design extracted from git history). CDK's own
 * 500-resource check is lifted so that a design that CloudFormation would refuse can still be counted.
 */
import '../support/quiet-env.ts';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { scaledConfigInput } from './synth.ts';

/** One design at one size. */
export interface ScheduleScaleMeasurement {
  /** Clusters × schedules (N clusters with one schedule each). */
  readonly clusterSchedules: number;
  readonly resources: number;
  readonly resourcesByType: Readonly<Record<string, number>>;
  /** `AWS::Scheduler::Schedule` resources in the template (0 when the schedules are data). */
  readonly scheduleResources: number;
  /** Schedules the stack deploys, as resources or as data. */
  readonly schedulesDeployed: number;
  readonly templateBytes: number;
  readonly synthMs: number;
}

const [root = '.', nagFlag = '1', ...sizes] = process.argv.slice(2);
const sourceRoot = resolve(root);
const load = async <T>(relative: string): Promise<T> =>
  (await import(pathToFileURL(join(sourceRoot, relative)).href)) as T;

const { BackupSchedulerStack } = await load<typeof import('#cdk/backup-scheduler-stack.ts')>(
  'cdk/backup-scheduler-stack.ts',
);
// The configuration module moved in the layout of issue 17; an older design's tree has it at its old place.
const { parseConfig } = await load<typeof import('#domain/config/index.ts')>(
  existsSync(join(sourceRoot, 'lambdas/domain/config/index.ts'))
    ? 'lambdas/domain/config/index.ts'
    : 'lambdas/shared/config/index.ts',
);

/** Synthesizes N clusters × 1 schedule and counts. */
function synthesize(size: number): ScheduleScaleMeasurement {
  const outdir = mkdtempSync(join(tmpdir(), 'sr-backup-bench-schedules-'));
  try {
    const started = performance.now();
    const config = parseConfig(scaledConfigInput(size, 1));
    const app = new App({
      outdir,
      context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:stackResourceLimit': 1_000_000 },
    });
    const stack = new BackupSchedulerStack(app, 'BenchStack', {
      scheduler: { config, createVpcEndpoints: false, awsServicesReachable: false },
    });
    if (nagFlag === '1') Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const template = app.synth().getStackByName('BenchStack').template as {
      Resources?: Record<string, { Type: string }>;
    };
    const synthMs = performance.now() - started;
    const resourcesByType: Record<string, number> = {};
    for (const resource of Object.values(template.Resources ?? {})) {
      resourcesByType[resource.Type] = (resourcesByType[resource.Type] ?? 0) + 1;
    }
    const scheduleResources = resourcesByType['AWS::Scheduler::Schedule'] ?? 0;
    const sync = (stack.scheduler as { scheduleSync?: { scheduleSet: { schedules: readonly unknown[] } } })
      .scheduleSync;
    return {
      clusterSchedules: size,
      resources: Object.keys(template.Resources ?? {}).length,
      resourcesByType: Object.fromEntries(
        Object.entries(resourcesByType).sort(([a], [b]) => a.localeCompare(b)),
      ),
      scheduleResources,
      schedulesDeployed: sync === undefined ? scheduleResources : sync.scheduleSet.schedules.length,
      templateBytes: Buffer.byteLength(JSON.stringify(template), 'utf8'),
      synthMs,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

// The first synth of a process pays for loading aws-cdk-lib and the design's modules: one untimed warm-up.
synthesize(1);
const measurements = sizes.map((size) => synthesize(Number(size)));
process.stdout.write(`${JSON.stringify({ measurements })}\n`);
