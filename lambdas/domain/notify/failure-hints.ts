/**
 * One line of "what to do next" for a failed backup, chosen from the error class and StarRocks' status text
 * (texts as StarRocks writes them: backup/BackupHandler.java, backup/BackupJob.java, backup/Status.java). Written for someone woken at 3 a.m.: the likely cause and
 * the first thing to check or run.
 */
import { InvalidIdentifierError } from '#domain/errors.ts';
import {
  buildGrantExportStatement,
  buildGrantRepositoryStatement,
  buildShowBackupStatement,
  buildShowProcStatement,
  buildShowRepositoriesStatement,
  buildShowSnapshotsStatement,
  type Statement,
} from '#domain/starrocks/statements.ts';
import { formatDuration } from '#domain/time-format.ts';

/** What the hint is chosen from. */
export interface FailureHintInput {
  state: 'FAILED' | 'TIMED_OUT';
  /** StarRocks' status text, our classified error message, or `deadline`. */
  reason: string;
  /** The typed error's name (e.g. `StarRocksAccessDeniedError`), when the failure came from one. */
  errorName?: string | undefined;
  database: string;
  /** The cluster's repository (named in SHOW SNAPSHOT). */
  repository?: string | undefined;
  /** The StarRocks user the scheduler logs in as (used in GRANT statements). */
  user?: string | undefined;
  /** Our deadline for one database's backup. */
  timeoutSeconds?: number | undefined;
}

interface HintRule {
  matches: (input: FailureHintInput) => boolean;
  hint: (input: FailureHintInput) => string;
}

const reasonHas =
  (...patterns: RegExp[]) =>
  (input: FailureHintInput): boolean =>
    patterns.some((pattern) => pattern.test(input.reason));

const errorIs =
  (...names: string[]) =>
  (input: FailureHintInput): boolean =>
    input.errorName !== undefined && names.includes(input.errorName);

const either =
  (...tests: Array<(input: FailureHintInput) => boolean>) =>
  (input: FailureHintInput): boolean =>
    tests.some((test) => test(input));

/** Stands for the user in a GRANT when the input does not name it. */
const UNKNOWN_USER = '<backup user>';

/**
 * A statement for the reader to copy, built by the StarRocks layer (the same quoting as everything we send).
 * Quoted names hold backticks, which end a Slack code span, so such a statement goes into a code block.
 * `otherwise` is said instead when a name is one no statement can hold.
 */
function runnable(build: () => Statement, otherwise: string): string {
  let sql: string;
  try {
    sql = `${build().sql};`;
  } catch (error) {
    if (error instanceof InvalidIdentifierError) return otherwise;
    throw error;
  }
  return sql.includes('`') ? `\`\`\`${sql}\`\`\`` : `\`${sql}\``;
}

function deadlineText(timeoutSeconds: number | undefined): string {
  return timeoutSeconds === undefined ? 'Our deadline' : `Our deadline (${formatDuration(timeoutSeconds)})`;
}

function snapshotListing(repository: string | undefined): string {
  const words = "the repository's SHOW SNAPSHOT";
  return repository === undefined ? words : runnable(() => buildShowSnapshotsStatement(repository), words);
}

