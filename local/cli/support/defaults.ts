/** Defaults shared by option help texts and the commands (kept free of imports, so help stays fast). */

/** Where the embedded DynamoDB keeps the locks and the catalog when --state-dir is not given. */
export const DEFAULT_STATE_DIR = '.sr-backup';
