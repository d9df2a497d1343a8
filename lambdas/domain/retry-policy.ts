/**
 * The one retry policy: which errors a later attempt may not meet again. The ASL files carry it in their Retry
 * lists (JSON has no includes; statemachines/retry-policy.ts rewrites and checks them from here), and TypeScript
 * reads the same lists where it must tell a passing failure from a lasting one ({@link isTransient}).
 */

/**
 * Errors of the Lambda service or of the function's sandbox that a later attempt usually does not meet again.
 * The first four are what Step Functions recommends retrying
 * (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html); the rest are our choice.
 */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  // Throttled: the account's concurrency is shared with other workloads, and the backoff gives it time to free up.
  'Lambda.TooManyRequestsException',
  // The function's own timer fired (it is set below the Task's): a hung connection, not a wrong input, and every
  // Task is safe to repeat because its writes are fenced by the lease token (docs/locking.md).
  'Sandbox.Timedout',
  // How Step Functions reports an unhandled function error such as a timeout or running out of memory on some runtimes.
  'Lambda.Unknown',
] as const;

/** One Lambda error name of the shared list. */
export type LambdaTransientError = (typeof LAMBDA_TRANSIENT_ERRORS)[number];

/**
 * Our errors that say "not now" about a dependency: the FE, Secrets Manager or an AWS API did not answer. A Task's
 * transient Retrier (the one that also names the Lambda errors) lists some of these, never another of ours.
 */
export const TRANSIENT_ERRORS = [
  'StarRocksUnavailableError',
  'StarRocksTimeoutError',
  'SecretUnavailableError',
  'DependencyUnavailableError',
] as const;

/**
 * Our errors that say "someone else is busy": a held lock or slot, or a job StarRocks already runs on the database.
 * Each is retried by its own Retrier with its own pacing (long waits, many attempts), then caught as SKIPPED.
 */
export const CONTENTION_ERRORS = [
  'LockHeldError',
  'SlotUnavailableError',
  'BackupAlreadyRunningError',
  'BackupSubmitBusyError',
] as const;

const TRANSIENT: ReadonlySet<string> = new Set(TRANSIENT_ERRORS);

/**
 * True when `error` is one the ASL retries as transient (a dependency that did not answer): a caller that degrades
 * gracefully on other failures lets this one through, so the Task is retried as the ASL would retry it.
 */
export function isTransient(error: unknown): boolean {
  return error instanceof Error && TRANSIENT.has(error.name);
}
