/**
 * The emulator's lexer, following fe/fe-core/.../sql/parser/StarRocksLex.g4 and the ANTLR runtime:
 *
 * - at every position the longest match wins, and a tie goes to the rule written first in the grammar (keywords,
 *   then numbers, strings, LETTER_IDENTIFIER, DIGIT_IDENTIFIER, backquoted identifiers, comments, WS);
 * - LETTER is `[a-zA-Z_$\u0080-\uffff]`, so `$` starts and continues an unquoted identifier;
 * - the only comments are `--` to the end of the line (no space needed after it) and `/* … *\/` (hints included);
 *   `#` is not a comment;
 * - whitespace is `[ \r\n\t\u3000]` (nothing else: `\f` is not whitespace);
 * - a character no rule accepts (`#`, `\`, a control character) is reported on the FE's console and dropped,
 *   as ANTLR's Lexer.recover does, so the text after it is lexed normally; an unterminated quote swallows the rest
 *   of the text the same way (the lexer consumed it while trying to close the quote).
 */
/** The kinds of token the emulator's lexer produces (a subset of StarRocksLex.g4). */
export type TokenKind =
  | 'word' // an unquoted identifier or keyword
  | 'quoted-identifier' // `backquoted`
  | 'string' // 'single' or "double" quoted literal
  | 'number'
  | 'variable' // @@name, @@session.name, @name
  | 'symbol'
  | 'eof';

/** One token, with its source position as ANTLR would report it. */
export interface Token {
  readonly kind: TokenKind;
  /** The decoded value: identifier text, string contents, or the symbol itself. */
  readonly value: string;
  /** The raw source text of the token (what StarRocks echoes in syntax errors). */
  readonly text: string;
  /** UTF-16 offsets into the statement text. */
  readonly start: number;
  readonly end: number;
  /** 1-based line. */
  readonly line: number;
  /** 0-based column in code points, as ANTLR's charPositionInLine. */
  readonly column: number;
}

/** Operator and punctuation tokens (StarRocksLex.g4 plus the parser grammar's literals), longest first. */
const SYMBOLS = [
  '<=>',
  '[*]',
  '...',
  '<=',
  '>=',
  '!=',
  '<>',
  '->',
  '||',
  '&&',
  '$$', // DOUBLE_DOLLAR
  '(',
  ')',
  ',',
  '.',
  ';',
  '=',
  '<',
  '>',
  '*',
  '+',
  '-',
  '/',
  '%',
  '!',
  '&',
  '|',
  '^',
  '~',
  '?',
  '[',
  ']',
  '{',
  '}',
  ':',
  '@',
];

const WHITESPACE = new Set([' ', '\r', '\n', '\t', '\u3000']);

