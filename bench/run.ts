/**
 * `npm run bench`: the three benchmarks of issue 9, the HTML report's (issue 19) and differential backups' (issue 20),
 * one table each (the baseline beside every figure), then
 * bench/results/latest.json and docs/benchmarks.md, both generated from the measured numbers.
 *
 *   npm run bench                         # everything (a few minutes on 2 cores)
 *   npm run bench -- --quick              # smoke-sized (also BENCH_QUICK=1); writes bench/results/quick.json only
 *   npm run bench -- --only scale         # re-measure one section (polling, bundles, scale, report, differential) into latest.json
 *   npm run bench -- --serial             # run §3's nightly run after §1 instead of beside it
 *
 * Offline: nothing is downloaded. Benchmarks never fail on absolute times; the exit code is 1 only when a
 * benchmark could not run at all.
 */
import './support/quiet-env.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBundlesBench } from './bundles/bundles-bench.ts';
import { runDifferentialBench, TRANSFER_BYTES_PER_SECOND } from './differential/differential-bench.ts';
import { runDifferentialWorkflowBench } from './differential/workflow-nights.ts';
import { REPORT_SIZES, runReportBench } from './html-report/report-bench.ts';
import { POLLING_SIZES, runPollingBench } from './polling/polling-bench.ts';
import { checkGoals } from './report/goals.ts';
import { renderBenchmarksDoc, renderConsole } from './report/render.ts';
import { type BenchResults, RESULTS_SCHEMA_VERSION, type Section, succeeded } from './report/results.ts';
import { runScaleBench, SCALE_SIZES, startNightlyScale } from './scale/scale-bench.ts';
import { startBenchTables } from './support/local-tables.ts';
import { describeMachine } from './support/machine.ts';

const SECTIONS = ['polling', 'bundles', 'scale', 'report', 'differential'] as const;
type SectionName = (typeof SECTIONS)[number];

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS_DIR = `${ROOT}bench/results/`;
const LATEST = `${RESULTS_DIR}latest.json`;
const QUICK = `${RESULTS_DIR}quick.json`;
const DOC = `${ROOT}docs/benchmarks.md`;
const BUNDLE_DIR = `${ROOT}bench/.out/bundles`;
const REPORT_DIR = `${ROOT}bench/.out/report`;

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      serial: { type: 'boolean', default: false },
    },
  });
  const only = (values.only ?? []).flatMap((value) => value.split(',')).map((value) => value.trim());
  const unknown = only.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    console.error(`unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
    process.exit(2);
  }
  return {
    quick: values.quick || process.env.BENCH_QUICK === '1',
    sections: new Set<SectionName>(only.length > 0 ? (only as SectionName[]) : SECTIONS),
    partial: only.length > 0,
    serial: values.serial,
  };
}

function section<T>(data: T, quick: boolean, machine = describeMachine()): Section<T> {
  return { measuredAt: new Date().toISOString(), machine, quick, data };
}

function previousResults(path: string): Partial<BenchResults> {
  if (!existsSync(path)) return {};
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<BenchResults>;
  return parsed.schemaVersion === RESULTS_SCHEMA_VERSION ? parsed : {};
}

async function main(): Promise<void> {
  const started = performance.now();
  const { quick, sections, partial, serial } = options();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const machine = describeMachine();
  const sizes = quick ? SCALE_SIZES.quick : SCALE_SIZES.full;
  const resultsPath = quick ? QUICK : LATEST;
  const results: {
    -readonly [K in keyof BenchResults]: BenchResults[K];
  } = {
    ...(partial ? previousResults(resultsPath) : {}),
    schemaVersion: RESULTS_SCHEMA_VERSION,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  };
  log(
    `Benchmarks${quick ? ' (quick)' : ''}: ${[...sections].join(', ')} on Node ${machine.node}, ${machine.cpuCount} × ${machine.cpuModel}`,
  );

  // The nightly run and §1 both run on virtual time and each keeps one core busy: side by side they finish
  // sooner, and only the nightly run's wall time is affected. §2 measures real time, so it runs alone.
  const besidePolling = sections.has('scale') && sections.has('polling') && !serial;
  if (besidePolling) {
    log(
      `§3 scale: nightly run of ${sizes.nightly.clusters * sizes.nightly.databasesPerCluster} databases started beside §1`,
    );
  }
  const nightly = besidePolling ? startNightlyScale(sizes.nightly) : undefined;

  if (sections.has('polling')) {
    const tables = await startBenchTables();
    try {
      results.polling = section(
        await runPollingBench(tables, { sizes: quick ? POLLING_SIZES.quick : POLLING_SIZES.full, log }),
        quick,
        machine,
      );
    } finally {
      await tables.close();
    }
  }
  if (sections.has('scale')) {
    const scaleMachine = describeMachine();
    const data = await runScaleBench({ quick, log, ...(nightly ? { nightly } : {}) });
    results.scale = section(data, quick, besidePolling ? machine : scaleMachine);
  }
  if (sections.has('bundles')) {
    const bundlesMachine = describeMachine();
    results.bundles = section(
      await runBundlesBench({
        runs: quick ? 3 : 20,
        ...(quick ? { folders: ['CheckBackup', 'AcquireLock'] } : {}),
        outDir: BUNDLE_DIR,
        log,
      }),
      quick,
      bundlesMachine,
    );
  }

  if (sections.has('report')) {
    const reportMachine = describeMachine();
    results.report = section(
      await runReportBench({
        sizes: quick ? REPORT_SIZES.quick : REPORT_SIZES.full,
        runs: quick ? 2 : 5,
        outDir: REPORT_DIR,
        log,
      }),
      quick,
      reportMachine,
    );
  }

  if (sections.has('differential')) {
    // Computed from the planner over a synthetic database (well under a second), then the same nights run through
    // the workflow on the emulator (about a second per night; 8 nights when quick).
    const computed = runDifferentialBench({ log });
    const workflow = await runDifferentialWorkflowBench({
      uploadBytesPerSecond: TRANSFER_BYTES_PER_SECOND,
      ...(quick ? { nights: 8 } : {}),
      log,
    });
    results.differential = section({ ...computed, workflow }, quick, describeMachine());
  }

  const goals = checkGoals(results);
  console.log(renderConsole(results, goals));
  if (quick) {
    console.log(
      '\n(quick run: the goals are stated for 24 h backups, 20 rounds and 1,000 databases; these checks are indicative only)',
    );
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(resultsPath, `${JSON.stringify({ ...results, goals }, null, 2)}\n`);
  log(`\nwrote ${resultsPath.replace(ROOT, '')}`);
  if (!quick) {
    writeFileSync(DOC, renderBenchmarksDoc(results, goals));
    log(`wrote ${DOC.replace(ROOT, '')}`);
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const scale = results.scale?.data;
  if (sections.has('scale') && scale && (!succeeded(scale.synth) || !succeeded(scale.nightly))) {
    process.exitCode = 1;
  }
}

await main();
