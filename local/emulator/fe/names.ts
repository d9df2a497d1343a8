/**
 * Name rules of sql/analyzer/FeNameFormat.java. The emulator keeps its own copy (it never imports the production
 * client) so that a disagreement between the two shows up in tests.
 */

/** FeNameFormat.SPECIAL_CHARACTERS_IN_DB_NAME (PR #42954; first release carrying it UNVERIFIED). */
const DB_NAME_SPECIAL_CHARACTERS = '-~!@#$%^&<>=+';
const SPECIALS = DB_NAME_SPECIAL_CHARACTERS.replace(/[-\\^\]]/g, '\\$&');

/**
 * FeNameFormat.DB_NAME_REGEX: `^[a-zA-Z][\w<specials>]{0,255}$|^_[a-zA-Z0-9][\w<specials>]{0,254}$`, where Java's
 * `\w` is ASCII `[a-zA-Z0-9_]` and `Pattern.quote` turns the specials into literal characters of the class.
 */
const DB_NAME_PATTERN = new RegExp(
  `^(?:[A-Za-z][A-Za-z0-9_${SPECIALS}]{0,255}|_[A-Za-z0-9][A-Za-z0-9_${SPECIALS}]{0,254})$`,
);

/** True when FeNameFormat.checkDbName accepts `name` (so CREATE DATABASE could have created it). */
export function isValidDatabaseName(name: string): boolean {
  return DB_NAME_PATTERN.test(name);
}
