import type { Statement } from '../sql/ast.ts';
import type { Frontend } from './frontend.ts';
import { OK, type Reply } from './result.ts';
import type { Session } from './session.ts';
import { adminShowConfig } from './statements/admin.ts';
import { executeBackup } from './statements/backup.ts';
import { setAutomatedClusterSnapshot } from './statements/cluster-snapshot.ts';
import { createDatabase, dropDatabase } from './statements/database.ts';
import { dropSnapshot } from './statements/drop-snapshot.ts';
import { dropPartition, showPartitions } from './statements/partitions.ts';
import { cancelRestore, executeRestore, showRestore } from './statements/restore.ts';
import { executeSelect } from './statements/select.ts';
import { executeSet } from './statements/session.ts';
import { showData, showDatabases, showRepositories, showTables } from './statements/show.ts';
import { cancelBackup, showBackup } from './statements/show-backup.ts';
import { showCreateTable } from './statements/show-create-table.ts';
import { showSnapshot } from './statements/show-snapshot.ts';

/**
 * Answers one parsed statement on `frontend`. Kept apart from {@link Frontend} so the statement modules, which read
 * the frontend's state, are not imported by it (no import cycle).
 * @throws FeError
 */
export function executeStatement(frontend: Frontend, statement: Statement, session: Session): Reply {
  frontend.settle();
  switch (statement.kind) {
    case 'SELECT':
      return executeSelect(frontend, statement, session);
    case 'USE':
      frontend.useDatabase(session, statement.database);
      return OK;
    case 'SET':
      return executeSet(frontend, statement, session);
    case 'SHOW_DATABASES':
      return showDatabases(frontend);
    case 'SHOW_TABLES':
      return showTables(frontend, statement, session);
    case 'SHOW_DATA':
      return showData(frontend, statement, session);
    case 'SHOW_REPOSITORIES':
      return showRepositories(frontend, session);
    case 'SHOW_PARTITIONS':
      return showPartitions(frontend, statement, session);
    case 'SHOW_CREATE_TABLE':
      return showCreateTable(frontend, statement, session);
    case 'ADMIN_SET_AUTOMATED_CLUSTER_SNAPSHOT':
      return setAutomatedClusterSnapshot(frontend, statement, session);
    case 'SHOW_BACKUP':
      return showBackup(frontend, statement, session);
    case 'SHOW_SNAPSHOT':
      return showSnapshot(frontend, statement, session);
    case 'CANCEL_BACKUP':
      return cancelBackup(frontend, statement, session);
    case 'BACKUP':
      return executeBackup(frontend, statement, session);
    case 'RESTORE':
      return executeRestore(frontend, statement, session);
    case 'SHOW_RESTORE':
      return showRestore(frontend, statement, session);
    case 'CANCEL_RESTORE':
      return cancelRestore(frontend, statement, session);
    case 'DROP_SNAPSHOT':
      return dropSnapshot(frontend, statement, session);
    case 'CREATE_DATABASE':
      return createDatabase(frontend, statement, session);
    case 'DROP_DATABASE':
      return dropDatabase(frontend, statement, session);
    case 'DROP_PARTITION':
      return dropPartition(frontend, statement, session);
    case 'ADMIN_SHOW_CONFIG':
      return adminShowConfig(frontend, statement, session);
  }
}
