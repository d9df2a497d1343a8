import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StarRocksAuthError, StarRocksInsecureAuthError } from '#domain/errors.ts';
import { openStarRocksSession } from '#domain/starrocks/connection.ts';
import { type ImpostorFe, type ImpostorPlugin, startImpostorFe } from '#test/support/impostor-fe.ts';
import { PASSWORD, settingsFor } from './support.ts';

interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
}

function rsaKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    const session = await promise;
    await (session as { close?: () => Promise<void> }).close?.();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the login to fail');
}

describe('a server that asks for the password', () => {
  let impostorKeys: KeyPair;
  let realServerKeys: KeyPair;
  let impostor: ImpostorFe | undefined;

  beforeAll(() => {
    impostorKeys = rsaKeyPair();
    realServerKeys = rsaKeyPair();
  });

  afterEach(async () => {
    await impostor?.close();
    impostor = undefined;
  });

  async function impostorAsking(
    plugin: ImpostorPlugin,
    keys: KeyPair = impostorKeys,
    greetingPlugin?: string,
  ) {
    impostor = await startImpostorFe({
      plugin,
      ...keys,
      password: PASSWORD,
      ...(greetingPlugin === undefined ? {} : { greetingPlugin }),
    });
    return impostor;
  }

  it('gets the password out of an unguarded mysql2 client (what the guard prevents)', async () => {
    const fake = await impostorAsking('caching_sha2_password');

    const { host, port, user, password } = settingsFor(fake);
    const connection = await createConnection({ host, port, user, password, connectTimeout: 2_000 });
    await connection.end();

    expect(fake.stages).toEqual(['auth-switch-sent', 'full-auth-requested', 'server-key-sent', 'ok-sent']);
    expect(fake.recoveredPasswords).toEqual([PASSWORD]);
  });

  it.each<[ImpostorPlugin, string | undefined]>([
    ['caching_sha2_password', undefined],
    ['caching_sha2_password', 'caching_sha2_password'],
    ['sha256_password', undefined],
    ['mysql_clear_password', undefined],
  ])(
    'refuses a switch to %s over plaintext (greeting: %s) and sends nothing that holds the password',
    async (plugin, greeting) => {
      const fake = await impostorAsking(plugin, impostorKeys, greeting);

      const error = await rejection(openStarRocksSession(settingsFor(fake)));

      expect(error).toBeInstanceOf(StarRocksInsecureAuthError);
      expect(error.message).toContain(`asked for ${plugin} authentication`);
      expect(error.message).toContain(`${fake.host}:${fake.port}`);
      expect(error.message).not.toContain(PASSWORD);
      await fake.connectionsClosed();
      expect(fake.stages).toEqual(['auth-switch-sent']);
      expect(fake.recoveredPasswords).toEqual([]);
      expect(fake.received().includes(Buffer.from(PASSWORD, 'utf8'))).toBe(false);
    },
  );

  it('with a pinned server key, encrypts to that key only and never asks the server for its key', async () => {
    const fake = await impostorAsking('caching_sha2_password');

    const error = await rejection(
      openStarRocksSession({ ...settingsFor(fake), serverPublicKey: realServerKeys.publicKeyPem }),
    );

    // The impostor could not read the answer, so it refused the login like a server that got a wrong password.
    expect(error).toBeInstanceOf(StarRocksAuthError);
    expect(fake.stages).toEqual(['auth-switch-sent', 'full-auth-requested', 'error-sent']);
    expect(fake.recoveredPasswords).toEqual([]);
    expect(fake.received().includes(Buffer.from(PASSWORD, 'utf8'))).toBe(false);
  });

  it('with a pinned server key, logs in to the server that holds it', async () => {
    const realServer = await impostorAsking('caching_sha2_password', realServerKeys);

    const session = await openStarRocksSession({
      ...settingsFor(realServer),
      serverPublicKey: realServerKeys.publicKeyPem,
    });
    await session.close();

    expect(realServer.stages).toEqual(['auth-switch-sent', 'full-auth-requested', 'ok-sent']);
    expect(realServer.recoveredPasswords).toEqual([PASSWORD]);
    expect(realServer.received().includes(Buffer.from(PASSWORD, 'utf8'))).toBe(false);
  });
});
