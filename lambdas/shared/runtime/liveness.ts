import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { onRuntimeReset, runtimeOverrides } from './context.ts';

/** How long an "alive" answer is trusted: a full set of slots would otherwise cost one call per slot per retry. */
const ALIVE_CACHE_MS = 20_000;

let sfn: SFNClient | undefined;
const aliveUntil = new Map<string, number>();

onRuntimeReset(() => {
  sfn?.destroy();
  sfn = undefined;
  aliveUntil.clear();
});

/**
 * Whether the execution that holds a lock or slot is still running: DescribeExecution deployed, the local
 * runner's registry locally. Only a definite "not running" lets a holder be taken over before its lease ends.
 */
export async function isExecutionRunning(executionArn: string): Promise<boolean> {
  const local = runtimeOverrides().isHolderAlive;
  if (local) return local(executionArn);
  if (!executionArn.startsWith('arn:')) return true;
  const cachedUntil = aliveUntil.get(executionArn);
  if (cachedUntil !== undefined && cachedUntil > Date.now()) return true;
  sfn ??= new SFNClient({});
  try {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const alive = described.status === 'RUNNING' || described.status === 'PENDING_REDRIVE';
    if (alive) aliveUntil.set(executionArn, Date.now() + ALIVE_CACHE_MS);
    return alive;
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return false;
    throw error;
  }
}
