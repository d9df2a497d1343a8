import type { VersionProfile } from '../profiles.ts';

/**
 * StarRocks ErrorCode entries the emulator raises, with the code/SQLSTATE newer builds put on the wire
 * (common/ErrorCode.java, main). Older builds (2.5–3.x) send every statement error as 1064 / HY000
 * (mysql/MysqlErrPacket.java defaults) whatever the ErrorCode.
 */
export const ERROR_CODES = {
  ERR_DB_CREATE_EXISTS: { code: 1007, sqlState: 'HY000' },
  ERR_DB_DROP_EXISTS: { code: 1008, sqlState: 'HY000' },
  ERR_DB_ACCESS_DENIED: { code: 1044, sqlState: '42000' },
  ERR_NO_DB_ERROR: { code: 1046, sqlState: '3D000' },
  ERR_WRONG_DB_NAME: { code: 1102, sqlState: '42000' },
  ERR_WRONG_TABLE_NAME: { code: 1104, sqlState: '42000' },
  ERR_TABLEACCESS_DENIED_ERROR: { code: 1142, sqlState: '42000' },
  ERR_UNKNOWN_SYSTEM_VARIABLE: { code: 1193, sqlState: 'HY000' },
  ERR_SPECIFIC_ACCESS_DENIED_ERROR: { code: 1227, sqlState: '42000' },
  ERR_UNKNOWN_TIME_ZONE: { code: 1298, sqlState: 'HY000' },
  // MySQL's ER_DROP_PARTITION_NON_EXISTENT, `Error in list of partitions to %s` (UNVERIFIED in common/ErrorCode.java).
  ERR_DROP_PARTITION_NON_EXISTENT: { code: 1507, sqlState: 'HY000' },
  ERR_ACCESS_DENIED: { code: 5203, sqlState: '42000' },
  // UNVERIFIED: whether ERR_COMMON_ERROR texts really go out as 5064 / 42000 on typed builds.
  ERR_COMMON_ERROR: { code: 5064, sqlState: '42000' },
  ERR_WRONG_LABEL_NAME: { code: 5082, sqlState: '42000' },
  ERR_BAD_DB_ERROR: { code: 5501, sqlState: '3F000' },
  ERR_BAD_TABLE_ERROR: { code: 5502, sqlState: '42602' },
  ERR_NOT_OLAP_TABLE: { code: 5503, sqlState: '42000' },
} as const;

/** The name of an ErrorCode entry the emulator knows. */
export type ErrorCodeName = keyof typeof ERROR_CODES;

/**
 * Where StarRocks raised the error; it decides which wrapper some builds add:
 * analyzer errors may read `Getting analyzing error. Detail message: <text>.` (SemanticException),
 * execution errors may read `Unexpected exception: <text>` (qe/StmtExecutor.java, #38209); `authorizer` is an
 * AccessDeniedException report (ErrorReportException), which no wrapper touches (UNVERIFIED).
 */
export type ErrorPhase = 'analyzer' | 'authorizer' | 'execution' | 'session';

/** An error the FE answers a statement with. `detail` is StarRocks' core message text. */
export class FeError extends Error {
  override readonly name = 'FeError';
  readonly detail: string;
  readonly phase: ErrorPhase;
  readonly errorCode: ErrorCodeName | undefined;
  /** Already-final wire text (a fault may force a wrapper regardless of the profile). */
  readonly forcedMessage: string | undefined;

  constructor(
    detail: string,
    options: { phase: ErrorPhase; errorCode?: ErrorCodeName; forcedMessage?: string },
  ) {
    super(detail);
    this.detail = detail;
    this.phase = options.phase;
    this.errorCode = options.errorCode;
    this.forcedMessage = options.forcedMessage;
  }
}

/** How error texts are wrapped on the wire (both off by default: the raw core text, as 2.5 and main send it). */
export interface ErrorWrapping {
  /** Wrap analyzer errors as `Getting analyzing error. Detail message: <text>.` */
  readonly analyzerPrefix: boolean;
  /** Prefix execution errors with `Unexpected exception: ` (some 3.x builds). */
  readonly unexpectedExceptionPrefix: boolean;
}

/** What goes into the ERR packet. */
export interface WireError {
  readonly code: number;
  readonly sqlState: string;
  readonly message: string;
}

/** Renders an FE error as the given version profile and wrapping options would send it. */
export function toWireError(error: FeError, profile: VersionProfile, wrapping: ErrorWrapping): WireError {
  let message = error.forcedMessage ?? error.detail;
  if (error.forcedMessage === undefined) {
    if (error.phase === 'analyzer' && wrapping.analyzerPrefix) {
      message = `Getting analyzing error. Detail message: ${error.detail}.`;
    } else if (error.phase === 'execution' && wrapping.unexpectedExceptionPrefix) {
      message = `Unexpected exception: ${error.detail}`;
    }
  }
  const typed =
    profile.errorCodes === 'typed' && error.errorCode !== undefined
      ? ERROR_CODES[error.errorCode]
      : undefined;
  return { code: typed?.code ?? 1064, sqlState: typed?.sqlState ?? 'HY000', message };
}

/** Shorthand for an analyzer error (SemanticException). */
export function analyzerError(detail: string, errorCode?: ErrorCodeName): FeError {
  return new FeError(
    detail,
    errorCode === undefined ? { phase: 'analyzer' } : { phase: 'analyzer', errorCode },
  );
}

/** Shorthand for an execution error (DdlException from BackupHandler and friends). */
export function executionError(detail: string, errorCode?: ErrorCodeName): FeError {
  return new FeError(
    detail,
    errorCode === undefined ? { phase: 'execution' } : { phase: 'execution', errorCode },
  );
}
