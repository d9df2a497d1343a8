import type { BackupOutcome, RestoreOutcome } from './scenario.ts';

/** Selects statements by their text: a substring (case-insensitive), a RegExp, or a predicate. */
export type StatementMatcher = string | RegExp | ((sql: string) => boolean);

/** Where a BACKUP stops advancing, and for how long (see {@link EmulatorFaults.stallBackup}). */
export interface BackupStall {
  /** How far into the job's duration it stops, 0 ≤ atFraction < 1 (0.44 is 40 % through UPLOADING). */
  readonly atFraction: number;
  /** How long it stands still before it resumes where it stopped, ms of the emulator clock. */
  readonly forMs: number;
}

/** Why injected BACKUP rejections fail. */
export type BackupRejection = 'already-running' | 'being-submitted';

interface Counted {
  remaining: number;
}

interface ConnectionDrop extends Counted {
  matches: (sql: string) => boolean;
  when: 'before' | 'after';
}

interface StatementFailure extends Counted {
  matches: (sql: string) => boolean;
  message: string;
}

interface ReplyDelay extends Counted {
  matches: (sql: string) => boolean;
  delayMs: number;
}

/** What became of a {@link EmulatorFaults.floodResult} answer; read it once `settled` resolved. */
export interface FloodReport {
  /** Rows handed to the socket so far (written with backpressure: at most a socket buffer ahead of the client). */
  readonly rowsWritten: number;
  /** True once every row and the closing EOF were written; false while writing or after the client went away. */
  readonly completed: boolean;
  /** Resolves when the flood ended: every row written, or the connection closed under it. */
  readonly settled: Promise<void>;
}

/** The writer's side of a {@link FloodReport}. */
export interface Flood {
  readonly rows: number;
  readonly report: FloodReport;
  wrote(rows: number): void;
  finish(completed: boolean): void;
}

interface PendingFlood extends Counted {
  matches: (sql: string) => boolean;
  rows: number;
  reports: Flood[];
}

function newFlood(rows: number): Flood {
  let rowsWritten = 0;
  let completed = false;
  let resolveSettled: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => {
    resolveSettled = resolve;
  });
  return {
    rows,
    report: {
      get rowsWritten() {
        return rowsWritten;
      },
      get completed() {
        return completed;
      },
      settled,
    },
    wrote(count) {
      rowsWritten += count;
    },
    finish(done) {
      completed = done;
      resolveSettled();
    },
  };
}

interface Rejection extends Counted {
  reason: BackupRejection;
  wrapUnexpectedException: boolean;
}

function toPredicate(matcher: StatementMatcher): (sql: string) => boolean {
  if (typeof matcher === 'function') return matcher;
  if (matcher instanceof RegExp) return (sql) => matcher.test(sql);
  const needle = matcher.toLowerCase();
  return (sql) => sql.toLowerCase().includes(needle);
}

