import { DescribeExecutionCommand, ExecutionDoesNotExist, type SFNClient } from '@aws-sdk/client-sfn';
import type { HolderLiveness } from '#domain/lock/index.ts';

/** How long a "running" answer is trusted: a full set of slots would otherwise cost one call per slot per retry. */
const RUNNING_CACHE_MS = 20_000;

const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:/;

/**
 * Whether the execution that holds a lock or slot still runs, by DescribeExecution. A holder that is not an
 * execution ARN, or one this role may not describe, is `unknown`: only then does its lease expiry decide.
 *
 * RUNNING and PENDING_REDRIVE count as running: a redrive resumes the execution with the leases it held
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
 */
export function createExecutionLiveness(
  sfn: () => Promise<SFNClient>,
  now: () => number = Date.now,
): (executionArn: string) => Promise<HolderLiveness> {
  const runningUntil = new Map<string, number>();
  return async (executionArn) => {
    if (!EXECUTION_ARN.test(executionArn)) return 'unknown';
    const cachedUntil = runningUntil.get(executionArn);
    if (cachedUntil !== undefined && cachedUntil > now()) return 'running';
    try {
      const described = await (await sfn()).send(new DescribeExecutionCommand({ executionArn }));
      const running = described.status === 'RUNNING' || described.status === 'PENDING_REDRIVE';
      if (running) runningUntil.set(executionArn, now() + RUNNING_CACHE_MS);
      return running ? 'running' : 'ended';
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return 'ended';
      if (error instanceof Error && error.name === 'AccessDeniedException') return 'unknown';
      throw error;
    }
  };
}
