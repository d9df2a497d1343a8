/**
 * Grammar switches that differ between StarRocks versions (sql/parser/StarRocks.g4 of each release).
 * A version profile picks the switches; the parser consults them so an older profile rejects newer syntax
 * with StarRocks' own syntax error.
 */
export interface GrammarFeatures {
  /** 3.4+: `BACKUP DATABASE db SNAPSHOT …` and typed ON objects (`TABLE t`, `ALL VIEWS`, …). */
  readonly backupDatabaseClause: boolean;
  /** main/4.x: `SHOW BACKUP … WHERE …`; on 2.5–3.x a WHERE is a syntax error. Semantics UNVERIFIED. */
  readonly showBackupWhere: boolean;
  /** 3.4+: `RESTORE SNAPSHOT snap FROM repo DATABASE src [AS dst] …` and typed ON objects. */
  readonly restoreDatabaseClause?: boolean;
  /** 4.2+: `DROP SNAPSHOT <name> ON <repo> [FORCE]`; older grammars have no such statement. */
  readonly dropSnapshot?: boolean;
  /** 3.4.2+: `ADMIN SET AUTOMATED CLUSTER SNAPSHOT ON [STORAGE VOLUME sv] | OFF`. */
  readonly clusterSnapshot?: boolean;
}

/** The most permissive grammar the emulator knows (used when no profile is given). */
export const LATEST_GRAMMAR: GrammarFeatures = {
  backupDatabaseClause: true,
  showBackupWhere: false,
  restoreDatabaseClause: true,
  dropSnapshot: true,
  clusterSnapshot: true,
};
