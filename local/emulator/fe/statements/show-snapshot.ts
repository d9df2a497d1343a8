import type { Expr, Statement } from '#local/emulator/sql/ast.ts';
import { analyzerError } from '../errors.ts';
import type { Frontend } from '../frontend.ts';
import { jsonObject, orgJsonToString } from '../java-compat.ts';
import type { RepositoryState, SnapshotDirectory, SnapshotInfoFile } from '../repository.ts';
import { type Cell, type Reply, varcharResult } from '../result.ts';
import type { Session } from '../session.ts';

const WHERE_SHAPE =
  "Where clause should looks like: SNAPSHOT = 'your_snapshot_name' [AND TIMESTAMP = '2018-04-18-19-19-10']";
/** FeConstants.META_VERSION / STARROCKS_META_VERSION written into job info files. UNVERIFIED values. */
const META_VERSION = 92;
const STARROCKS_META_VERSION = 4;

interface SnapshotFilter {
  snapshotName?: string;
  timestamp?: string;
  names: string[];
}

/** ShowSnapshotAnalyzer.analyzeSubExpr: `<column> <any comparison> '<string>'`, column SNAPSHOT or TIMESTAMP. */
function analyzeComparison(expr: Expr, filter: SnapshotFilter): boolean {
  if (expr.type !== 'comparison') return false;
  if (expr.left.type !== 'column' || expr.right.type !== 'string') return false;
  const column = (expr.left.parts[expr.left.parts.length - 1] as string).toLowerCase();
  const value = expr.right.value;
  if (value === '') return false;
  if (column === 'snapshot') filter.snapshotName = value;
  else if (column === 'timestamp') filter.timestamp = value;
  else return false;
  return true;
}

/** ShowSnapshotAnalyzer (3.0+ with `SNAPSHOT IN (…)`). Other predicate kinds pass unchecked, as in StarRocks. */
function analyzeWhere(where: Expr | undefined): SnapshotFilter {
  const filter: SnapshotFilter = { names: [] };
  if (where === undefined) return filter;
  let ok = true;
  if (where.type === 'comparison') {
    ok = analyzeComparison(where, filter);
  } else if (where.type === 'and') {
    ok = analyzeComparison(where.left, filter) && analyzeComparison(where.right, filter);
  } else if (where.type === 'or' || where.type === 'not') {
    ok = false;
  } else if (where.type === 'in') {
    const left = where.value;
    if (
      left.type !== 'column' ||
      (left.parts[left.parts.length - 1] as string).toLowerCase() !== 'snapshot'
    ) {
      throw analyzerError('Left expr of should be snapshot');
    }
    for (const item of where.list) {
      if (item.type !== 'string') throw analyzerError('Child of in predicate should be string value');
      if (item.value !== '') filter.names.push(item.value);
    }
  }
  if (ok && !filter.snapshotName && filter.timestamp) ok = false;
  if (!ok) throw analyzerError(WHERE_SHAPE);
  return filter;
}

/**
 * Repository.getSnapshotInfo(name, null): every info timestamp, or `ERROR: no snapshot`; when the listing itself fails,
 * Timestamp NULL and `ERROR: Failed to get info: <err>` (backup/Repository.getSnapshotInfo).
 */
function briefRow(
  name: string,
  directory: SnapshotDirectory | undefined,
  failures: ReadonlyMap<string, string>,
): Cell[] {
  const listingFailure = failures.get(name);
  if (listingFailure !== undefined) return [name, null, `ERROR: Failed to get info: ${listingFailure}`];
  const timestamps = directory?.infoFiles.map((file) => file.timestamp) ?? [];
  return [name, timestamps.join('\n'), timestamps.length === 0 ? 'ERROR: no snapshot' : 'OK'];
}

/**
 * BackupJobInfo.getBrief(): `toJson(false).toString(1)` with org.json's HashMap key order.
 * UNVERIFIED: the layout follows the source (name, database, backup_time, backup_objects → table →
 * partitions → {}, meta versions, backup_result); it has not been compared with a real FE's output.
 */
function briefJson(name: string, file: SnapshotInfoFile): string {
  const objects = file.tables.map(
    (table) =>
      [
        table.name,
        // Only the partitions the snapshot holds (a partition BACKUP's selectiveCopy), names only (research §6).
        jsonObject([
          [
            'partitions',
            jsonObject(
              table.type === 'VIEW'
                ? []
                : table.partitions.map((partition) => [partition.name, jsonObject([])] as const),
            ),
          ],
        ]),
      ] as const,
  );
  return orgJsonToString(
    jsonObject([
      ['name', name],
      ['database', file.database],
      ['backup_time', file.createdAt],
      ['backup_objects', jsonObject(objects)],
      ['meta_version', META_VERSION],
      ['starrocks_meta_version', STARROCKS_META_VERSION],
      ['backup_result', 'succeed'],
    ]),
    1,
  );
}

/** Repository.getSnapshotInfo(name, timestamp): downloads `__info_<timestamp>` (listing by prefix first). */
function detailRow(
  repository: RepositoryState,
  name: string,
  timestamp: string,
  directory: SnapshotDirectory | undefined,
): Cell[] {
  const info = repository.readInfo(directory, name, timestamp);
  if ('error' in info) return [name, timestamp, null, null, `Failed to get info: ${info.error}`];
  return [name, timestamp, info.file.database, briefJson(name, info.file), 'OK'];
}

/**
 * `SHOW SNAPSHOT ON repo [WHERE …]`: `Snapshot, Timestamp, Status`, or with name and timestamp the detail form.
 * Analyzer (repository, WHERE), then the REPOSITORY privilege (AuthorizerStmtVisitor).
 */
export function showSnapshot(
  fe: Frontend,
  statement: Extract<Statement, { kind: 'SHOW_SNAPSHOT' }>,
  session: Session,
): Reply {
  const repository = fe.repositories.get(statement.repository);
  if (!repository)
    throw analyzerError(`Repository [${statement.repository}] does not exist`, 'ERR_COMMON_ERROR');
  const filter = analyzeWhere(statement.where);
  fe.access.require(session, 'REPOSITORY', { type: 'SYSTEM' });
  const directories = repository.directories(fe.contributions(repository.name));
  const find = (name: string) => directories.find((directory) => directory.name === name);

  if (filter.snapshotName && filter.timestamp) {
    return varcharResult(
      ['Snapshot', 'Timestamp', 'Database', 'Details', 'Status'],
      [detailRow(repository, filter.snapshotName, filter.timestamp, find(filter.snapshotName))],
    );
  }
  let rows: Cell[][];
  if (filter.names.length > 0) {
    // UNVERIFIED: with `SNAPSHOT IN (…)` each listed name gets a row in the given order.
    rows = filter.names.map((name) => briefRow(name, find(name), repository.listingFailures));
  } else if (filter.snapshotName) {
    rows = [briefRow(filter.snapshotName, find(filter.snapshotName), repository.listingFailures)];
  } else {
    rows = directories.map((directory) => briefRow(directory.name, directory, repository.listingFailures));
  }
  return varcharResult(['Snapshot', 'Timestamp', 'Status'], rows);
}