/** The fault-injection surface of {@link EmulatorHandle.faults}. */
export interface EmulatorFaults {
  /** The next BACKUP of `database` ends CANCELLED with this Status text, e.g. `[COMMON_ERROR, msg: …]`. */
  cancelNextBackup(
    database: string,
    status: string,
    atState?: 'SNAPSHOTING' | 'UPLOADING' | 'UPLOAD_INFO',
  ): void;
  /** The next BACKUP of `database` never finishes (until its timeout property or CANCEL BACKUP). */
  hangNextBackup(database: string): void;
  /**
   * The next BACKUP of `database` stops advancing at `atFraction` of its duration for `forMs`, then resumes
   * where it stopped: SHOW BACKUP's state, times and Progress freeze, and the job ends `forMs` late. Its
   * `timeout` property keeps counting from CreateTime through the stall.
   * @throws RangeError unless 0 ≤ atFraction < 1 and forMs ≥ 0
   */
  stallBackup(database: string, stall: BackupStall): void;
  /** Every later BACKUP of `database` ends this way and takes `durationMs` (if given). */
  setBackupOutcome(database: string, outcome: BackupOutcome, durationMs?: number): void;
  /**
   * The next `count` BACKUPs of `database` are refused with `Can only run one backup or restore job of a database
   * at same time` (or `Another backup or restore job is being submitted. Please wait and try again`), optionally
   * as `Unexpected exception: <text>`.
   */
  rejectBackups(
    database: string,
    count: number,
    options?: { reason?: BackupRejection; wrapUnexpectedException?: boolean },
  ): void;
  /** Destroys the socket on a matching statement, before executing it or after executing it without replying. */
  dropConnectionOn(matcher: StatementMatcher, options?: { times?: number; when?: 'before' | 'after' }): void;
  /**
   * Matching statements fail with ERR 1064 / HY000 and `message` instead of running (an FE that cannot read one
   * database's metadata, say); `times` defaults to every match.
   */
  failStatements(matcher: StatementMatcher, message: string, options?: { times?: number }): void;
  /**
   * From now on every automated cluster snapshot job ends in ERROR with this message (undefined: they succeed
   * again). Only for shared-data scenarios with cluster snapshots.
   */
  failClusterSnapshots(message: string | undefined): void;
  /** Delays the reply to matching statements by `delayMs` of real time. */
  delayReplies(matcher: StatementMatcher, delayMs: number, options?: { times?: number }): void;
  /** Refuses the next `times` logins (default: all) with 1045 access denied, even with the right password. */
  refuseLogins(options?: { times?: number }): void;
  /** The running BACKUP of `database` finishes now (its snapshot is written); nothing happens when none runs. */
  finishBackupNow(database: string): void;
  /**
   * A job someone else submitted replaces `database`'s latest SHOW BACKUP row. A still-running job of ours is
   * completed first, so its snapshot stays in the repository. `state: 'RUNNING'` keeps the foreign job busy.
   */
  replaceLatestJob(
    database: string,
    job: { label: string; state?: 'FINISHED' | 'RUNNING' | 'CANCELLED' },
  ): void;
  /**
   * The repository is dropped (DROP REPOSITORY by someone else) while the next BACKUP naming it runs: the
   * BACKUP passes the analyzer and fails in BackupHandler with `Repository <repo> does not exist`.
   */
  dropRepositoryDuringNextBackup(repository: string): void;
  /**
   * The next RESTORE into `database` ends CANCELLED with this Status text at the end of `atState` (default
   * DOWNLOADING), e.g. `[COMMON_ERROR, msg: Failed to read backup meta from file]`.
   */
  cancelNextRestore(
    database: string,
    status: string,
    atState?: 'SNAPSHOTING' | 'DOWNLOADING' | 'COMMITTING',
  ): void;
  /** The next RESTORE into `database` stalls 40 % through DOWNLOADING until its timeout or CANCEL RESTORE. */
  hangNextRestore(database: string): void;
  /** Every later RESTORE into `database` ends this way and takes `durationMs` (if given). */
  setRestoreOutcome(database: string, outcome: RestoreOutcome, durationMs?: number): void;
  /**
   * The next `times` (default 1) matching statements answer with their real columns and `rows` generated rows
   * (`<column>_<n>` in every cell) instead of their real rows, written as the client reads them: a runaway result
   * set of any size without holding it in the emulator. The report of the first flood is returned.
   */
  floodResult(matcher: StatementMatcher, rows: number, options?: { times?: number }): FloodReport;
  /** Removes every pending fault. */
  clear(): void;
}

/** Internal registry the server and the FE consult. */
export class FaultRegistry {
  private readonly nextOutcomes = new Map<string, { outcome: BackupOutcome; durationMs?: number }[]>();
  private readonly persistentOutcomes = new Map<string, { outcome: BackupOutcome; durationMs?: number }>();
  private readonly rejections = new Map<string, Rejection[]>();
  private readonly stalls = new Map<string, BackupStall[]>();
  private drops: ConnectionDrop[] = [];
  private delays: ReplyDelay[] = [];
  private failures: StatementFailure[] = [];
  private loginRefusals: Counted | undefined;
  private floods: PendingFlood[] = [];
  private readonly repositoryDrops = new Set<string>();
  private readonly nextRestoreOutcomes = new Map<
    string,
    { outcome: RestoreOutcome; durationMs?: number }[]
  >();
  private readonly persistentRestoreOutcomes = new Map<
    string,
    { outcome: RestoreOutcome; durationMs?: number }
  >();

  queueRestoreOutcome(database: string, outcome: RestoreOutcome): void {
    const queue = this.nextRestoreOutcomes.get(database) ?? [];
    queue.push({ outcome });
    this.nextRestoreOutcomes.set(database, queue);
  }

  setRestoreOutcome(database: string, outcome: RestoreOutcome, durationMs?: number): void {
    this.persistentRestoreOutcomes.set(
      database,
      durationMs === undefined ? { outcome } : { outcome, durationMs },
    );
  }

  /** Consumes the outcome override for the next RESTORE into `database`, if any. */
  takeRestoreOutcome(database: string): { outcome: RestoreOutcome; durationMs?: number } | undefined {
    const queue = this.nextRestoreOutcomes.get(database);
    if (queue && queue.length > 0) return queue.shift();
    return this.persistentRestoreOutcomes.get(database);
  }

  queueOutcome(database: string, outcome: BackupOutcome, durationMs?: number): void {
    const queue = this.nextOutcomes.get(database) ?? [];
    queue.push(durationMs === undefined ? { outcome } : { outcome, durationMs });
    this.nextOutcomes.set(database, queue);
  }

  setOutcome(database: string, outcome: BackupOutcome, durationMs?: number): void {
    this.persistentOutcomes.set(database, durationMs === undefined ? { outcome } : { outcome, durationMs });
  }

  /** Consumes the outcome override for the next BACKUP of `database`, if any. */
  takeOutcome(database: string): { outcome: BackupOutcome; durationMs?: number } | undefined {
    const queue = this.nextOutcomes.get(database);
    if (queue && queue.length > 0) return queue.shift();
    return this.persistentOutcomes.get(database);
  }

