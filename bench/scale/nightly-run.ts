/**
 * §3 A nightly run at scale: `clusters` clusters of `databasesPerCluster` databases each, every cluster its own
 * emulated FE, all NightlyBackup runs at once through the local runner on one virtual clock. Measures the parent
 * executions' history, the largest state payload, memory, wall time, and whether any FE ever ran more backup
 * jobs at once than the cluster's maxConcurrentBackups.
 *
 * Meant to run in a fresh process (bench/scale/nightly-main.ts), so that peak memory is this run's alone.
 */
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { parseConfig } from '#domain/config/index.ts';
import { createManualClock, type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { runNightlyLocally } from '#local/runner/run-nightly.ts';
import { accountEvent, type ExecutionAccount, emptyAccount } from '../support/aws-history.ts';
import { substitutedDefinition } from '../support/definitions.ts';
import { startBenchTables } from '../support/local-tables.ts';
import { advanceClockBeforeChecks, BENCH_SLOT, BENCH_START_MS } from '../support/virtual-time.ts';

/** The run's shape. */
export interface NightlyScaleOptions {
  readonly clusters: number;
  readonly databasesPerCluster: number;
  readonly maxConcurrentBackups: number;
}

/** What the run measured. */
export interface NightlyScaleResult {
  readonly clusters: number;
  readonly databases: number;
  readonly maxConcurrentBackups: number;
  /** Databases whose catalog outcome is FINISHED. */
  readonly finished: number;
  /** Run statuses by count. */
  readonly runStatuses: Readonly<Record<string, number>>;
  /** History events of the largest NightlyBackup execution (one per cluster). */
  readonly parentHistoryEventsMax: number;
  /** History events of the largest BackupDatabase execution. */
  readonly childHistoryEventsMax: number;
  /** Billed state transitions of the whole night (parents and children). */
  readonly stateTransitions: number;
  readonly lambdaInvocations: number;
  /** The largest state output (JSON bytes) any state of a parent / child produced, and which. */
  readonly largestPayload: {
    readonly parent: { readonly bytes: number; readonly state: string };
    readonly child: { readonly bytes: number; readonly state: string };
  };
  /** The most backup jobs any one FE ran at once, and the cap. */
  readonly maxRunningJobsOnAnyCluster: number;
  readonly capExceeded: boolean;
  /** Peak resident set (process.resourceUsage().maxRSS) and peak sampled heap, bytes. */
  readonly peakRssBytes: number;
  readonly peakHeapUsedBytes: number;
  readonly wallSeconds: number;
  /** Executions the night started (parents and children). */
  readonly executions: number;
  /**
   * What one validation of the BackupDatabase ASL costs (building an interpreter StateMachine runs
   * asl-validator), measured after the run, ms. The runner validates each distinct definition once per process.
   */
  readonly aslValidationMs: number;
  /** Distinct state machines the night ran (each validated once). */
  readonly definitionsValidated: number;
  /** Virtual time the night took (from the first submit to the last check), seconds. */
  readonly virtualSeconds: number;
}

/** Job durations spread over 1–5 minutes (deterministic), so a thousand backups take seconds, not hours. */
function durationMsOf(cluster: number, database: number): number {
  return 60_000 + ((cluster * 7919 + database * 104_729) % 241) * 1000;
}

function databaseName(index: number): string {
  return `db_${String(index + 1).padStart(4, '0')}`;
}

/** The mean time one `new StateMachine(definition)` takes (the validation the runner makes once per definition). */
function validationCostMs(): number {
  const definition = substitutedDefinition('backupDatabase') as unknown as StateMachineDefinition;
  const runs = 10;
  const started = performance.now();
  for (let run = 0; run < runs; run++) {
    new StateMachine(definition, { validationOptions: { checkArn: false } });
  }
  return (performance.now() - started) / runs;
}

/** Runs the whole night and measures it. */
export async function runNightlyScale(options: NightlyScaleOptions): Promise<NightlyScaleResult> {
  const started = performance.now();
  let peakHeapUsedBytes = 0;
  const sampler = setInterval(() => {
    peakHeapUsedBytes = Math.max(peakHeapUsedBytes, process.memoryUsage().heapUsed);
  }, 50);

  const clock = createManualClock(BENCH_START_MS);
  const tables = await startBenchTables();
  const emulators: EmulatorHandle[] = [];
  try {
    for (let cluster = 0; cluster < options.clusters; cluster++) {
      emulators.push(
        await startEmulator({
          clock,
          scenario: {
            version: '3.4',
            repositories: [{ name: 'bench_repo', location: `s3a://bench-bucket/cluster${cluster + 1}` }],
            databases: Array.from({ length: options.databasesPerCluster }, (_, database) => ({
              name: databaseName(database),
              tables: [{ name: 'facts', sizeBytes: 256 * 1024 ** 2, rows: 1_000_000 }],
              backup: { durationMs: durationMsOf(cluster, database) },
            })),
          },
        }),
      );
    }
    const config = parseConfig({
      clusters: emulators.map((emulator, index) => ({
        name: `cluster${index + 1}`,
        host: emulator.host,
        port: emulator.port,
        repository: 'bench_repo',
        maxConcurrentBackups: options.maxConcurrentBackups,
        timeoutSeconds: 6 * 3600,
        connectTimeoutSeconds: 10,
        statementTimeoutSeconds: 30,
        schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
      })),
    });

    const parents = new Map<string, ExecutionAccount>();
    const children = new Map<string, ExecutionAccount>();
    let largestParent = { bytes: 0, state: '' };
    let largestChild = { bytes: 0, state: '' };
    const beforeTask = advanceClockBeforeChecks(clock);
    const machines = new Set<string>();

    const runs = await Promise.all(
      config.clusters.map((cluster) =>
        runNightlyLocally({
          config,
          cluster: cluster.name,
          schedule: cluster.schedules[0] as (typeof cluster.schedules)[number],
          scheduledTime: BENCH_SLOT,
          tables,
          clock,
          secretEnv: { STARROCKS_PASSWORD: '' },
          waitOverrideMs: 0,
          retryOverrideMs: 0,
          beforeTask,
          onEvent: ({ executionArn, stateMachine, event }) => {
            machines.add(stateMachine);
            const accounts = stateMachine === 'nightlyBackup' ? parents : children;
            let account = accounts.get(executionArn);
            if (!account) {
              account = emptyAccount();
              accounts.set(executionArn, account);
            }
            accountEvent(account, stateMachine, event);
            if (event.type !== 'StateExited' || event.state.output === undefined) return;
            const bytes = Buffer.byteLength(JSON.stringify(event.state.output), 'utf8');
            if (stateMachine === 'nightlyBackup' && bytes > largestParent.bytes) {
              largestParent = { bytes, state: event.state.name };
            } else if (stateMachine === 'backupDatabase' && bytes > largestChild.bytes) {
              largestChild = { bytes, state: event.state.name };
            }
          },
        }),
      ),
    );

    const runStatuses: Record<string, number> = {};
    for (const run of runs) runStatuses[run.status] = (runStatuses[run.status] ?? 0) + 1;
    const all = [...parents.values(), ...children.values()];
    const maxRunningJobsOnAnyCluster = Math.max(
      ...emulators.map((emulator) => emulator.state.maxConcurrentRunningJobs),
    );
    const jobs = emulators.flatMap((emulator) => emulator.state.jobs());
    const lastFinish = Math.max(...jobs.map((job) => job.finishedAt ?? BENCH_START_MS));
    const wallSeconds = (performance.now() - started) / 1000;
    return {
      clusters: options.clusters,
      databases: options.clusters * options.databasesPerCluster,
      maxConcurrentBackups: options.maxConcurrentBackups,
      finished: runs.flatMap((run) => run.results).filter((result) => result.state === 'FINISHED').length,
      runStatuses,
      parentHistoryEventsMax: Math.max(...[...parents.values()].map((account) => account.historyEvents)),
      childHistoryEventsMax: Math.max(...[...children.values()].map((account) => account.historyEvents)),
      stateTransitions: all.reduce((sum, account) => sum + account.stateTransitions, 0),
      lambdaInvocations: all.reduce((sum, account) => sum + account.lambdaInvocations, 0),
      largestPayload: { parent: largestParent, child: largestChild },
      maxRunningJobsOnAnyCluster,
      capExceeded: maxRunningJobsOnAnyCluster > options.maxConcurrentBackups,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      peakHeapUsedBytes,
      wallSeconds,
      executions: parents.size + children.size,
      aslValidationMs: validationCostMs(),
      definitionsValidated: machines.size,
      virtualSeconds: Math.max(0, clock.now(), lastFinish) / 1000 - BENCH_START_MS / 1000,
    };
  } finally {
    clearInterval(sampler);
    await Promise.all(emulators.map((emulator) => emulator.close()));
    await tables.close();
  }
}
