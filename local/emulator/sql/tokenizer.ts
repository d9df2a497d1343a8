import { EmulatorSyntaxError } from './syntax-error.ts';

/** The kinds of token the emulator's lexer produces (a small subset of StarRocksLex.g4). */
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
  /** The decoded value: identifier text, string contents, upper-cased keyword, or the symbol itself. */
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

const SYMBOLS = [
  '<=>',
  '<=',
  '>=',
  '!=',
  '<>',
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
];

function isWordStart(char: string): boolean {
  return /[A-Za-z_]/.test(char) || char.charCodeAt(0) >= 0x80;
}

function isWordPart(char: string): boolean {
  return /[A-Za-z0-9_$]/.test(char) || char.charCodeAt(0) >= 0x80;
}

/** Decodes MySQL/StarRocks string escapes; `\%` and `\_` keep their backslash, as in MySQL. */
function unescapeString(body: string, quote: string): string {
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
    const escapes: Record<string, string> = {
      '0': '\0',
      b: '\b',
      n: '\n',
      r: '\r',
      t: '\t',
      Z: '\x1a',
    };
    if (next in escapes) out += escapes[next];
    else if (next === '%' || next === '_') out += `\\${next}`;
    else out += next;
  }
  return out;
}

/**
 * Splits SQL text into tokens, dropping whitespace and comments (`-- …`, `# …`, `/* … *\/`, hints included).
 * Backquoted identifiers decode doubled backquotes; strings decode backslash escapes and doubled quotes.
 * Throws {@link EmulatorSyntaxError} on an unterminated quote or comment.
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

  const push = (kind: TokenKind, value: string, end: number): void => {
    tokens.push({
      kind,
      value,
      text: sql.slice(offset, end),
      start: offset,
      end,
      line,
      column: columnOf(offset),
    });
    advanceTo(end);
  };

  const unterminated = (what: string): never => {
    throw new EmulatorSyntaxError({
      line,
      column: columnOf(offset),
      // UNVERIFIED: the lexer's exact wording for an unterminated quote; StarRocks reports the offending input.
      detail: `Unexpected input '${sql.slice(offset, offset + 1)}', the most similar input is {${what}}`,
    });
  };

  while (offset < sql.length) {
    const char = sql[offset] as string;
    const rest = sql.slice(offset);

    if (/\s/.test(char)) {
      advanceTo(offset + 1);
      continue;
    }
    if (rest.startsWith('--') || char === '#') {
      const newline = sql.indexOf('\n', offset);
      advanceTo(newline === -1 ? sql.length : newline + 1);
      continue;
    }
    if (rest.startsWith('/*')) {
      const close = sql.indexOf('*/', offset + 2);
      if (close === -1) unterminated("'*/'");
      advanceTo(close + 2);
      continue;
    }
    if (char === '`') {
      let index = offset + 1;
      let value = '';
      for (;;) {
        if (index >= sql.length) unterminated("'`'");
        if (sql[index] === '`') {
          if (sql[index + 1] === '`') {
            value += '`';
            index += 2;
            continue;
          }
          break;
        }
        value += sql[index];
        index++;
      }
      push('quoted-identifier', value, index + 1);
      continue;
    }
    if (char === "'" || char === '"') {
      let index = offset + 1;
      for (;;) {
        if (index >= sql.length) unterminated(`'${char}'`);
        const current = sql[index];
        if (current === '\\') {
          index += 2;
          continue;
        }
        if (current === char) {
          if (sql[index + 1] === char) {
            index += 2;
            continue;
          }
          break;
        }
        index++;
      }
      push('string', unescapeString(sql.slice(offset + 1, index), char), index + 1);
      continue;
    }
    if (char === '@') {
      const match = /^@@?(?:(?:global|session|local)\.)?[A-Za-z_][A-Za-z0-9_]*/i.exec(rest);
      if (match) {
        push('variable', match[0], offset + match[0].length);
        continue;
      }
    }
    if (/[0-9]/.test(char)) {
      const identifierLike = /^[0-9]+[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
      if (identifierLike) {
        // StarRocks' DIGIT_IDENTIFIER: a name that starts with digits, such as 2024_sales.
        push('word', identifierLike[0], offset + identifierLike[0].length);
        continue;
      }
      const numeric = /^[0-9]+(?:\.[0-9]+)?/.exec(rest) as RegExpExecArray;
      push('number', numeric[0], offset + numeric[0].length);
      continue;
    }
    if (isWordStart(char)) {
      let index = offset + 1;
      while (index < sql.length && isWordPart(sql[index] as string)) index++;
      push('word', sql.slice(offset, index), index);
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => rest.startsWith(candidate));
    if (symbol) {
      push('symbol', symbol, offset + symbol.length);
      continue;
    }
    throw new EmulatorSyntaxError({
      line,
      column: columnOf(offset),
      // UNVERIFIED: ANTLR's lexer error for a character no token accepts.
      detail: `Unexpected input '${char}', the most similar input is {<EOF>, ';'}`,
    });
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
