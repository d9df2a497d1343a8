import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidIdentifierError } from '#domain/errors.ts';
import { createStarRocksClient, type StarRocksClient } from '#domain/starrocks/client.ts';
import { buildBackupStatement, buildShowBackupStatement } from '#domain/starrocks/statements.ts';
import { parseStarRocksVersion, type StarRocksVersion } from '#domain/starrocks/version.ts';
import { createManualClock, type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { resolveProfile } from '#local/emulator/profiles.ts';
import { parseStatements } from '#local/emulator/sql/parser.ts';
import { type CountingProxy, scenarioFor, settingsFor, startCountingProxy } from './support.ts';

/** Pieces that break naive quoting: quotes, terminators, comment markers, escapes, placeholders, controls, unicode. */
const HOSTILE_PIECES = [
  '`',
  '``',
  "'",
  '"',
  ';',
  '--',
  '-- ',
  '/*',
  '*/',
  '/*+',
  '#',
  '\\',
  "\\'",
  '.',
  ' ',
  '?',
  '??',
  '(',
  ')',
  ',',
  '\n',
  '\u0000',
  '\u0085',
  '\u3000',
  'é',
  '表',
  '😀',
  '\ud800',
  'DROP DATABASE x',
];
const DB_SPECIALS = [...'-~!@#$%^&<>=+_'];
const LETTERS = [...'abcXYZ'];

const hostileName = fc
  .array(
    fc.oneof(
      fc.constantFrom(...HOSTILE_PIECES),
      fc.constantFrom(...LETTERS),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
    ),
    { minLength: 1, maxLength: 80 },
  )
  .map((pieces) => pieces.join('').slice(0, 200))
  .filter((name) => name.length >= 1);

/** Names StarRocks accepts as databases, full of the characters that are comment markers outside quotes. */
const databaseLikeName = fc
  .tuple(
    fc.constantFrom(...LETTERS),
    fc.array(fc.constantFrom(...DB_SPECIALS, ...LETTERS, '1'), { maxLength: 199 }),
  )
  .map(([first, rest]) => `${first}${rest.join('')}`);

const anyName = fc.oneof(hostileName, databaseLikeName);

const VERSIONS = ['3.3', '3.4'] as const;

function versionOf(profileId: (typeof VERSIONS)[number]): StarRocksVersion {
  return parseStarRocksVersion(resolveProfile(profileId).version);
}

/** Builds a statement, or returns 'refused' when the builder refuses the name (and only with InvalidIdentifierError). */
function buildOrRefuse(build: () => { sql: string }): string | 'refused' {
  try {
    return build().sql;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidIdentifierError);
    return 'refused';
  }
}

describe.each(VERSIONS)('identifier quoting through the %s emulator parser', (profileId) => {
  const grammar = resolveProfile(profileId).grammar;
  const version = versionOf(profileId);

  it('decodes a table name in BACKUP ON (...) to exactly the original, or refuses it', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const sql = buildOrRefuse(() =>
          buildBackupStatement({
            database: 'db1',
            label: 'l1',
            repository: 'r1',
            tables: [name],
            timeoutSeconds: 600,
            version,
          }),
        );
        if (sql === 'refused') return;
        const statements = parseStatements(sql, { grammar });
        expect(statements).toHaveLength(1);
        const [statement] = statements;
        expect(statement?.kind).toBe('BACKUP');
        if (statement?.kind !== 'BACKUP') return;
        expect(statement.on).toHaveLength(1);
        expect(statement.on?.[0]?.name).toBe(name);
        expect(statement.database).toBe('db1');
        expect(statement.label).toBe('l1');
      }),
      { numRuns: 400 },
    );
  });

  it('decodes a database name in BACKUP to exactly the original, or refuses it', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const sql = buildOrRefuse(() =>
          buildBackupStatement({
            database: name,
            label: 'l1',
            repository: 'r1',
            timeoutSeconds: 600,
            version,
          }),
        );
        if (sql === 'refused') return;
        const statements = parseStatements(sql, { grammar });
        expect(statements).toHaveLength(1);
        expect(statements[0]).toMatchObject({
          kind: 'BACKUP',
          database: name,
          label: 'l1',
          repository: 'r1',
        });
      }),
      { numRuns: 400 },
    );
  });

  it('decodes the database of SHOW BACKUP FROM to exactly the original, or refuses it', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const sql = buildOrRefuse(() => buildShowBackupStatement(name));
        if (sql === 'refused') return;
        expect(parseStatements(sql, { grammar })).toEqual([{ kind: 'SHOW_BACKUP', database: name }]);
      }),
      { numRuns: 400 },
    );
  });
});

describe.each(VERSIONS)('identifier quoting over TCP to the %s emulator', (profileId) => {
  let emulator: EmulatorHandle;
  let proxy: CountingProxy;
  let client: StarRocksClient;
  const grammar = resolveProfile(profileId).grammar;
  const version = versionOf(profileId);

  beforeAll(async () => {
    emulator = await startEmulator({ scenario: scenarioFor(profileId), clock: createManualClock() });
    proxy = await startCountingProxy(emulator);
    client = createStarRocksClient(settingsFor(proxy));
  });

  afterAll(async () => {
    await proxy.close();
    await emulator.close();
  });

  /** Runs a client call; returns whether it was refused before sending, and what the emulator received. */
  async function sent(call: () => Promise<unknown>): Promise<{ refused: boolean; received: string[] }> {
    const from = emulator.statements.length;
    const connectionsBefore = proxy.acceptedConnections();
    let refused = false;
    try {
      await call();
    } catch (error) {
      refused = error instanceof InvalidIdentifierError;
    }
    const received = emulator.statements
      .slice(from)
      .map((entry) => entry.sql)
      .filter((sql) => sql !== "SET time_zone = '+00:00'");
    if (refused) {
      expect(received).toEqual([]);
      expect(proxy.acceptedConnections()).toBe(connectionsBefore);
    }
    return { refused, received };
  }

  it('sends SHOW BACKUP FROM with the exact database name, or sends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(anyName, async (name) => {
        const { refused, received } = await sent(() => client.showBackup(name));
        if (refused) return;
        expect(received).toHaveLength(1);
        expect(parseStatements(received[0] ?? '', { grammar })).toEqual([
          { kind: 'SHOW_BACKUP', database: name },
        ]);
      }),
      { numRuns: 60 },
    );
  });

  it('sends BACKUP with the exact database and table names, or sends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(anyName, anyName, async (database, table) => {
        const { refused, received } = await sent(() =>
          client.submitBackup({
            database,
            label: 'prop_label',
            repository: 'repo',
            tables: [table],
            timeoutSeconds: 600,
            version,
          }),
        );
        if (refused) return;
        expect(received).toHaveLength(1);
        const statements = parseStatements(received[0] ?? '', { grammar });
        expect(statements).toHaveLength(1);
        expect(statements[0]).toMatchObject({ kind: 'BACKUP', database, label: 'prop_label' });
        const [statement] = statements;
        expect(statement?.kind === 'BACKUP' ? statement.on?.map((object) => object.name) : undefined).toEqual(
          [table],
        );
      }),
      { numRuns: 60 },
    );
  });
});
