/**
 * §1 Polling cost and detection lag: backups of 1 min … 24 h under every policy (the grid), the history
 * policies with a wrong estimate (the sweep), and a job that stalls and resumes (the stall rows).
 */
import { simulatePolling } from '#local/poll/simulate.ts';
import {
  buildPollTable,
  EMULATOR_SHAPED,
  type JobShape,
  jobModel,
  type PollTableRow,
  UPLOAD_DOMINATED,
} from '../poll-table.ts';
import { type ExecutionAccount, stepFunctionsCostUsd } from '../support/aws-history.ts';
import type { BenchTables } from '../support/local-tables.ts';
import { POLICIES, type PolicyId, type PolicySpec, policy } from './policies.ts';
import { type PollingCellSpec, runPollingCell } from './run-cell.ts';

/** One measured backup. */
export interface PollingMeasurement {
  readonly policy: PolicyId;
  /** The job's duration on the FE without a stall. */
  readonly durationSeconds: number;
  /** History median = duration × (1 + historyError); 0 when the history is right (or not used). */
  readonly historyError: number;
  readonly stall: { readonly atFraction: number; readonly seconds: number } | null;
  readonly status: string;
  readonly outcome: string | null;
  readonly polls: number;
  readonly stateTransitions: number;
  readonly lambdaInvocations: number;
  readonly historyEvents: number;
  readonly detectionLagSeconds: number;
  readonly worstCaseLagSeconds: number;
  /** Step Functions charge for 1,000 such backups at list price (the child execution). */
  readonly costPer1000BackupsUsd: number;
  /** The longest Wait chosen. */
  readonly longestWaitSeconds: number;
  /** History events by state type (Task, Wait, Choice, Pass, Execution). */
  readonly historyEventsByStateType: Readonly<Record<string, number>>;
  /** How often each state was entered. */
  readonly entered: Readonly<Record<string, number>>;
  /** CheckBackups by the StarRocks job state they saw. */
  readonly pollsByState: Readonly<Record<string, number>>;
  /**
   * What the poll policy's own pure model (local/poll/simulate.ts, as bench/poll-table.ts prints it) predicts
   * for this cell: polls and worst-case lag, for a job with the emulator's phases (states always seen, Progress
   * only for the progress policies).
   */
  readonly model: { readonly polls: number; readonly worstCaseLagSeconds: number };
}

/** Everything §1 measured. */
export interface PollingBenchResult {
  readonly durationsSeconds: readonly number[];
  readonly policies: readonly PolicyId[];
  /** Every duration × every policy; history (where used) centred on the true duration. */
  readonly grid: readonly PollingMeasurement[];
  /** The history policies when the history median is off by each error. */
  readonly sweep: {
    readonly errors: readonly number[];
    readonly measurements: readonly PollingMeasurement[];
  };
  /** Jobs that stall for `stallFraction` of their duration at `stallAt`, then resume. */
  readonly stall: {
    readonly atFraction: number;
    readonly stallFraction: number;
    readonly measurements: readonly PollingMeasurement[];
  };
  /** The pure model's table (bench/poll-table.ts) for two shapes of job, computed in the same run. */
  readonly modelTables: readonly {
    readonly shape: JobShape['id'];
    readonly description: string;
    readonly rows: readonly PollTableRow[];
  }[];
  readonly wallSeconds: number;
}

/** What §1 runs. */
export interface PollingSizes {
  /** Job durations of the grid; the sweep leaves out those under 10 minutes. */
  readonly durationsSeconds: readonly number[];
  readonly policies: readonly PolicyId[];
  /** History median = duration × (1 + error), for the history policies. */
  readonly sweepErrors: readonly number[];
  readonly sweepPolicies: readonly PolicyId[];
  readonly stallDurationsSeconds: readonly number[];
  readonly stallPolicies: readonly PolicyId[];
}

const HISTORY_POLICIES: readonly PolicyId[] = ['adaptive-history', 'adaptive-history-progress'];
// Fixed 30 s is left out of the stall rows: it polls exactly twice as often as fixed 60 s and its lag stays ≤ 30 s.
const STALL_POLICIES = POLICIES.map((spec) => spec.id).filter((id) => id !== 'fixed-30');

/** The full run and the quick (smoke-sized) one. */
export const POLLING_SIZES = {
  full: {
    durationsSeconds: [60, 600, 3600, 6 * 3600, 24 * 3600],
    policies: POLICIES.map((spec) => spec.id),
    sweepErrors: [-0.3, -0.2, -0.1, -0.05, 0.05, 0.1, 0.2, 0.3],
    sweepPolicies: HISTORY_POLICIES,
    stallDurationsSeconds: [3600, 6 * 3600],
    stallPolicies: STALL_POLICIES,
  },
  quick: {
    durationsSeconds: [600, 3600],
    policies: POLICIES.map((spec) => spec.id),
    sweepErrors: [-0.1, 0.1],
    sweepPolicies: HISTORY_POLICIES,
    stallDurationsSeconds: [3600],
    stallPolicies: STALL_POLICIES,
  },
} as const satisfies Record<string, PollingSizes>;

/** How big a run to make. */
export interface PollingBenchOptions {
  readonly sizes: PollingSizes;
  /** Progress lines (stderr). */
  readonly log?: (line: string) => void;
}
/** Where the stall hits: 44 % of the job is 40 % through the emulator's UPLOADING phase. */
const STALL_AT = 0.44;
/** How long it stalls, as a fraction of the job's normal duration. */
const STALL_FRACTION = 0.5;

