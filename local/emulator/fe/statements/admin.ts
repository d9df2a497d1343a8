import type { Statement } from '#local/emulator/sql/ast.ts';
import type { Frontend } from '../frontend.ts';
import { type Reply, varcharResult } from '../result.ts';
import type { Session } from '../session.ts';
import { likeToRegExp } from './like.ts';

/** sql/ast/AdminShowConfigStmt.java TITLE_NAMES. */
const CONFIG_COLUMNS = ['Key', 'AliasNames', 'Value', 'Type', 'IsMutable', 'Comment'];

/**
 * The FE configs the emulator reports (common/Config.java; the Comment cells and the order of the rows are
 * UNVERIFIED). ConfigBase.getConfigInfo prints each as `[name, Arrays.toString(aliases), value,
 * field type's simple name, mutable, comment]`.
 */
function configs(fe: Frontend): string[][] {
  return [
    ['run_mode', '[]', fe.runMode, 'String', 'false', ''],
    ['backup_job_default_timeout_ms', '[]', '86400000', 'long', 'true', ''],
    ['history_job_keep_max_second', '[]', '604800', 'int', 'true', ''],
    ['label_clean_interval_second', '[]', '14400', 'int', 'false', ''],
    ['enable_backup_materialized_view', '[]', 'true', 'boolean', 'true', ''],
  ];
}

/**
 * `ADMIN SHOW FRONTEND CONFIG [LIKE 'pattern']`: OPERATE on SYSTEM, then the matching configs. A client tells
 * shared-data from shared-nothing clusters by the `run_mode` row (server/RunMode.java: `shared_nothing` or
 * `shared_data`). The pattern matches the key case-insensitively (PatternMatcher; case rule UNVERIFIED).
 */
export function adminShowConfig(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'ADMIN_SHOW_CONFIG' }>,
  session: Session,
): Reply {
  fe.access.require(session, 'OPERATE', { type: 'SYSTEM' });
  const pattern = statement.pattern === undefined ? undefined : likeToRegExp(statement.pattern, 'i');
  return varcharResult(
    CONFIG_COLUMNS,
    configs(fe).filter(([key]) => pattern === undefined || pattern.test(key as string)),
  );
}