/** LETTER: `[a-zA-Z_$\u0080-\uffff]` (a surrogate pair is two such units). */
function isLetter(char: string | undefined): boolean {
  if (char === undefined) return false;
  return /[A-Za-z_$]/.test(char) || char.charCodeAt(0) >= 0x80;
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

/** Decodes MySQL/StarRocks string escapes; `\%` and `\_` keep their backslash, as in MySQL. */
function unescapeString(body: string, quote: string): string {
  const escapes = new Map([
    ['0', '\0'],
    ['b', '\b'],
    ['n', '\n'],
    ['r', '\r'],
    ['t', '\t'],
    ['Z', '\x1a'],
  ]);
  let out = '';
  for (let index = 0; index < body.length; index++) {
    const char = body[index] as string;
    if (char === quote && body[index + 1] === quote) {
      out += quote;
      index++;
      continue;
    }
    if (char !== '\\' || index === body.length - 1) {
      out += char;
      continue;
    }
    const next = body[++index] as string;
    const escaped = escapes.get(next);
    if (escaped !== undefined) out += escaped;
    else if (next === '%' || next === '_') out += `\\${next}`;
    else out += next;
  }
  return out;
}

/**
 * A candidate match at one position: its length and how to turn it into a token. Hidden text (comments,
 * whitespace) has no `make`; DOT_IDENTIFIER's `make` answers undefined and becomes two tokens, `.` and a word.
 */
interface Candidate {
  readonly length: number;
  readonly make?: (text: string) => { kind: TokenKind; value: string } | undefined;
}

function quotedLength(sql: string, at: number, quote: string): number | undefined {
  let index = at + 1;
  for (;;) {
    if (index >= sql.length) return undefined;
    const current = sql[index];
    if (current === '\\' && quote !== '`') {
      index += 2;
      continue;
    }
    if (current === quote) {
      if (sql[index + 1] === quote) {
        index += 2;
        continue;
      }
      return index + 1 - at;
    }
    index++;
  }
}

function runLength(sql: string, at: number, accepts: (char: string | undefined) => boolean): number {
  let index = at;
  while (index < sql.length && accepts(sql[index])) index++;
  return index - at;
}

/** INTEGER_VALUE, DECIMAL_VALUE, DOUBLE_VALUE at `at` (the longest of them), or 0. */
function numberLength(sql: string, at: number): number {
  let index = at + runLength(sql, at, isDigit);
  const integerDigits = index - at;
  if (sql[index] === '.' && (integerDigits > 0 || isDigit(sql[index + 1]))) {
    index++;
    index += runLength(sql, index, isDigit);
  } else if (integerDigits === 0) {
    return 0;
  }
  if (sql[index] === 'e' || sql[index] === 'E') {
    let exponent = index + 1;
    if (sql[exponent] === '+' || sql[exponent] === '-') exponent++;
    const digits = runLength(sql, exponent, isDigit);
    if (digits > 0) index = exponent + digits;
  }
  return index - at;
}

function identifierPart(char: string | undefined): boolean {
  return isLetter(char) || isDigit(char);
}

/** Every rule that can match at `at`, in the grammar's order (the first of the longest wins). */
function candidatesAt(sql: string, at: number): Candidate[] {
  const char = sql[at] as string;
  const rest = sql.slice(at);
  const candidates: Candidate[] = [];
  const word = (text: string) => ({ kind: 'word' as const, value: text });

  // Literal tokens come first in the grammar (the only tie they can meet is `$$` against an identifier `$$`).
  const symbol = SYMBOLS.find((candidate) => rest.startsWith(candidate));
  if (symbol) candidates.push({ length: symbol.length, make: () => ({ kind: 'symbol', value: symbol }) });
  const number = numberLength(sql, at);
  if (number > 0) candidates.push({ length: number, make: (text) => ({ kind: 'number', value: text }) });
  if (char === "'" || char === '"') {
    const length = quotedLength(sql, at, char);
    if (length !== undefined) {
      candidates.push({
        length,
        make: (text) => ({ kind: 'string', value: unescapeString(text.slice(1, -1), char) }),
      });
    }
  }
  if (isLetter(char)) candidates.push({ length: 1 + runLength(sql, at + 1, identifierPart), make: word });
  if (isDigit(char)) {
    const tail = runLength(sql, at + 1, identifierPart);
    if (tail > 0) candidates.push({ length: 1 + tail, make: word });
  }
  if (char === '`') {
    const length = quotedLength(sql, at, '`');
    if (length !== undefined) {
      candidates.push({
        length,
        make: (text) => ({ kind: 'quoted-identifier', value: text.slice(1, -1).replaceAll('``', '`') }),
      });
    }
  }
  if (char === '.' && isDigit(sql[at + 1])) {
    const tail = runLength(sql, at + 2, identifierPart);
    // DOT_IDENTIFIER: `.` followed by a DIGIT_IDENTIFIER; it stands for `.` + identifier in a qualified name.
    if (tail > 0) candidates.push({ length: 2 + tail, make: () => undefined });
  }
  if (rest.startsWith('--')) {
    const newline = sql.indexOf('\n', at);
    candidates.push({ length: (newline === -1 ? sql.length : newline + 1) - at });
  }
  if (rest.startsWith('/*')) {
    const close = sql.indexOf('*/', at + 2);
    if (close !== -1) candidates.push({ length: close + 2 - at });
  }
  if (WHITESPACE.has(char)) candidates.push({ length: runLength(sql, at, (c) => WHITESPACE.has(c ?? '')) });
  if (rest.startsWith('$$')) {
    const close = sql.indexOf('$$', at + 2);
    if (close !== -1)
      candidates.push({ length: close + 2 - at, make: (text) => ({ kind: 'symbol', value: text }) });
  }
  if (char === '@') {
    const variable = /^@@?(?:(?:global|session|local)\.)?[A-Za-z_][A-Za-z0-9_]*/i.exec(rest);
    // `@@x` / `@x` are AT AT identifier / AT identifier in the grammar; one token keeps the parser simple.
    if (variable)
      candidates.push({ length: variable[0].length, make: (text) => ({ kind: 'variable', value: text }) });
  }
  return candidates;
}

/**
 * Splits SQL text into tokens as StarRocks' lexer does (see the module comment), dropping whitespace, comments
 * and characters no rule accepts. Backquoted identifiers decode doubled backquotes; strings decode backslash
 * escapes and doubled quotes.
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;
  const columnOf = (at: number): number => [...sql.slice(lineStart, at)].length;

  const advanceTo = (to: number): void => {
    for (let index = offset; index < to; index++) {
      if (sql[index] === '\n') {
        line++;
        lineStart = index + 1;
      }
    }
    offset = to;
  };

  while (offset < sql.length) {
    const candidates = candidatesAt(sql, offset);
    const best = candidates.reduce<Candidate | undefined>(
      (chosen, candidate) => (chosen === undefined || candidate.length > chosen.length ? candidate : chosen),
      undefined,
    );
    if (best === undefined) {
      // LexerNoViableAltException: an unterminated quote consumed everything up to the end while trying to
      // close; any other character is skipped alone (Lexer.recover consumes one character).
      const quote = sql[offset];
      advanceTo(quote === "'" || quote === '"' || quote === '`' ? sql.length : offset + 1);
      continue;
    }
    const end = offset + best.length;
    const text = sql.slice(offset, end);
    const made = best.make?.(text);
    if (best.make !== undefined && made === undefined) {
      // DOT_IDENTIFIER: `.5b` is `.` followed by the identifier `5b`.
      const position = { line, column: columnOf(offset) };
      tokens.push({ kind: 'symbol', value: '.', text: '.', start: offset, end: offset + 1, ...position });
      tokens.push({
        kind: 'word',
        value: text.slice(1),
        text: text.slice(1),
        start: offset + 1,
        end,
        line,
        column: position.column + 1,
      });
    } else if (made !== undefined) {
      tokens.push({ ...made, text, start: offset, end, line, column: columnOf(offset) });
    }
    advanceTo(end);
  }
  tokens.push({
    kind: 'eof',
    value: '<EOF>',
    text: '<EOF>',
    start: sql.length,
    end: sql.length,
    line,
    column: columnOf(sql.length),
  });
  return tokens;
}