/**
 * Seven earlier durations whose median is `seconds` (the policy takes the median of the newest seven),
 * scattered as real nightly durations are.
 */
export function historyAround(seconds: number): number[] {
  return [0.97, 1.02, 1, 1.04, 0.99, 0.96, 1.01].map((factor) => Math.round(seconds * factor));
}

/** The pure model's prediction for a cell (no stall: the model has none), on the emulator's timeline. */
function modelOf(cell: PollingCellSpec): PollingMeasurement['model'] {
  const { policy: spec, durationSeconds } = cell;
  const job = jobModel(EMULATOR_SHAPED, durationSeconds);
  const simulated = simulatePolling({
    durationSeconds,
    minSeconds: spec.poll.minSeconds,
    maxSeconds: spec.poll.maxSeconds,
    ...(spec.history ? { historySeconds: cell.historySeconds } : {}),
    ...(spec.baseline ? {} : { stateAt: job.stateAt }),
    ...(spec.progress && !spec.baseline ? { progressAt: job.progressAt } : {}),
  });
  return { polls: simulated.polls, worstCaseLagSeconds: simulated.worstLagSeconds };
}

function measurement(
  cell: PollingCellSpec,
  historyError: number,
  result: Awaited<ReturnType<typeof runPollingCell>>,
): PollingMeasurement {
  const account: ExecutionAccount = result.child;
  return {
    policy: cell.policy.id,
    durationSeconds: cell.durationSeconds,
    historyError,
    stall: cell.stall ?? null,
    status: result.status,
    outcome: result.outcome,
    polls: result.polls,
    stateTransitions: account.stateTransitions,
    lambdaInvocations: account.lambdaInvocations,
    historyEvents: account.historyEvents,
    detectionLagSeconds: result.detectionLagSeconds,
    worstCaseLagSeconds: result.worstCaseLagSeconds,
    costPer1000BackupsUsd: stepFunctionsCostUsd(account.stateTransitions) * 1000,
    longestWaitSeconds: result.longestWaitSeconds,
    historyEventsByStateType: account.eventsByStateType,
    entered: account.entered,
    pollsByState: result.pollsByState,
    model: modelOf(cell),
  };
}

/** Runs §1 against `tables` (a fresh emulator per cell). */
export async function runPollingBench(
  tables: BenchTables,
  options: PollingBenchOptions,
): Promise<PollingBenchResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const { sizes } = options;
  let cellNumber = 0;

  const measure = async (
    spec: PolicySpec,
    durationSeconds: number,
    historyError: number,
    stall?: PollingCellSpec['stall'],
  ): Promise<PollingMeasurement> => {
    cellNumber += 1;
    const cell: PollingCellSpec = {
      cluster: `poll${cellNumber}`,
      policy: spec,
      durationSeconds,
      historySeconds: historyAround(durationSeconds * (1 + historyError)),
      ...(stall ? { stall } : {}),
    };
    const t0 = performance.now();
    const result = measurement(cell, historyError, await runPollingCell(cell, tables));
    log(
      `  ${spec.label.padEnd(30)} ${String(durationSeconds).padStart(6)} s` +
        `${historyError ? ` history ${historyError > 0 ? '+' : ''}${Math.round(historyError * 100)}%` : ''}` +
        `${stall ? ' stall' : ''}: ${result.polls} polls, lag ${result.detectionLagSeconds} s` +
        ` (${Math.round(performance.now() - t0)} ms)`,
    );
    return result;
  };

  log('§1 polling: grid');
  const grid: PollingMeasurement[] = [];
  for (const durationSeconds of sizes.durationsSeconds) {
    for (const id of sizes.policies) grid.push(await measure(policy(id), durationSeconds, 0));
  }

  log('§1 polling: history off by ±N %');
  const sweep: PollingMeasurement[] = [];
  // A 1-minute job is over by the second check whatever the history says; the sweep starts at 10 minutes.
  for (const durationSeconds of sizes.durationsSeconds.filter((seconds) => seconds >= 600)) {
    for (const id of sizes.sweepPolicies) {
      for (const error of sizes.sweepErrors) sweep.push(await measure(policy(id), durationSeconds, error));
    }
  }

  log('§1 polling: a job that stalls and resumes');
  const stalled: PollingMeasurement[] = [];
  for (const durationSeconds of sizes.stallDurationsSeconds) {
    const stall = { atFraction: STALL_AT, seconds: Math.round(durationSeconds * STALL_FRACTION) };
    for (const id of sizes.stallPolicies) stalled.push(await measure(policy(id), durationSeconds, 0, stall));
  }

  return {
    durationsSeconds: sizes.durationsSeconds,
    policies: sizes.policies,
    grid,
    sweep: { errors: sizes.sweepErrors, measurements: sweep },
    stall: { atFraction: STALL_AT, stallFraction: STALL_FRACTION, measurements: stalled },
    modelTables: [UPLOAD_DOMINATED, EMULATOR_SHAPED].map((shape) => ({
      shape: shape.id,
      description: shape.description,
      rows: buildPollTable(shape),
    })),
    wallSeconds: (performance.now() - started) / 1000,
  };
}
