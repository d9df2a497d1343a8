/**
 * One cell of the polling benchmark: one backup of one database through the real NightlyBackup and
 * BackupDatabase ASL in the local interpreter, the real Lambda handlers in process, dynalite, and the StarRocks
 * FE emulator, all on one virtual clock. It reports what AWS would have recorded and billed for the
 * BackupDatabase execution, and how late the workflow noticed the end of the job.
 */
import { createCatalogStore } from '#domain/catalog/index.ts';
import { parseConfig } from '#domain/config/index.ts';
import { createManualClock, type EmulatorScenario, startEmulator } from '#local/emulator/index.ts';
import { runNightlyLocally } from '#local/runner/run-nightly.ts';
import { accountEvent, type ExecutionAccount, emptyAccount } from '../support/aws-history.ts';
import type { BenchTables } from '../support/local-tables.ts';
import { advanceClockBeforeChecks, BENCH_SLOT, BENCH_START_MS } from '../support/virtual-time.ts';
import type { PolicySpec } from './policies.ts';

/** The database every cell backs up. */
const DATABASE = 'sales';
/** Our deadline: far beyond every job, so it never shapes the waits being measured. */
const DEADLINE_SECONDS = 72 * 3600;
const DAY_MS = 86_400_000;

/** What one cell runs. */
export interface PollingCellSpec {
  /** Cluster name: unique per cell, so catalog history and locks never leak between cells. */
  readonly cluster: string;
  readonly policy: PolicySpec;
  /** How long the FE takes to finish the job when nothing stalls it (the emulator's `backup.durationMs`). */
  readonly durationSeconds: number;
  /** Durations of earlier FINISHED backups, newest first, written to the catalog first (history policies only). */
  readonly historySeconds?: readonly number[];
  /** The job stops making progress at `atFraction` of its duration for `seconds`, then resumes. */
  readonly stall?: { readonly atFraction: number; readonly seconds: number };
}

/** What one cell measured. */
export interface PollingCellResult {
  readonly status: string;
  /** State of the database's catalog item (FINISHED expected). */
  readonly outcome: string | null;
  /** SHOW BACKUP checks (CheckBackup invocations that ran). */
  readonly polls: number;
  /** The BackupDatabase execution as AWS would count it. */
  readonly child: ExecutionAccount;
  /** Seconds from the FE finishing the job to the CheckBackup that saw it FINISHED. */
  readonly detectionLagSeconds: number;
  /**
   * The length of the Wait during which the job ended: the lag had it ended just after the check before.
   * A single lag depends on where the end falls between two checks; this bound does not.
   */
  readonly worstCaseLagSeconds: number;
  /** Seconds from our submit to the FE finishing the job (the true duration, stall included). */
  readonly jobSeconds: number;
  /** The longest Wait the workflow chose, in seconds. */
  readonly longestWaitSeconds: number;
  /** CheckBackups by the StarRocks job state they saw (PENDING, SNAPSHOTING, UPLOADING, …, FINISHED). */
  readonly pollsByState: Readonly<Record<string, number>>;
}

/** The part of `$.job` the benchmark reads from CheckBackup's and SubmitBackup's output. */
interface ObservedJob {
  readonly phase?: string;
  readonly checkedAt?: number;
  readonly nextWaitSeconds?: number;
  readonly starRocksState?: string | null;
}

function scenarioFor(spec: PollingCellSpec): EmulatorScenario {
  return {
    version: '3.4',
    repositories: [{ name: 'bench_repo', location: 's3a://bench-bucket/backups' }],
    databases: [
      {
        name: DATABASE,
        tables: [
          { name: 'orders', sizeBytes: 40 * 1024 ** 3, rows: 600_000_000 },
          { name: 'customers', sizeBytes: 2 * 1024 ** 3, rows: 9_000_000 },
        ],
        // The same tables for every policy; without progress, SHOW BACKUP's Progress column stays empty
        // (a build that reports no upload progress) and the policy must do without it.
        backup: { durationMs: spec.durationSeconds * 1000, progress: spec.policy.progress },
      },
    ],
  };
}

