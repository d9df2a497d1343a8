import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmulatorSyntaxError, parseStatements } from '#local/emulator/sql/parser.ts';

const OLD_GRAMMAR = { backupDatabaseClause: false, showBackupWhere: false };

function syntaxError(sql: string, grammar = OLD_GRAMMAR): EmulatorSyntaxError {
  try {
    parseStatements(sql, { grammar });
  } catch (error) {
    if (error instanceof EmulatorSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for: ${sql}`);
}

describe('parseStatements', () => {
  it('decodes backquoted identifiers with doubled backquotes, quotes, semicolons and comment markers', () => {
    // Prepare
    const database = 'db;`--#/*x*/\'"ü';
    const label = 'snap` 2026;-- not a comment';
    const quote = (name: string) => `\`${name.replaceAll('`', '``')}\``;

    // Act
    const [statement] = parseStatements(
      `BACKUP SNAPSHOT ${quote(database)}.${quote(label)} TO ${quote('repo`1')}`,
    );

    // Assess
    expect(statement).toEqual({
      kind: 'BACKUP',
      database,
      label,
      repository: 'repo`1',
      properties: new Map(),
    });
  });

  it('round-trips any backquoted identifier and any quoted property value', () => {
    const quoteIdentifier = (name: string) => `\`${name.replaceAll('`', '``')}\``;
    const quoteString = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
    // Any UTF-16 code unit (lone surrogates included), weighted towards characters that matter to a lexer.
    const unit = fc.oneof(
      fc.constantFrom('`', "'", '"', ';', '-', '#', '/', '*', '\\', '\n', ' ', '.', 'ü', '数'),
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    );
    const name = fc.array(unit, { maxLength: 30 }).map((units) => units.join(''));
    fc.assert(
      fc.property(name, name, name, name, (database, label, repository, value) => {
        // Act
        const [statement] = parseStatements(
          `BACKUP SNAPSHOT ${quoteIdentifier(database)}.${quoteIdentifier(label)} TO ${quoteIdentifier(repository)} ON (${quoteIdentifier(label)}) PROPERTIES (${quoteString(value)} = ${quoteString(value)});`,
        );

        // Assess
        expect(statement).toEqual({
          kind: 'BACKUP',
          database,
          label,
          repository,
          on: [{ type: 'TABLE', all: false, name: label }],
          properties: new Map([[value, value]]),
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reads ON objects with partitions and PROPERTIES with escaped string values', () => {
    // Act
    const [statement] = parseStatements(
      `backup snapshot snap to repo on (t1, \`t 2\` partition (p1, 'p2')) properties ('timeout' = '3600', "type"='it''s \\\\ x')`,
    );

    // Assess
    expect(statement).toEqual({
      kind: 'BACKUP',
      label: 'snap',
      repository: 'repo',
      on: [
        { type: 'TABLE', all: false, name: 't1' },
        { type: 'TABLE', all: false, name: 't 2', partitions: ['p1', 'p2'] },
      ],
      properties: new Map([
        ['timeout', '3600'],
        ['type', "it's \\ x"],
      ]),
    });
  });

  it('ignores -- and /* */ comments between tokens, and a -- needs no space after it', () => {
    // Act
    const statements = parseStatements(
      '-- leading\nSHOW /* inline; */ BACKUP --trailing ; not a statement\nFROM sales',
    );

    // Assess
    expect(statements).toEqual([{ kind: 'SHOW_BACKUP', database: 'sales' }]);
  });

  it('drops a # as a character no StarRocksLex token accepts, so the text after it is parsed (no # comments)', () => {
    // Act
    const error = syntaxError('SHOW BACKUP # trailing\nFROM sales');
    const [select] = parseStatements('SELECT 1 # label');

    // Assess: ANTLR's lexer reports the character and skips it; the parser then meets `trailing`
    expect(error.message).toBe(
      "Getting syntax error at line 1, column 14. Detail message: Unexpected input 'trailing', the most similar input is {'IN', 'FROM', <EOF>, ';'}.",
    );
    expect(select).toMatchObject({ kind: 'SELECT', items: [{ star: false, label: 'label' }] });
  });

  it('lets $ start and continue an unquoted identifier, as LETTER in StarRocksLex.g4 does', () => {
    // Act
    const [statement] = parseStatements('BACKUP SNAPSHOT $db.snap$1 TO $repo');

    // Assess
    expect(statement).toEqual({
      kind: 'BACKUP',
      database: '$db',
      label: 'snap$1',
      repository: '$repo',
      properties: new Map(),
    });
  });

  it('reads digit-led names, a digit-led name after a dot, and numbers by the longest match', () => {
    // Act
    const statements = parseStatements('SHOW DATA FROM 2024_sales.7days; SELECT 1e3 AS a, .5 AS b, 12 AS c');

    // Assess
    expect(statements[0]).toEqual({ kind: 'SHOW_DATA', database: '2024_sales', table: '7days' });
    expect(statements[1]).toMatchObject({
      items: [
        { label: 'a', expr: { type: 'number', value: '1e3' } },
        { label: 'b', expr: { type: 'number', value: '.5' } },
        { label: 'c', expr: { type: 'number', value: '12' } },
      ],
    });
  });

  it('keeps every property key, __proto__ and constructor included, in the order written', () => {
    // Act
    const [statement] = parseStatements(
      "BACKUP SNAPSHOT d.s TO r PROPERTIES ('__proto__' = 'a', 'constructor' = 'b', 'toString' = 'c', '' = 'd')",
    );

    // Assess
    expect(statement?.kind === 'BACKUP' ? [...statement.properties] : []).toEqual([
      ['__proto__', 'a'],
      ['constructor', 'b'],
      ['toString', 'c'],
      ['', 'd'],
    ]);
  });

  it('splits statements at semicolons outside quotes and skips empty ones', () => {
    // Act
    const statements = parseStatements("SELECT ';'; ; CANCEL BACKUP IN `x;y`;");

    // Assess
    expect(statements.map((statement) => statement.kind)).toEqual(['SELECT', 'CANCEL_BACKUP']);
    expect(statements[1]).toEqual({ kind: 'CANCEL_BACKUP', database: 'x;y' });
  });

  it('accepts BACKUP DATABASE db SNAPSHOT only with the 3.4+ grammar', () => {
    // Act
    const [modern] = parseStatements('BACKUP DATABASE sales SNAPSHOT s1 TO repo ON (ALL TABLES, VIEW v1)');
    const error = syntaxError('BACKUP DATABASE sales SNAPSHOT s1 TO repo');

    // Assess
    expect(modern).toEqual({
      kind: 'BACKUP',
      database: 'sales',
      label: 's1',
      repository: 'repo',
      on: [
        { type: 'TABLE', all: true },
        { type: 'VIEW', all: false, name: 'v1' },
      ],
      properties: new Map(),
    });
    expect(error.message).toBe(
      "Getting syntax error at line 1, column 7. Detail message: Unexpected input 'DATABASE', the most similar input is {'SNAPSHOT'}.",
    );
  });

  it('rejects a WHERE on SHOW BACKUP the way StarRocks 3.x does', () => {
    // Act
    const error = syntaxError('show backup where State = "FINISHED"');

    // Assess
    expect(error.message).toBe(
      "Getting syntax error at line 1, column 12. Detail message: Unexpected input 'where', the most similar input is {'FROM', 'IN', <EOF>, ';'}.",
    );
  });

  it('ranks suggestions for an unknown statement like StarRocks (issue #76731)', () => {
    // Act
    const error = syntaxError('MYSQL > select 1');

    // Assess
    expect(error.detail).toBe(
      "Unexpected input 'MYSQL', the most similar input is {'SELECT', 'DISABLE', 'INSTALL', 'TRANSLATE', 'UNINSTALL', '(', ';'}",
    );
  });

  it('reports the line and column of the offending token across lines', () => {
    // Act
    const error = syntaxError('SELECT 1;\n  SHOW BACKUP FROM select');

    // Assess
    expect({ line: error.line, column: error.column }).toEqual({ line: 2, column: 19 });
    expect(error.detail).toBe("Unexpected input 'select', the most similar input is {a legal identifier}");
  });

  it('rejects empty input and unterminated quotes', () => {
    // Act / Assess
    expect(syntaxError('  ').message).toMatch(
      /^Getting syntax error at line 1, column 2\. Detail message: Unexpected input '<EOF>'/,
    );
    expect(() => parseStatements('SHOW BACKUP FROM `sales')).toThrow(EmulatorSyntaxError);
  });

  it('parses a SELECT over information_schema.tables with aliases, IN, ORDER BY and LIMIT', () => {
    // Act
    const [statement] = parseStatements(
      "select TABLE_NAME as name, engine e from information_schema.tables where table_schema = 'db' and table_type in ('BASE TABLE', 'TABLE') order by table_name desc limit 5",
    );

    // Assess
    expect(statement).toMatchObject({
      kind: 'SELECT',
      items: [
        { star: false, label: 'name' },
        { star: false, label: 'e' },
      ],
      from: { parts: ['information_schema', 'tables'] },
      orderBy: [{ descending: true }],
      limit: 5,
    });
  });
});
