import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactSecrets, runEmulatorCommand } from '#local/cli/emulator/emulator-command.ts';
import { loadScenarioFile, ScenarioError } from '#local/emulator/index.ts';
import { makeTestCertificates } from '#test/support/tls-certificates.ts';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('sr-backup emulator command and scenario files', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'emulator-scenario-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('serves a scenario file, logs statements to stderr without secrets, and stops on abort', async () => {
    // Prepare
    const file = join(directory, 'cluster.json');
    await writeFile(
      file,
      JSON.stringify({
        version: '3.4',
        users: [{ name: 'backup', password: 'pw' }],
        repositories: [{ name: 'repo', location: 's3a://b/p' }],
        databases: [{ name: 'only_db', tables: [{ name: 't' }] }],
      }),
    );
    const stdout = capture();
    const stderr = capture();
    const controller = new AbortController();
    let address: { host: string; port: number } | undefined;
    let exited: Promise<number> = Promise.resolve(-1);
    const listening = new Promise<void>((resolve) => {
      exited = runEmulatorCommand(
        { port: '0', host: '127.0.0.1', scenario: file },
        {
          stdout: stdout.stream,
          stderr: stderr.stream,
          signal: controller.signal,
          onListening: (where) => {
            address = where;
            resolve();
          },
        },
      );
    });

    // Act
    await listening;
    const connection = await mysql.createConnection({
      host: '127.0.0.1',
      port: address?.port ?? 0,
      user: 'backup',
      password: 'pw',
    });
    const [databases] = await connection.query('SHOW DATABASES');
    await connection.query("SET PASSWORD = PASSWORD('hunter2')");
    await connection.end();
    controller.abort();
    const code = await exited;

    // Assess
    expect(code).toBe(0);
    expect((databases as { Database: string }[]).map((row) => row.Database)).toContain('only_db');
    expect(stdout.text()).toContain(`listening on 127.0.0.1:${address?.port}`);
    expect(stdout.text()).toContain(`Connect with: mariadb -h 127.0.0.1 -P ${address?.port} -u backup -p`);
    expect(stderr.text()).toContain('[emulator] #1 backup: SHOW DATABASES');
    expect(stderr.text()).not.toContain('hunter2');
  });

  it.each([
    ['3.4', 'TLS offered on the MySQL port'],
    ['3.3', 'TLS not offered: StarRocks 3.3.9 has no TLS on the MySQL port (3.4.1 and later do)'],
  ])('says whether a %s emulator given --tls-cert and --tls-key offers TLS', async (version, line) => {
    // Prepare
    const certificates = await makeTestCertificates();
    const scenario = join(directory, `tls-${version}.json`);
    await writeFile(scenario, JSON.stringify({ version, repositories: [], databases: [] }));
    await writeFile(join(directory, 'server.pem'), certificates.cert);
    await writeFile(join(directory, 'server.key'), certificates.key);
    const stdout = capture();

    // Act
    const code = await runEmulatorCommand(
      {
        port: '0',
        host: '127.0.0.1',
        scenario,
        tlsCert: join(directory, 'server.pem'),
        tlsKey: join(directory, 'server.key'),
      },
      { stdout: stdout.stream, stderr: new PassThrough(), signal: AbortSignal.abort() },
    );
    await certificates.remove();

    // Assess
    expect(code).toBe(0);
    expect(stdout.text()).toContain(line);
  });

  it('exits 2 when --tls-cert comes without --tls-key', async () => {
    const stderr = capture();

    const code = await runEmulatorCommand(
      { port: '0', host: '127.0.0.1', tlsCert: join(directory, 'server.pem') },
      { stdout: new PassThrough(), stderr: stderr.stream, signal: AbortSignal.abort() },
    );

    expect(code).toBe(2);
    expect(stderr.text()).toContain('--tls-cert and --tls-key go together');
  });

  it('exits 2 with the field path when the scenario is invalid', async () => {
    // Prepare
    const file = join(directory, 'broken.json');
    await writeFile(
      file,
      JSON.stringify({
        version: '3.3',
        feTimeZone: 'Mars/Base',
        repositories: [],
        databases: [{ name: 'x', tables: [{}] }],
      }),
    );
    const stderr = capture();

    // Act
    const code = await runEmulatorCommand(
      { port: '0', host: '127.0.0.1', scenario: file },
      { stdout: new PassThrough(), stderr: stderr.stream, signal: AbortSignal.abort() },
    );

    // Assess
    expect(code).toBe(2);
    expect(stderr.text()).toContain('feTimeZone: unknown time zone');
    expect(stderr.text()).toContain('databases.0.tables.0.name:');
  });

  it('names every problem of a scenario file with its field path', async () => {
    // Prepare
    const file = join(directory, 'problems.json');
    await writeFile(
      file,
      JSON.stringify({
        version: '9.9',
        repositories: [{ name: 'r', location: 'l' }],
        databases: [
          { name: 'a', tables: [] },
          { name: 'a', tables: [], backup: { outcome: 'explode' } },
          { name: 'sales 2026', tables: [] },
        ],
        users: [{ name: 'u', password: '', privileges: { export: 'some' } }],
        runMode: 'hybrid',
        snapshots: [{ repository: 'nope', name: 's', database: 'a' }],
        surprise: true,
      }),
    );

    // Act
    const error = await loadScenarioFile(file).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version: unknown StarRocks version/),
        expect.stringMatching(/^databases\.1\.backup\.outcome: /),
        expect.stringMatching(/^databases\.2\.name: not a database name StarRocks accepts/),
        expect.stringMatching(/^users\.0\.privileges\.export: /),
        expect.stringMatching(/^runMode: /),
        expect.stringMatching(/^\(root\): Unrecognized key/),
      ]),
    );
  });

  it('redacts password and key values from logged statements', () => {
    // Act
    const redacted = redactSecrets(
      `CREATE REPOSITORY r WITH BROKER ON LOCATION "s3a://b" PROPERTIES ("aws.s3.access_key" = "AKIA1", "aws.s3.secret_key"='x"y'); CREATE USER u IDENTIFIED BY 'pw1'`,
    );

    // Assess
    expect(redacted).toBe(
      `CREATE REPOSITORY r WITH BROKER ON LOCATION "s3a://b" PROPERTIES ("aws.s3.access_key" = "***", "aws.s3.secret_key"='***'); CREATE USER u IDENTIFIED BY '***'`,
    );
  });
});
