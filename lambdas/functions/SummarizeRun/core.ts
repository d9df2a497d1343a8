import {
  type AlertBudget,
  type BackupAttempt,
  type CatalogStore,
  runOutcomes,
} from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import type { AppLogger } from '#domain/logger.ts';
import { PER_DATABASE_ALERT_LIMIT, shouldPostSummary } from '#domain/notify/alert-policy.ts';
import { renderMessageAsText } from '#domain/notify/render-text.ts';
import {
  buildRunSummaryMessage,
  type RunDatabaseResult,
  type RunSummary,
} from '#domain/notify/run-summary-message.ts';
import type { SlackNotifier } from '#domain/notify/slack-notifier.ts';
import type { PlanEntry, PlanStore } from '#domain/run-plan/plan-store.ts';
import type { SizeAnomaly } from '#domain/size-anomaly/check-sizes.ts';
import type { SummarizeInput } from '#domain/workflow/run-state.ts';
import { causeMessage } from '#domain/workflow/workflow-state.ts';
import type { ObservedAlert } from '#runtime/runtime.ts';

/** What SummarizeRun needs. */
export interface SummarizeRunDeps {
  readonly catalog: Pick<CatalogStore, 'listRun'>;
  /** The run's queue (every planned database), read only when some planned database has no record. */
  readonly plans: Pick<PlanStore, 'readEntries'>;
  readonly alerts: Pick<AlertBudget, 'readAlertBudget'>;
  readonly slack: Pick<SlackNotifier, 'postRunSummary'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
  readonly observe?: ((alert: ObservedAlert) => void) | undefined;
  /**
   * Judges the sizes of the run's good snapshots and warns about anomalies (lambdas/domain/size-anomaly). Runs after the
   * counts are made; whatever it finds or fails at, the run's outcome stays the same.
   */
  readonly checkSizes?: ((attempts: readonly BackupAttempt[]) => Promise<readonly SizeAnomaly[]>) | undefined;
}

/** `$.summary`: the run's counts; `failures` (FAILED + TIMED_OUT) decides whether the run fails. */
export interface RunCounts {
  readonly total: number;
  readonly finished: number;
  readonly failed: number;
  readonly timedOut: number;
  readonly skipped: number;
  readonly failures: number;
  readonly runFailed: boolean;
  readonly summaryPosted: boolean;
  /** Snapshots whose size was far from their database's usual size (a warning each; not a failure). */
  readonly sizeAnomalies?: readonly { readonly database: string; readonly kind: 'drop' | 'growth' }[];
}

/**
 * Reads the run's outcomes from the catalog (not from the Map output, which is trimmed and may be partial),
 * counts them, and posts one Slack summary only when per-database alerts were held back or the run failed
 * as a whole. A planned database with no catalog record counts as FAILED: something ended it unrecorded.
 */
export async function summarizeRun(input: SummarizeInput, deps: SummarizeRunDeps): Promise<RunCounts> {
  const scheduledTime =
    input.plan?.scheduledTime ?? input.input?.scheduledTime ?? new Date(deps.clock.now()).toISOString();
  const base = {
    cluster: input.cluster.name,
    schedule: input.schedule.name,
    scheduledTime,
    executionArn: input.run.id,
  };

  if (input.error) {
    const runError = { name: input.error.Error, message: causeMessage(input.error) };
    const summaryPosted = await post({ ...base, results: [], runError }, deps);
    return {
      total: 0,
      finished: 0,
      failed: 0,
      timedOut: 0,
      skipped: 0,
      failures: 1,
      runFailed: true,
      summaryPosted,
    };
  }

  const recorded = await runOutcomes(deps.catalog, input.run.id);
  const planned =
    (input.plan?.total ?? 0) > recorded.length ? await deps.plans.readEntries(input.run.id) : [];
  const results = runResults(planned, recorded);
  const count = (state: RunDatabaseResult['state']) =>
    results.filter((result) => result.state === state).length;
  const failures = count('FAILED') + count('TIMED_OUT');
  const budget = await deps.alerts.readAlertBudget(input.run.id);
  const postSummary = shouldPostSummary({
    failures,
    perDatabaseLimit: PER_DATABASE_ALERT_LIMIT,
    runFailedAsWhole: false,
  });
  const summaryPosted = postSummary
    ? await post({ ...base, results, alertsPosted: budget.claimed }, deps)
    : false;
  const sizeAnomalies = await checkSizes(recorded, deps);
  deps.logger.info('run summarized', { total: results.length, failures, summaryPosted });
  return {
    total: results.length,
    finished: count('FINISHED'),
    failed: count('FAILED'),
    timedOut: count('TIMED_OUT'),
    skipped: count('SKIPPED'),
    failures,
    runFailed: false,
    summaryPosted,
    ...(sizeAnomalies.length === 0 ? {} : { sizeAnomalies }),
  };
}

/** The size check, which may warn but never changes (or fails) the run. */
async function checkSizes(
  recorded: readonly BackupAttempt[],
  deps: SummarizeRunDeps,
): Promise<{ database: string; kind: 'drop' | 'growth' }[]> {
  if (deps.checkSizes === undefined) return [];
  try {
    const anomalies = await deps.checkSizes(recorded);
    return anomalies.map((anomaly) => ({ database: anomaly.database, kind: anomaly.kind }));
  } catch (error) {
    deps.logger.error('the size check failed; the run is not affected', {
      error: error instanceof Error ? error.name : String(error),
    });
    return [];
  }
}

/** One result per database: the best the run recorded (a database may have several attempts in one run). */
function runResults(planned: readonly PlanEntry[], recorded: readonly BackupAttempt[]): RunDatabaseResult[] {
  const seen = new Set(recorded.map((attempt) => attempt.database));
  const results: RunDatabaseResult[] = recorded.map((attempt) => ({
    database: attempt.database,
    state: attempt.state,
    reason: attempt.reason ?? undefined,
    label: attempt.label,
  }));
  for (const entry of planned) {
    if (seen.has(entry.database)) continue;
    results.push({
      database: entry.database,
      state: 'FAILED',
      reason: 'no catalog record: the backup execution ended without recording an outcome (see its history)',
      label: entry.label,
    });
  }
  return results.sort((a, b) => a.database.localeCompare(b.database));
}

async function post(summary: RunSummary, deps: SummarizeRunDeps): Promise<boolean> {
  const delivery = await deps.slack.postRunSummary(summary);
  if (deps.observe) {
    const message = buildRunSummaryMessage(summary, { now: deps.clock.now() });
    deps.observe({ kind: 'run-summary', text: renderMessageAsText(message), delivered: delivery.delivered });
  }
  return delivery.delivered;
}
