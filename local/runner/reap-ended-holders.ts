import type { Clock } from '#domain/clock.ts';
import type { ClusterSettings } from '#domain/config/index.ts';
import { createLockStore } from '#domain/lock/index.ts';
import { createDocumentClient } from '../dynamo/index.ts';
import type { LocalTables } from '../runtime.ts';
import { isLocalExecutionArn, localExecutionLiveness } from './execution-registry.ts';
import type { LocalWorkflow } from './local-workflow.ts';

/**
 * What EventBridge does deployed for an execution that ended without cleaning up, done late for local runs whose
 * process died (Ctrl-C twice, a kill, a crash): nothing reported their end, so before a run starts, every lock or
 * slot of the cluster held by an ended local execution is settled by the same SettleExecution machine (its job
 * cancelled or proven, its attempt recorded, its leases released). Holders of other processes that still run, and
 * holders that are not local executions, are left alone.
 * @returns the holders settled.
 */
export async function reapEndedLocalHolders(request: {
  readonly workflow: LocalWorkflow;
  readonly tables: LocalTables;
  readonly cluster: ClusterSettings;
  readonly clock: Clock;
}): Promise<string[]> {
  const client = createDocumentClient(request.tables.endpoint);
  let ended: string[];
  try {
    const locks = createLockStore({
      client,
      tableName: request.tables.locksTableName,
      clock: request.clock,
      livenessOf: localExecutionLiveness,
    });
    const held = await locks.listHeld(request.cluster.name);
    const holders = new Set(
      [...held.locks, ...held.slots].flatMap((lease) => (lease.holder === null ? [] : [lease.holder])),
    );
    ended = [];
    for (const holder of holders) {
      if (isLocalExecutionArn(holder) && (await localExecutionLiveness(holder)) === 'ended')
        ended.push(holder);
    }
  } finally {
    client.destroy();
  }
  for (const holder of ended) {
    await request.workflow.reportLateEnd(holder, { cluster: request.cluster });
  }
  return ended;
}
