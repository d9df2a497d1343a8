import type { HolderLiveness } from '#domain/lock/index.ts';

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

/** The region local executions carry: it names the process that runs them, so others can tell if it died. */
export function localRegion(pid: number = process.pid): string {
  return `local-${pid}`;
}

const LOCAL_REGION_IN_ARN = /^arn:aws:states:local-(\d+):/;

/** Whether an id is the ARN of a local execution (of this or another local process). */
export function isLocalExecutionArn(executionArn: string): boolean {
  return LOCAL_REGION_IN_ARN.test(executionArn);
}

/**
 * Liveness as DescribeExecution would answer it for lock takeover. An execution of this process runs only while
 * RUNNING; one of another local process (a `sr-backup run` sharing a --state-dir or endpoint) runs while that
 * process exists, so a run killed with Ctrl-C does not block the next one. Any other id (a deployed execution)
 * is `unknown` here: only its lease expiry frees the lock.
 */
export async function localExecutionLiveness(executionArn: string): Promise<HolderLiveness> {
  const record = executions.get(executionArn);
  if (record) return record.status === 'RUNNING' ? 'running' : 'ended';
  const pid = Number(LOCAL_REGION_IN_ARN.exec(executionArn)?.[1] ?? Number.NaN);
  if (Number.isNaN(pid)) return 'unknown';
  if (pid === process.pid) return 'ended';
  return processExists(pid) ? 'running' : 'ended';
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lease holder of this process that is not a state machine execution (`sr-backup restore --execute`). */
export interface LocalHolder {
  /** The holder id written to locks and slots: an execution ARN of this process, so liveness checks know it. */
  readonly arn: string;
  /** Marks the holder ended: from then on its leases may be taken over at once. */
  end(): void;
}

/**
 * Registers a holder that is alive while this process runs and `end` was not called, exactly as a local
 * execution is: another local process sharing the tables sees it alive while this process exists.
 */
export function registerLocalHolder(kind: string, name: string, accountId = '000000000000'): LocalHolder {
  const arn = `arn:aws:states:${localRegion()}:${accountId}:execution:${kind}:${name}`;
  const record: LocalExecutionRecord = {
    executionArn: arn,
    stateMachineArn: `arn:aws:states:${localRegion()}:${accountId}:stateMachine:${kind}`,
    name,
    inputJson: '{}',
    status: 'RUNNING',
    done: Promise.resolve(undefined),
  };
  registerExecution(record);
  return {
    arn,
    end: () => {
      record.status = 'SUCCEEDED';
    },
  };
}