async function recordHistory(spec: PollingCellSpec, tables: BenchTables): Promise<void> {
  if (!spec.policy.history || !spec.historySeconds) return;
  const catalog = createCatalogStore({
    client: tables.client,
    tableName: tables.catalogTableName,
    clock: { now: () => BENCH_START_MS },
  });
  for (const [index, seconds] of spec.historySeconds.entries()) {
    const scheduled = new Date(BENCH_SLOT.getTime() - (index + 1) * DAY_MS);
    const started = new Date(scheduled.getTime() + 5_000);
    await catalog.recordAttempt({
      cluster: spec.cluster,
      database: DATABASE,
      label: `history_${index + 1}`,
      repository: 'bench_repo',
      schedule: 'nightly',
      scheduledTime: scheduled.toISOString(),
      runId: `history-run-${index + 1}`,
      executionId: `history-execution-${index + 1}`,
      attempt: 1,
      state: 'FINISHED',
      reason: null,
      startedAt: started.toISOString(),
      finishedAt: new Date(started.getTime() + seconds * 1000).toISOString(),
      durationSeconds: seconds,
      snapshotTimestamp: null,
      verified: true,
      sizeBytes: null,
      tableCount: null,
      starRocksJobId: null,
    });
  }
}

/** Runs one cell; `tables` is shared by all cells (each uses its own cluster name). */
export async function runPollingCell(spec: PollingCellSpec, tables: BenchTables): Promise<PollingCellResult> {
  const clock = createManualClock(BENCH_START_MS);
  const emulator = await startEmulator({ scenario: scenarioFor(spec), clock });
  try {
    if (spec.stall) {
      emulator.faults.stallBackup(DATABASE, {
        atFraction: spec.stall.atFraction,
        forMs: spec.stall.seconds * 1000,
      });
    }
    await recordHistory(spec, tables);
    const config = parseConfig({
      clusters: [
        {
          name: spec.cluster,
          host: emulator.host,
          port: emulator.port,
          repository: 'bench_repo',
          maxConcurrentBackups: 1,
          timeoutSeconds: DEADLINE_SECONDS,
          connectTimeoutSeconds: 5,
          statementTimeoutSeconds: 10,
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
        },
      ],
      poll: spec.policy.poll,
    });
    const schedule = config.clusters[0]?.schedules[0];
    if (!schedule) throw new Error('benchmark config has no schedule');

    const child = emptyAccount();
    let seenFinishedAt: number | undefined;
    let checkBeforeEnd: number | undefined;
    let lastCheckAt: number | undefined;
    let polls = 0;
    let longestWaitSeconds = 0;
    const pollsByState: Record<string, number> = {};
    const run = await runNightlyLocally({
      config,
      cluster: spec.cluster,
      schedule,
      scheduledTime: BENCH_SLOT,
      databases: [DATABASE],
      tables,
      clock,
      secretEnv: { STARROCKS_PASSWORD: '' },
      waitOverrideMs: 0,
      retryOverrideMs: 0,
      beforeTask: advanceClockBeforeChecks(clock),
      onEvent: ({ stateMachine, event }) => {
        if (stateMachine !== 'backupDatabase') return;
        accountEvent(child, stateMachine, event);
        if (event.type !== 'StateExited') return;
        const job = (event.state.output as { job?: ObservedJob } | null)?.job;
        if (!job) return;
        if (event.state.name === 'CheckBackup') {
          polls += 1;
          const state = job.starRocksState ?? 'unknown';
          pollsByState[state] = (pollsByState[state] ?? 0) + 1;
        }
        longestWaitSeconds = Math.max(longestWaitSeconds, job.nextWaitSeconds ?? 0);
        if (job.phase === 'finished' && seenFinishedAt === undefined) {
          seenFinishedAt = job.checkedAt;
          checkBeforeEnd = lastCheckAt;
        }
        lastCheckAt = job.checkedAt;
      },
    });

    const feJob = emulator.state.jobs(DATABASE).at(-1);
    if (!feJob?.finishedAt) throw new Error(`cell ${spec.cluster}: the emulator job did not finish`);
    const finishedAt = feJob.finishedAt;
    if (seenFinishedAt === undefined) throw new Error(`cell ${spec.cluster}: no CheckBackup saw the end`);
    return {
      status: run.status,
      outcome: run.results[0]?.state ?? null,
      polls,
      child,
      detectionLagSeconds: (seenFinishedAt - finishedAt) / 1000,
      worstCaseLagSeconds: (seenFinishedAt - (checkBeforeEnd ?? feJob.createdAt)) / 1000,
      jobSeconds: (finishedAt - feJob.createdAt) / 1000,
      longestWaitSeconds,
      pollsByState,
    };
  } finally {
    await emulator.close();
  }
}
