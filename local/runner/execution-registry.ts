/**
 * Every execution the local runner has started in this process, keyed by ARN. It answers the two
 * questions AWS would: is this execution still running (lock takeover liveness), and is this name
 * already used on this state machine (names stay reserved after an execution closes).
 */
export type LocalExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

/** One execution as the registry knows it. */
export interface LocalExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly inputJson: string;
  status: LocalExecutionStatus;
  /** Resolves when the execution closes; shared by StartExecution calls that AWS treats as idempotent. */
  readonly done: Promise<unknown>;
}

const executions = new Map<string, LocalExecutionRecord>();

/** Registers a new execution. */
export function registerExecution(record: LocalExecutionRecord): void {
  executions.set(record.executionArn, record);
}

/** Looks an execution up by ARN. */
export function findExecution(executionArn: string): LocalExecutionRecord | undefined {
  return executions.get(executionArn);
}

/**
 * Liveness as DescribeExecution would answer it for lock takeover: an execution this process knows
 * is alive only while RUNNING. An id this process never started (another local process, a deployed
 * execution) is assumed alive, so only its lease expiry can free the lock.
 */
export async function isExecutionAlive(executionArn: string): Promise<boolean> {
  const record = executions.get(executionArn);
  return record === undefined ? true : record.status === 'RUNNING';
}
