import type { Statement } from '#local/emulator/sql/ast.ts';
import { executionError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import { OK, type Reply } from '../result.ts';
import type { Session } from '../session.ts';

/**
 * `ADMIN SET AUTOMATED CLUSTER SNAPSHOT ON [STORAGE VOLUME sv]` / `OFF` (3.4.2+; StarRocks' Cluster Snapshot page):
 * OPERATE on SYSTEM (UNVERIFIED), shared-data clusters only (the refusal text on shared-nothing is UNVERIFIED).
 */
export function setAutomatedClusterSnapshot(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'ADMIN_SET_AUTOMATED_CLUSTER_SNAPSHOT' }>,
  session: Session,
): Reply {
  fe.access.require(session, 'OPERATE', { type: 'SYSTEM' });
  if (fe.runMode !== 'shared_data') {
    throw executionError('Automated cluster snapshot is only supported in shared-data mode');
  }
  fe.clusterSnapshots.set(statement.on, statement.storageVolume);
  return OK;
}
