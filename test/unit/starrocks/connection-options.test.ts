import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connectionOptionsFor, type StarRocksConnectionSettings } from '#domain/starrocks/connection.ts';

const settings: StarRocksConnectionSettings = {
  host: 'fe.internal',
  port: 9030,
  user: 'backup',
  password: 'pw',
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 30_000,
};

describe('connectionOptionsFor', () => {
  it('never enables multiple statements and applies the connect timeout', () => {
    const options = connectionOptionsFor(settings);
    expect(options.multipleStatements).toBe(false);
    expect(options.connectTimeout).toBe(5_000);
    expect(options.rowsAsArray).toBe(true);
  });

  it('leaves TLS off unless asked', () => {
    expect(connectionOptionsFor(settings).ssl).toBeUndefined();
    expect(connectionOptionsFor({ ...settings, tls: false }).ssl).toBeUndefined();
  });

  it('verifies the certificate and the host name by default when TLS is on', () => {
    expect(connectionOptionsFor({ ...settings, tls: true }).ssl).toEqual({
      rejectUnauthorized: true,
      verifyIdentity: true,
    });
  });

  it('passes a CA bundle and lets a test setup skip verification explicitly', () => {
    expect(connectionOptionsFor({ ...settings, tls: { ca: 'PEM' } }).ssl).toEqual({
      rejectUnauthorized: true,
      verifyIdentity: true,
      ca: 'PEM',
    });
    expect(connectionOptionsFor({ ...settings, tls: { rejectUnauthorized: false } }).ssl).toEqual({
      rejectUnauthorized: false,
      verifyIdentity: false,
    });
  });

  it('refuses a timeout of 0 ms, which mysql2 reads as no timeout at all', () => {
    expect(() => connectionOptionsFor({ ...settings, statementTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => connectionOptionsFor({ ...settings, connectTimeoutMs: 0 })).toThrow(/at least 1 ms/);
  });

  it('answers every login method that could reveal the password itself', () => {
    expect(Object.keys(connectionOptionsFor(settings).authPlugins ?? {}).sort()).toEqual([
      'caching_sha2_password',
      'mysql_clear_password',
      'sha256_password',
    ]);
  });

  it('refuses a pinned server key that is not an RSA public key', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => connectionOptionsFor({ ...settings, serverPublicKey: pem })).toThrow(/not RSA/);
  });
});
