import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '#domain/config/index.ts';
import { StarRocksUnavailableError } from '#domain/errors.ts';
import { createStarRocksClient } from '#domain/starrocks/client.ts';
import { checkStarRocks } from '#local/cli/support/starrocks.ts';
import { createManualClock, type EmulatorHandle, startEmulator } from '#local/emulator/index.ts';
import { makeTestCertificates, type TestCertificates } from '#test/support/tls-certificates.ts';
import { PASSWORD, scenarioFor, settingsFor } from './support.ts';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('TLS on the MySQL port', () => {
  let certificates: TestCertificates;
  let emulator: EmulatorHandle | undefined;

  beforeAll(async () => {
    certificates = await makeTestCertificates();
  });

  afterAll(async () => {
    await certificates.remove();
  });

  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  async function emulatorOn(version: string): Promise<EmulatorHandle> {
    emulator = await startEmulator({
      scenario: { ...scenarioFor('3.4'), version },
      clock: createManualClock(),
      tls: { cert: certificates.cert, key: certificates.key },
    });
    return emulator;
  }

  describe('on a 3.4.1+ FE with a certificate', () => {
    it('logs in and runs statements over TLS when the client trusts the CA', async () => {
      const fe = await emulatorOn('3.4.1');

      const version = await createStarRocksClient(
        settingsFor(fe, { tls: { ca: certificates.ca } }),
      ).currentVersion();

      expect(fe.tls).toBe(true);
      expect(version.raw).toContain('3.4.1');
      expect(fe.statements.at(-1)).toMatchObject({
        sql: 'SELECT current_version()',
        tls: true,
        user: 'backup',
      });
    });

    it('still serves a client that does not ask for TLS, in plaintext (StarRocks does not force it)', async () => {
      const fe = await emulatorOn('3.5.2');

      await createStarRocksClient(settingsFor(fe, { tls: false })).currentVersion();

      expect(fe.statements.at(-1)).toMatchObject({ sql: 'SELECT current_version()', tls: false });
    });

    it.each([['the system CAs', true] as const, ['another CA', { ca: 'other' }] as const])(
      'refuses the certificate when the client trusts only %s, before any statement',
      async (_label, tls) => {
        const fe = await emulatorOn('3.4.3');
        const settings = settingsFor(fe, { tls: tls === true ? true : { ca: certificates.otherCa } });

        const error = await rejection(createStarRocksClient(settings).currentVersion());

        expect(error).toBeInstanceOf(StarRocksUnavailableError);
        expect(error.message).toContain('TLS failed during CONNECT');
        expect(error.message).toContain('tls.ca');
        expect(error.message).not.toContain(PASSWORD);
        expect(fe.statements).toEqual([]);
      },
    );

    it('encrypts without verifying when rejectUnauthorized is false', async () => {
      const fe = await emulatorOn('3.4.3');

      await createStarRocksClient(
        settingsFor(fe, { tls: { ca: certificates.otherCa, rejectUnauthorized: false } }),
      ).currentVersion();

      expect(fe.statements.at(-1)).toMatchObject({ tls: true });
    });

    it('carries the configuration file’s tls.ca through to the connection', async () => {
      const fe = await emulatorOn('3.4.3');
      const config = parseConfig({
        clusters: [
          {
            name: 'prod',
            host: fe.host,
            port: fe.port,
            user: 'backup',
            repository: 'repo',
            tls: { ca: certificates.ca },
          },
        ],
      });
      const [cluster] = config.clusters;
      if (cluster === undefined) throw new Error('no cluster');

      const version = await checkStarRocks(cluster, { STARROCKS_PASSWORD: PASSWORD });

      expect(version.raw).toContain('3.4.3');
      expect(fe.statements.at(-1)).toMatchObject({ tls: true });
    });
  });

  describe.each(['3.4.0', '3.3.9'])('on a %s FE, which has no TLS on the MySQL port', (version) => {
    it('does not offer TLS even with a certificate, and says so to a client that requires it', async () => {
      const fe = await emulatorOn(version);

      const error = await rejection(
        createStarRocksClient(settingsFor(fe, { tls: { ca: certificates.ca } })).currentVersion(),
      );

      expect(fe.tls).toBe(false);
      expect(error).toBeInstanceOf(StarRocksUnavailableError);
      expect(error.message).toContain('does not offer TLS on its MySQL port');
      expect(error.message).toContain('3.4.1');
      expect(fe.statements).toEqual([]);
    });

    it('serves a plaintext client', async () => {
      const fe = await emulatorOn(version);

      const found = await createStarRocksClient(settingsFor(fe)).currentVersion();

      expect(found.raw).toContain(version);
      expect(fe.statements.at(-1)).toMatchObject({ tls: false });
    });
  });
});
