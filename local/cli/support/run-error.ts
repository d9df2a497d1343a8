/** The error of a run that stopped before reaching any database, explained like the CLI's own errors. */
import { type CliError, failure } from './cli-error.ts';

const HINTS: Record<string, string> = {
  UnknownDatabaseError:
    'check the names given to --database (`sr-backup plan --resolve` lists the databases of the FE)',
  ConfigError: 'check the configuration and the command-line options',
  StarRocksUnavailableError: 'check that the FE is up and reachable, then run again',
  StarRocksAuthError: 'set STARROCKS_PASSWORD_<CLUSTER> (or STARROCKS_PASSWORD) to the user’s password',
  StarRocksTimeoutError: 'the FE did not answer in time; check its health, then run again',
  StarRocksAccessDeniedError:
    'the backup user needs the REPOSITORY privilege on SYSTEM and EXPORT on the tables (see docs/cli.md)',
  UnsupportedClusterError:
    'StarRocks cannot BACKUP this cluster (a shared-data cluster keeps its data in object storage): use its own data protection, and exclude it here',
};

/** `the run stopped before reaching any database: <message>`, with a hint by error name. */
export function explainRunError(runError: { readonly name: string; readonly message: string }): CliError {
  const hint = HINTS[runError.name];
  return failure(
    `the run stopped before reaching any database: ${runError.message}`,
    hint === undefined ? {} : { hint },
  );
}
