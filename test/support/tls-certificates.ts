/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 / localhost, made at test time with the
 * `openssl` command (node:crypto cannot issue X.509 certificates). Nothing is committed: the files live in a
 * temporary directory that `remove()` deletes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM texts of a test CA and of a server certificate it signed. */
export interface TestCertificates {
  /** The CA certificate: what a client trusts (`tls: { ca }`). */
  readonly ca: string;
  /** The server certificate, valid for DNS:localhost and IP:127.0.0.1. */
  readonly cert: string;
  /** The server certificate's private key. */
  readonly key: string;
  /** A second CA that signed nothing here: trusting it instead of `ca` must fail. */
  readonly otherCa: string;
  /** Deletes the temporary directory. */
  remove(): Promise<void>;
}

async function openssl(directory: string, args: readonly string[]): Promise<void> {
  try {
    await run('openssl', [...args], { cwd: directory });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(
        'the TLS tests need the openssl command (apt-get install openssl) to make certificates',
      );
    }
    throw error;
  }
}

async function selfSignedCa(directory: string, name: string): Promise<void> {
  await openssl(directory, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=sr-backup ${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

/** Makes the CA, the server certificate and an unrelated CA (EC P-256 keys: quick to generate). */
export async function makeTestCertificates(): Promise<TestCertificates> {
  const directory = await mkdtemp(join(tmpdir(), 'sr-backup-tls-'));
  try {
    await selfSignedCa(directory, 'test-ca');
    await selfSignedCa(directory, 'other-ca');
    await openssl(directory, [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=localhost',
    ]);
    await writeFile(
      join(directory, 'server.ext'),
      'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
    );
    await openssl(directory, [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'test-ca.pem',
      '-CAkey',
      'test-ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    ]);
    const read = (file: string) => readFile(join(directory, file), 'utf8');
    return {
      ca: await read('test-ca.pem'),
      cert: await read('server.pem'),
      key: await read('server.key'),
      otherCa: await read('other-ca.pem'),
      remove: () => rm(directory, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
