/**
 * Validation and quoting of the names we put into SQL text.
 *
 * Statements are plain text (identifiers cannot be bound as parameters), so every name goes through
 * {@link quoteIdentifier} and every string value through {@link quoteStringLiteral}. Both refuse, with
 * {@link InvalidIdentifierError} and before anything is sent, a name that no StarRocks version can hold.
 *
 * The rules (StarRocks/starrocks `sql/analyzer/FeNameFormat.java`, `sql/parser/StarRocksLex.g4`):
 *
 * | kind       | StarRocks' own rule                                                                    | we accept |
 * |------------|----------------------------------------------------------------------------------------|-----------|
 * | database   | `DB_NAME_REGEX`: a letter, or `_` + letter/digit, then ASCII letters, digits, `_` and (PR #42954, 2024; first release unverified) `-~!@#$%^&<>=+`; 1–256 chars | exactly that rule (older rules are subsets of it) |
 * | table      | `TABLE_NAME_REGEX` `^[^\0]{1,1024}$`: anything but NUL                                | 1–1024 chars, no control characters |
 * | partition  | `COMMON_NAME_REGEX` for user-created partitions; generated ones are not checked      | 1–1024 chars, no control characters |
 * | repository | `COMMON_NAME_REGEX` `^[a-zA-Z]\w{0,63}$\|^_[a-zA-Z0-9]\w{0,62}$` (CREATE REPOSITORY) | exactly that rule |
 * | label      | BACKUP checks only that the snapshot name is non-empty (length limit unverified)      | 1–128 chars, no control characters |
 *
 * "Control characters" are C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F); a lone UTF-16 surrogate is refused
 * too, because it cannot be encoded as UTF-8 and would reach the FE as a different name. Lengths count UTF-16
 * code units, as Java's `String.length()` does. Names read back from the FE (SHOW DATABASES, information_schema)
 * pass these rules whenever StarRocks itself created them, except tables whose names hold control characters:
 * those can be backed up only as part of a whole-database backup.
 */
import { InvalidIdentifierError } from '#domain/errors.ts';

/** What a name denotes; each kind has its own rule. */
export type IdentifierKind = 'database' | 'table' | 'partition' | 'repository' | 'label';

interface IdentifierRule {
  readonly maxLength: number;
  /** A stricter character rule that StarRocks enforces on every name of this kind, when there is one. */
  readonly pattern?: RegExp;
  readonly describe: string;
}

const DB_NAME_SPECIAL_CHARACTERS = '-~!@#$%^&<>=+';
const escapedSpecials = DB_NAME_SPECIAL_CHARACTERS.replace(/[-\\^\]]/g, '\\$&');

/** The per-kind rules, exported so that documentation and tests read the same values. */
export const IDENTIFIER_RULES: Readonly<Record<IdentifierKind, IdentifierRule>> = {
  database: {
    maxLength: 256,
    pattern: new RegExp(
      `^(?:[A-Za-z][A-Za-z0-9_${escapedSpecials}]*|_[A-Za-z0-9][A-Za-z0-9_${escapedSpecials}]*)$`,
    ),
    describe: `a letter (or "_" and a letter or digit), then letters, digits, "_" or ${DB_NAME_SPECIAL_CHARACTERS}`,
  },
  table: { maxLength: 1024, describe: 'any characters except control characters' },
  partition: { maxLength: 1024, describe: 'any characters except control characters' },
  repository: {
    maxLength: 64,
    pattern: /^(?:[A-Za-z][A-Za-z0-9_]*|_[A-Za-z0-9][A-Za-z0-9_]*)$/,
    describe: 'a letter (or "_" and a letter or digit), then letters, digits or "_"',
  },
  label: { maxLength: 128, describe: 'any characters except control characters' },
};

/** C0 controls, DEL and C1 controls, or a UTF-16 surrogate without its partner. */
function hasForbiddenCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f)) {
      return true;
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) {
        return true;
      }
      index += 1; // a well-formed pair
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/** A short, safe rendering of a refused name for error messages (control characters shown as escapes). */
function displayName(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/**
 * Throws {@link InvalidIdentifierError} unless `name` can be a StarRocks name of this kind (see the module comment).
 * Returns the name, so that it can be used inline.
 */
export function assertValidIdentifier(kind: IdentifierKind, name: string): string {
  const rule = IDENTIFIER_RULES[kind];
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidIdentifierError(`Invalid ${kind} name: it is empty`);
  }
  if (name.length > rule.maxLength) {
    throw new InvalidIdentifierError(
      `Invalid ${kind} name ${displayName(name)}: ${name.length} characters, at most ${rule.maxLength} allowed`,
    );
  }
  if (hasForbiddenCharacter(name)) {
    throw new InvalidIdentifierError(
      `Invalid ${kind} name ${displayName(name)}: control characters and unpaired surrogates are not allowed`,
    );
  }
  if (rule.pattern && !rule.pattern.test(name)) {
    throw new InvalidIdentifierError(`Invalid ${kind} name ${displayName(name)}: expected ${rule.describe}`);
  }
  return name;
}

/** True when {@link assertValidIdentifier} would accept the name. */
export function isValidIdentifier(kind: IdentifierKind, name: string): boolean {
  try {
    assertValidIdentifier(kind, name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates `name` and returns it as a backquoted identifier; a backtick inside the name is doubled
 * (StarRocksLex.g4: BACKQUOTED_IDENTIFIER is '`' ( ~'`' | '``' )* '`').
 */
export function quoteIdentifier(kind: IdentifierKind, name: string): string {
  assertValidIdentifier(kind, name);
  return `\`${name.replaceAll('`', '``')}\``;
}

/**
 * Returns `value` as a single-quoted SQL string literal. Backslashes are doubled and quotes written as `\'`
 * (StarRocks unescapes backslash sequences in string literals; `\'` never produces two adjacent quotes, so the
 * FE's `''` folding cannot change it). Control characters and unpaired surrogates are refused.
 */
export function quoteStringLiteral(value: string): string {
  if (hasForbiddenCharacter(value)) {
    throw new InvalidIdentifierError(
      `Invalid string value ${displayName(value)}: control characters and unpaired surrogates are not allowed`,
    );
  }
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/**
 * Returns a StarRocks user identity, `'user'@'host'`, both parts as string literals (GRANT's grammar; a user
 * name is not an identifier, so it may hold any character a string literal can).
 */
export function quoteUserIdentity(user: string, host = '%'): string {
  return `${quoteStringLiteral(user)}@${quoteStringLiteral(host)}`;
}