  queueStall(database: string, stall: BackupStall): void {
    if (
      !(stall.atFraction >= 0 && stall.atFraction < 1) ||
      !(stall.forMs >= 0) ||
      !Number.isFinite(stall.forMs)
    ) {
      throw new RangeError(
        `stallBackup needs 0 ≤ atFraction < 1 and a finite forMs ≥ 0, got ${JSON.stringify(stall)}`,
      );
    }
    const queue = this.stalls.get(database) ?? [];
    queue.push({ atFraction: stall.atFraction, forMs: stall.forMs });
    this.stalls.set(database, queue);
  }

  /** Consumes the stall for the next BACKUP of `database`, if any. */
  takeStall(database: string): BackupStall | undefined {
    return this.stalls.get(database)?.shift();
  }

  addRejections(database: string, rejection: Rejection): void {
    const list = this.rejections.get(database) ?? [];
    list.push(rejection);
    this.rejections.set(database, list);
  }

  /** Consumes one injected rejection for a BACKUP of `database`, if any. */
  takeRejection(database: string): Rejection | undefined {
    const list = this.rejections.get(database);
    const first = list?.[0];
    if (!list || !first) return undefined;
    first.remaining--;
    if (first.remaining <= 0) list.shift();
    return first;
  }

  addDrop(matcher: StatementMatcher, times: number, when: 'before' | 'after'): void {
    this.drops.push({ matches: toPredicate(matcher), remaining: times, when });
  }

  /** Consumes a connection drop for `sql`, if one matches. */
  takeDrop(sql: string): 'before' | 'after' | undefined {
    const drop = this.drops.find((candidate) => candidate.remaining > 0 && candidate.matches(sql));
    if (!drop) return undefined;
    drop.remaining--;
    this.drops = this.drops.filter((candidate) => candidate.remaining > 0);
    return drop.when;
  }

  addFailure(matcher: StatementMatcher, message: string, times: number): void {
    this.failures.push({ matches: toPredicate(matcher), message, remaining: times });
  }

  /** Consumes a statement failure for `sql`; its message, or undefined when none matches. */
  takeFailure(sql: string): string | undefined {
    const failure = this.failures.find((candidate) => candidate.remaining > 0 && candidate.matches(sql));
    if (!failure) return undefined;
    failure.remaining--;
    this.failures = this.failures.filter((candidate) => candidate.remaining > 0);
    return failure.message;
  }

  addDelay(matcher: StatementMatcher, delayMs: number, times: number): void {
    this.delays.push({ matches: toPredicate(matcher), delayMs, remaining: times });
  }

  /** Consumes a reply delay for `sql`; 0 when none matches. */
  takeDelay(sql: string): number {
    const delay = this.delays.find((candidate) => candidate.remaining > 0 && candidate.matches(sql));
    if (!delay) return 0;
    delay.remaining--;
    this.delays = this.delays.filter((candidate) => candidate.remaining > 0);
    return delay.delayMs;
  }

  addFlood(matcher: StatementMatcher, rows: number, times: number): FloodReport {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(times) || times < 1) {
      throw new RangeError(`floodResult needs whole rows ≥ 0 and times ≥ 1, got ${rows} and ${times}`);
    }
    const reports = Array.from({ length: times }, () => newFlood(rows));
    this.floods.push({ matches: toPredicate(matcher), rows, remaining: times, reports });
    return (reports[0] as Flood).report;
  }

  /** Consumes a flood for `sql`, if one matches. */
  takeFlood(sql: string): Flood | undefined {
    const flood = this.floods.find((candidate) => candidate.remaining > 0 && candidate.matches(sql));
    if (!flood) return undefined;
    flood.remaining--;
    this.floods = this.floods.filter((candidate) => candidate.remaining > 0);
    return flood.reports.shift();
  }

  refuseLogins(times: number): void {
    this.loginRefusals = { remaining: times };
  }

  /** Consumes a login refusal, if any is pending. */
  takeLoginRefusal(): boolean {
    if (!this.loginRefusals || this.loginRefusals.remaining <= 0) return false;
    this.loginRefusals.remaining--;
    return true;
  }

  dropRepositoryLater(repository: string): void {
    this.repositoryDrops.add(repository);
  }

  /** Consumes a pending repository drop for a BACKUP naming `repository`. */
  takeRepositoryDrop(repository: string): boolean {
    return this.repositoryDrops.delete(repository);
  }

  clear(): void {
    this.repositoryDrops.clear();
    this.nextRestoreOutcomes.clear();
    this.persistentRestoreOutcomes.clear();
    this.nextOutcomes.clear();
    this.persistentOutcomes.clear();
    this.rejections.clear();
    this.stalls.clear();
    this.drops = [];
    this.delays = [];
    this.failures = [];
    this.loginRefusals = undefined;
    this.floods = [];
  }
}