const RULES: readonly HintRule[] = [
  {
    matches: (input) => input.state === 'TIMED_OUT' && input.reason.trim().toLowerCase() === 'deadline',
    hint: (input) =>
      `${deadlineText(input.timeoutSeconds)} passed and the job was cancelled: raise \`timeoutSeconds\` for this cluster if the database has grown, or check BE load and upload bandwidth (SHOW BACKUP's Progress shows where it slowed).`,
  },
  {
    matches: (input) => input.state === 'TIMED_OUT',
    hint: () =>
      "StarRocks' own BACKUP timeout fired: raise `timeoutSeconds` for this cluster (the BACKUP timeout follows it), or check BE load and upload bandwidth.",
  },
  {
    matches: either(reasonHas(/EXPORT privilege|EXPORT command denied/i)),
    hint: (input) =>
      `The backup user may not export these tables: ${runnable(
        () => buildGrantExportStatement(input.database, input.user ?? UNKNOWN_USER),
        "grant EXPORT on the database's tables",
      )}`,
  },
  {
    matches: either(errorIs('StarRocksAccessDeniedError'), reasonHas(/Access denied; you need/i)),
    hint: (input) =>
      `The backup user lacks the REPOSITORY privilege: ${runnable(
        () => buildGrantRepositoryStatement(input.user ?? UNKNOWN_USER),
        'grant REPOSITORY on SYSTEM',
      )} (and EXPORT on the database's tables).`,
  },
  {
    matches: either(errorIs('StarRocksAuthError'), reasonHas(/Access denied for user/i)),
    hint: () =>
      "The FE refused the login: check the password in the cluster's secret (was it rotated?) and the user name in the config.",
  },
  {
    matches: either(
      errorIs('StarRocksUnavailableError', 'StarRocksTimeoutError'),
      reasonHas(/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|ECONNRESET|connect timeout/i),
    ),
    hint: () =>
      "The FE could not be reached: check that the FE is up, the host and port in the config, and that the Lambda's security group allows egress to the FE's query port (9030).",
  },
  {
    matches: reasonHas(/read only/i),
    hint: () => 'The repository is read only: point the cluster at a writable repository.',
  },
  {
    matches: either(errorIs('UnknownRepositoryError'), reasonHas(/Repository .*does not exist/i)),
    hint: () =>
      `The repository is unknown to the FE: compare ${runnable(buildShowRepositoriesStatement, 'SHOW REPOSITORIES')} with \`repository\` in the config.`,
  },
  {
    matches: either(
      errorIs('UnsupportedObjectError'),
      reasonHas(/not a OLAP table/i, /can not support backup restore/i, /temp(orary)? partition/i),
    ),
    hint: () =>
      'The database holds an object StarRocks cannot back up (a view before 3.4, a materialized view before 3.2, an external table, or temporary partitions): exclude it, drop the temporary partitions, or upgrade.',
  },
  {
    matches: reasonHas(/OLAP_VERSION_ALREADY_MERGED|version already merged/i),
    hint: () =>
      'Compaction merged a data version while the snapshot was taken: usually transient; if it repeats, schedule the backup at a quieter time.',
  },
  {
    matches: reasonHas(/failed to choose replica/i),
    hint: () =>
      `A tablet had no healthy replica to snapshot: check the BEs and ${runnable(() => buildShowProcStatement('/statistic'), 'the tablet statistics')} for unhealthy tablets.`,
  },
  {
    matches: reasonHas(/BAD_CONNECTION|CREATE_REMOTE_PATH_FAILED|BAD_FILE|\bNOT_FOUND\b/),
    hint: () =>
      `The BEs could not write to the repository: check the storage credentials and permissions and the BEs' network path to it (${runnable(buildShowRepositoriesStatement, 'SHOW REPOSITORIES')} shows the last ErrMsg).`,
  },
  {
    matches: reasonHas(/user cancelled/i),
    hint: () =>
      'Someone ran CANCEL BACKUP on this database (or an overlapping run cancelled ours): check the FE audit log and the execution history.',
  },
  {
    matches: either(errorIs('SnapshotLabelExistsError'), reasonHas(/already exist in repository/i)),
    hint: () =>
      'A snapshot with this label already exists in the repository: is another cluster or schedule writing to the same location?',
  },
  {
    matches: either(errorIs('UnknownDatabaseError'), reasonHas(/Unknown database/i)),
    hint: () => 'The database no longer exists on the FE: it drops out of the next run by itself.',
  },
  {
    matches: reasonHas(/no snapshot|Failed to get info|snapshot (is )?missing|Invalid:/i),
    hint: (input) =>
      `StarRocks reported the job FINISHED but the snapshot is missing or incomplete in the repository: check ${snapshotListing(input.repository)} and the storage; the next run takes a new snapshot.`,
  },
  {
    matches: errorIs('LeaseLostError'),
    hint: () =>
      "Another execution took over this database's lock: look for overlapping runs of the same schedule.",
  },
];

/** The hint for a failure; a generic "where to look" when no rule knows the cause. */
export function hintForFailure(input: FailureHintInput): string {
  const rule = RULES.find((candidate) => candidate.matches(input));
  if (rule) return rule.hint(input);
  const showBackup = runnable(() => buildShowBackupStatement(input.database), 'SHOW BACKUP');
  return `Open the execution and run ${showBackup} on the FE for the job's Status and TaskErrMsg.`;
}
