/**
 * When a run speaks on Slack (design, "Outcomes"):
 *
 * - Each FAILED or TIMED_OUT database posts one message at once, from its own BackupDatabase execution,
 *   but at most {@link PER_DATABASE_ALERT_LIMIT} per run. Executions run in parallel, so the budget is a
 *   shared counter: before posting, the notifier calls `claimAlertSlot()` (an atomic conditional
 *   increment on the run's item in DynamoDB: `count < limit`). `true` means "post", `false` means the
 *   budget is spent and the failure waits for the summary. The claim is made only when a webhook is
 *   configured, right before delivery; if the claim itself fails (DynamoDB unreachable) the notifier posts
 *   anyway, because a duplicate alert is cheaper than a missed one.
 * - SummarizeRun posts one summary only when alerts were held back (more failures than the limit) or
 *   the run failed as a whole (before any database). A single failed database therefore produces
 *   exactly one message, and a clean run none.
 */

/** At most this many per-database alerts per run; the rest are listed in the summary. */
export const PER_DATABASE_ALERT_LIMIT = 3;

/** What SummarizeRun knows when it decides. */
export interface SummaryDecisionInput {
  /** Databases of the run that ended FAILED or TIMED_OUT. */
  failures: number;
  /** The per-database alert budget of the run ({@link PER_DATABASE_ALERT_LIMIT}). */
  perDatabaseLimit: number;
  /** True when the run failed before any database (nothing else will have alerted). */
  runFailedAsWhole: boolean;
}

/** True when the run summary must be posted: alerts were held back, or the run failed as a whole. */
export function shouldPostSummary({
  failures,
  perDatabaseLimit,
  runFailedAsWhole,
}: SummaryDecisionInput): boolean {
  return runFailedAsWhole || failures > Math.max(0, perDatabaseLimit);
}
