/**
 * Errors shaped as AWS Step Functions reports them, so the local runner fails the way AWS would:
 * the interpreter turns a thrown error's `name` into the ASL `Error` and its `message` into `Cause`.
 */

/**
 * Errors no Retry or Catch may handle, `States.ALL` included: the execution fails with them.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-error-representation
 */
export const UNCATCHABLE_ERRORS: ReadonlySet<string> = new Set([
  'States.DataLimitExceeded',
  'States.Runtime',
]);

/**
 * An error the interpreter hands to Retry/Catch with exactly this Error name and Cause text, unless its name is one
 * AWS never lets a Retry or Catch see: aws-local-stepfunctions reads `isRetryable` / `isCatchable` (true when
 * absent) before it matches any ErrorEquals, so those fail the execution there and then, as on AWS.
 */
export class StatesTaskError extends Error {
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;

  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
    this.isRetryable = !UNCATCHABLE_ERRORS.has(errorName);
    this.isCatchable = this.isRetryable;
  }
}

/**
 * What Lambda reports for a function error: `Error` is the error's `name` (errorType), and `Cause` is
 * a JSON document with errorType, errorMessage and trace — not the bare message the interpreter would give.
 */
export function lambdaFunctionError(error: unknown): StatesTaskError {
  const source = error instanceof Error ? error : new Error(String(error));
  const errorType = source.name || 'Error';
  const cause = JSON.stringify({
    errorType,
    errorMessage: source.message,
    trace: (source.stack ?? '').split('\n'),
  });
  return new StatesTaskError(errorType, cause);
}

/** A Step Functions API error as a service integration surfaces it (`StepFunctions.<Code>`). */
export function stepFunctionsApiError(code: string, message: string): StatesTaskError {
  return new StatesTaskError(`StepFunctions.${code}`, message);
}

/** The hard 256 KB state payload limit (UTF-8 bytes). */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** The execution-name limit: 1–80 characters; we hold ourselves to the CloudWatch-safe alphabet. */
export const EXECUTION_NAME_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

/** UTF-8 size of a JSON value as Step Functions measures payloads. */
export function payloadBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}

/** Where a payload passed the limit: a Task's input after Parameters, a Task's raw result, or a state's output. */
export type PayloadKind = 'input' | 'result' | 'output';

/**
 * Raised when a payload passes 256 KiB: a Task's input after Parameters, a Task's raw result (before ResultSelector
 * and ResultPath), or a state's output. Neither retried nor caught (`States.ALL` included): the execution fails.
 */
export class DataLimitExceededError extends StatesTaskError {
  constructor(where: string, bytes: number, kind: PayloadKind = 'output') {
    super(
      'States.DataLimitExceeded',
      kind === 'input'
        ? `The input of state '${where}' after Parameters has a size exceeding the maximum number of bytes service limit (${bytes} > ${MAX_PAYLOAD_BYTES}).`
        : `The state/task '${where}' returned a result with a size exceeding the maximum number of bytes service limit (${bytes} > ${MAX_PAYLOAD_BYTES}).`,
    );
  }
}
