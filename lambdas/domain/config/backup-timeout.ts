/**
 * StarRocks' own BACKUP `timeout` property, derived from our deadline.
 *
 * Our deadline (`timeoutSeconds`, measured from our submit time) decides: at the first check past it we send
 * CANCEL BACKUP. StarRocks' timeout is only the safety net for when we cannot (the workflow died, the FE was
 * unreachable), so it must not fire first. The margin covers the lag between the deadline and the check that
 * notices it (a poll interval, plus Lambda retries): 10 % of the deadline, at least 5 minutes, at most 1 hour.
 * StarRocks refuses timeouts under 600 s and counts in whole seconds.
 */

/** Smallest `timeout` StarRocks accepts for BACKUP (`timeout must be at least 10 min`). */
export const MIN_BACKUP_TIMEOUT_SECONDS = 600;
const MARGIN_FRACTION = 0.1;
const MIN_MARGIN_SECONDS = 300;
const MAX_MARGIN_SECONDS = 3600;

/**
 * The BACKUP `timeout` property (whole seconds) for a deadline of `deadlineSeconds`:
 * `max(600, ceil(deadline + clamp(10 % of deadline, 300, 3600)))`. For the default 86,400 s deadline it is 90,000 s.
 */
export function backupTimeoutPropertySeconds(deadlineSeconds: number): number {
  if (!Number.isFinite(deadlineSeconds) || deadlineSeconds <= 0) {
    throw new RangeError(`deadline must be a positive number of seconds, got ${deadlineSeconds}`);
  }
  const margin = Math.min(
    MAX_MARGIN_SECONDS,
    Math.max(MIN_MARGIN_SECONDS, deadlineSeconds * MARGIN_FRACTION),
  );
  return Math.max(MIN_BACKUP_TIMEOUT_SECONDS, Math.ceil(deadlineSeconds + margin));
}
