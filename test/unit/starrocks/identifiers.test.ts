import { describe, expect, it } from 'vitest';
import { InvalidIdentifierError } from '#domain/errors.ts';
import {
  assertValidIdentifier,
  IDENTIFIER_RULES,
  isValidIdentifier,
  quoteIdentifier,
  quoteStringLiteral,
} from '#domain/starrocks/identifiers.ts';

describe('quoteIdentifier', () => {
  it('wraps a plain name in backticks', () => {
    expect(quoteIdentifier('table', 'orders')).toBe('`orders`');
  });

  it('doubles every backtick inside a table name', () => {
    expect(quoteIdentifier('table', 'a`b``c')).toBe('`a``b````c`');
  });

  it('keeps quotes, semicolons and comment markers inside the backticks untouched', () => {
    expect(quoteIdentifier('table', "x'; DROP DATABASE y; -- /* #")).toBe("`x'; DROP DATABASE y; -- /* #`");
  });

  it('accepts the special characters StarRocks allows in database names', () => {
    expect(quoteIdentifier('database', 'a-~!@#$%^&<>=+_9')).toBe('`a-~!@#$%^&<>=+_9`');
  });

  it('accepts unicode table names, including characters outside the BMP', () => {
    expect(quoteIdentifier('table', '订单表_😀')).toBe('`订单表_😀`');
  });
});

describe('assertValidIdentifier', () => {
  it('refuses an empty name of every kind', () => {
    for (const kind of Object.keys(IDENTIFIER_RULES) as (keyof typeof IDENTIFIER_RULES)[]) {
      expect(() => assertValidIdentifier(kind, '')).toThrow(InvalidIdentifierError);
    }
  });

  it('refuses NUL and other control characters in any kind of name', () => {
    for (const name of ['a\u0000b', 'a\nb', 'a\tb', 'a\u007fb', 'a\u0085b']) {
      expect(() => assertValidIdentifier('table', name)).toThrow(/control characters/);
      expect(() => assertValidIdentifier('label', name)).toThrow(InvalidIdentifierError);
    }
  });

  it('refuses an unpaired surrogate, which UTF-8 cannot carry', () => {
    expect(() => assertValidIdentifier('table', 'a\ud800b')).toThrow(InvalidIdentifierError);
    expect(() => assertValidIdentifier('table', 'a\udc00')).toThrow(InvalidIdentifierError);
  });

  it('enforces each kind’s length limit at its boundary', () => {
    const cases: [keyof typeof IDENTIFIER_RULES, number][] = [
      ['database', 256],
      ['table', 1024],
      ['repository', 64],
      ['label', 128],
      ['partition', 1024],
    ];
    for (const [kind, max] of cases) {
      expect(isValidIdentifier(kind, `a${'b'.repeat(max - 1)}`)).toBe(true);
      expect(() => assertValidIdentifier(kind, `a${'b'.repeat(max)}`)).toThrow(/at most/);
    }
  });

  it('applies StarRocks’ database rule: leading letter or underscore+alnum, no dots or spaces', () => {
    expect(isValidIdentifier('database', '_statistics_')).toBe(true);
    expect(isValidIdentifier('database', 'information_schema')).toBe(true);
    expect(isValidIdentifier('database', 'ab.c')).toBe(false);
    expect(isValidIdentifier('database', 'ab c')).toBe(false);
    expect(isValidIdentifier('database', '!abc')).toBe(false);
    expect(isValidIdentifier('database', '__x')).toBe(false);
    expect(isValidIdentifier('database', '1abc')).toBe(false);
    expect(isValidIdentifier('database', 'a`b')).toBe(false);
  });

  it('applies the common-name rule to repositories', () => {
    expect(isValidIdentifier('repository', 's3_repo')).toBe(true);
    expect(isValidIdentifier('repository', 's3-repo')).toBe(false);
    expect(isValidIdentifier('repository', '_1repo')).toBe(true);
  });

  it('shows the refused name escaped in the message, never raw control characters', () => {
    expect(() => assertValidIdentifier('table', 'bad\nname')).toThrow('"bad\\nname"');
  });
});

describe('quoteStringLiteral', () => {
  it("escapes quotes as \\' and doubles backslashes", () => {
    expect(quoteStringLiteral("it's \\ here")).toBe("'it\\'s \\\\ here'");
  });

  it('never produces two adjacent quotes inside the literal', () => {
    expect(quoteStringLiteral("''")).toBe("'\\'\\''");
  });

  it('refuses control characters', () => {
    expect(() => quoteStringLiteral('a\u0000')).toThrow(InvalidIdentifierError);
  });
});
