/**
 * SHOW SNAPSHOT rows (backup/Repository.getSnapshotInfo). Timestamps are kept verbatim
 * (`yyyy-MM-dd-HH-mm-ss-SSS`, the job's CreateTime in the FE JVM's zone: backup/Repository.jobInfoFileNameWithTimestamp
 * formats it with a SimpleDateFormat that sets no zone, so the session's `time_zone` does not apply): RESTORE needs
 * them exactly.
 */
import { type ResultTable, readRows } from './result-table.ts';

/** One row of `SHOW SNAPSHOT ON repo WHERE SNAPSHOT = '...'`. */
export interface SnapshotInfo {
  readonly snapshot: string;
  /** The Timestamp cell verbatim: every `__info_` timestamp joined by `\n`, `""` or NULL when there is none. */
  readonly timestampText: string | null;
  /** The same, split: one entry per completed upload of this label. */
  readonly timestamps: readonly string[];
  /** `OK`, `ERROR: no snapshot`, `ERROR: Failed to get info: …`, `Invalid: <file>`. */
  readonly status: string;
  /** True when the status is exactly `OK` (at least one info file exists: the snapshot is complete). */
  readonly ok: boolean;
}

/** One row of the detail form (`... AND TIMESTAMP = '...'`), which names the database. */
export interface SnapshotDetail {
  readonly snapshot: string;
  readonly timestamp: string | null;
  /** The backed-up database; `null` when the FE could not read the snapshot's info. */
  readonly database: string | null;
  /** The FE's JSON description of the snapshot, verbatim (layout unverified). */
  readonly details: string | null;
  readonly status: string;
  readonly ok: boolean;
}

function isOk(status: string): boolean {
  return status.trim() === 'OK';
}

/** Parses every row of the short form. */
export function parseSnapshotInfos(table: ResultTable): SnapshotInfo[] {
  return readRows(table, 'SHOW SNAPSHOT', ['Snapshot', 'Timestamp', 'Status']).map((row) => {
    const timestampText = row.nullable('Timestamp');
    const status = row.nullable('Status') ?? '';
    return {
      snapshot: row.text('Snapshot'),
      timestampText,
      timestamps: (timestampText ?? '')
        .split('\n')
        .map((timestamp) => timestamp.trim())
        .filter((timestamp) => timestamp.length > 0),
      status,
      ok: isOk(status),
    };
  });
}

/** Parses every row of the detail form. */
export function parseSnapshotDetails(table: ResultTable): SnapshotDetail[] {
  return readRows(table, 'SHOW SNAPSHOT', ['Snapshot', 'Timestamp', 'Database', 'Details', 'Status']).map(
    (row) => {
      const status = row.nullable('Status') ?? '';
      return {
        snapshot: row.text('Snapshot'),
        timestamp: row.nullable('Timestamp'),
        database: row.nullable('Database'),
        details: row.nullable('Details'),
        status,
        ok: isOk(status),
      };
    },
  );
}
