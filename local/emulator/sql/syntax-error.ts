/**
 * StarRocks' parse-error text, built the way fe/fe-core/.../sql/parser/SqlParser.java (its DefaultErrorStrategy
 * override) and ParsingException.java build it:
 *
 *   Getting syntax error at line <l>, column <c>. Detail message: Unexpected input '<token>', the most similar input is {<expected>}.
 *
 * `<expected>` lists at most five expected keywords sorted by Jaro-Winkler distance to the offending token
 * (commons-text), then every expected symbol; when an identifier would fit, it is just `a legal identifier`.
 * The emulator's expected-token sets are hand-written per grammar position, so the list is a close
 * approximation of ANTLR's (UNVERIFIED for positions other than the ones tested).
 */
export class EmulatorSyntaxError extends Error {
  override readonly name = 'EmulatorSyntaxError';
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 0-based column (code points) of the offending token. */
  readonly column: number;
  /** The part after `Detail message: ` (without the final period). */
  readonly detail: string;

  constructor(details: { line: number; column: number; detail: string }) {
    super(
      `Getting syntax error at line ${details.line}, column ${details.column}. Detail message: ${details.detail}.`,
    );
    this.line = details.line;
    this.column = details.column;
    this.detail = details.detail;
  }
}

/** Placeholder that stands for "any identifier" in an expected-token list. */
export const IDENTIFIER = '<identifier>';

/** commons-text JaroWinklerSimilarity, ported because StarRocks ranks its suggestions with it. */
export function jaroWinklerSimilarity(left: string, right: string): number {
  if (left === right) return 1;
  const [max, min] = left.length > right.length ? [left, right] : [right, left];
  const range = Math.max(Math.floor(max.length / 2) - 1, 0);
  const matchIndexes = new Array<number>(min.length).fill(-1);
  const matchFlags = new Array<boolean>(max.length).fill(false);
  let matches = 0;
  for (let mi = 0; mi < min.length; mi++) {
    const c1 = min[mi];
    for (let xi = Math.max(mi - range, 0), xn = Math.min(mi + range + 1, max.length); xi < xn; xi++) {
      if (!matchFlags[xi] && c1 === max[xi]) {
        matchIndexes[mi] = xi;
        matchFlags[xi] = true;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  const ms1: string[] = [];
  const ms2: string[] = [];
  for (let index = 0; index < min.length; index++)
    if (matchIndexes[index] !== -1) ms1.push(min[index] as string);
  for (let index = 0; index < max.length; index++) if (matchFlags[index]) ms2.push(max[index] as string);
  let halfTranspositions = 0;
  for (let index = 0; index < ms1.length; index++) if (ms1[index] !== ms2[index]) halfTranspositions++;
  let prefix = 0;
  for (let index = 0; index < Math.min(4, min.length); index++) {
    if (left[index] === right[index]) prefix++;
    else break;
  }
  const m = matches;
  const jaro = (m / left.length + m / right.length + (m - halfTranspositions / 2) / m) / 3;
  return jaro < 0.7 ? jaro : jaro + 0.1 * prefix * (1 - jaro);
}

/**
 * Formats ANTLR's expected-token set the way StarRocks does (SqlParser.filterExpectingToken).
 * @param offending the offending token's text
 * @param expected keywords (upper case, unquoted), symbols (`(`, `;`, `<EOF>`) or {@link IDENTIFIER}
 */
export function formatExpected(offending: string, expected: readonly string[]): string {
  if (expected.includes(IDENTIFIER)) return '{a legal identifier}';
  const words: string[] = [];
  const symbols: string[] = [];
  for (const item of expected) {
    if (item === '<EOF>') symbols.push(item);
    else if (/^[A-Z_]{2,}$/.test(item)) words.push(`'${item}'`);
    else symbols.push(`'${item}'`);
  }
  const upper = offending.toUpperCase();
  // Java's List.sort is stable and commons-text's JaroWinklerDistance is 1 - similarity.
  const ranked = words
    .map((word, index) => ({ word, index, distance: 1 - jaroWinklerSimilarity(word, upper) }))
    .sort((a, b) => a.distance - b.distance || a.index - b.index)
    .slice(0, 5)
    .map((entry) => entry.word);
  const eofFirst = symbols.sort((a, b) => (a === '<EOF>' ? -1 : b === '<EOF>' ? 1 : 0));
  return `{${[...ranked, ...eofFirst].join(', ')}}`;
}

/** Builds the "Unexpected input" syntax error for an offending token. */
export function unexpectedInput(
  token: { text: string; line: number; column: number },
  expected: readonly string[],
): EmulatorSyntaxError {
  return new EmulatorSyntaxError({
    line: token.line,
    column: token.column,
    detail: `Unexpected input '${token.text}', the most similar input is ${formatExpected(token.text, expected)}`,
  });
}
