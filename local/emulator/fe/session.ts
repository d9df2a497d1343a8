import type { BackupJobRecord } from './backup-job.ts';
import type { RestoreJobRecord } from './restore-job.ts';
import type { FeTimeZone } from './time-zone.ts';

/** A connection's session state. */
export interface Session {
  readonly connectionId: number;
  user: string;
  /** The client's address as the FE sees it (PrivilegeCheckerV2 texts name it). */
  remoteIp: string;
  database: string | undefined;
  /** The session's `time_zone` after a `SET time_zone`; the global default until then. */
  timeZone?: FeTimeZone;
}

/** A job in a database's backup/restore slot. */
export type SlotJob = BackupJobRecord | RestoreJobRecord;
