/**
 * Errors shaped as AWS Step Functions reports them, so the local runner fails the way AWS would:
 * the interpreter turns a thrown error's `name` into the ASL `Error` and its `message` into `Cause`.
 */

/** An error the interpreter hands to Retry/Catch with exactly this Error name and Cause text. */
export class StatesTaskError extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
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

/** Raised (and fails the execution, uncatchable as on AWS) when a state's payload exceeds 256 KB. */
export class DataLimitExceededError extends Error {
  override readonly name = 'States.DataLimitExceeded';

  constructor(where: string, bytes: number) {
    super(
      `The state/task '${where}' returned a result with a size exceeding the maximum number of bytes service limit (${bytes} > ${MAX_PAYLOAD_BYTES}).`,
    );
  }
}
