/** `sr-backup emulator`: runs the embedded StarRocks FE emulator until Ctrl-C. */
import { readFile } from 'node:fs/promises';
import {
  demoScenario,
  type EmulatorScenario,
  loadScenarioFile,
  ScenarioError,
  type StatementLogEntry,
  startEmulator,
} from '#local/emulator/index.ts';
import { resolveProfile } from '#local/emulator/profiles.ts';

/** Options of the `emulator` command, as commander parses them. */
export interface EmulatorCommandOptions {
  readonly port: string;
  readonly host: string;
  readonly scenario?: string;
  readonly quiet?: boolean;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
}

/** Where the command writes, and what stops it (Ctrl-C in the CLI, an AbortController in tests). */
export interface EmulatorCommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly signal: AbortSignal;
  /** Called once the emulator listens. */
  readonly onListening?: (address: { host: string; port: number }) => void;
}

/** Hides the values of password- and key-like settings before a statement reaches the log. */
export function redactSecrets(sql: string): string {
  return sql
    .replace(
      /((["'`])[^"'`]*(?:password|secret|access_key|token|credential)[^"'`]*\2\s*=\s*)(["'])(?:\\.|(?!\3).)*\3/gi,
      '$1$3***$3',
    )
    .replace(
      /(IDENTIFIED\s+(?:WITH\s+\S+\s+)?(?:BY|AS)\s+(?:PASSWORD\s+)?)(["'])(?:\\.|(?!\2).)*\2/gi,
      '$1$2***$2',
    )
    .replace(/(PASSWORD\s*(?:=\s*)?(?:PASSWORD\s*)?\(?\s*)(["'])(?:\\.|(?!\2).)*\2/gi, '$1$2***$2');
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new ScenarioError(`--port: expected 0-65535, got '${value}'`, []);
  return port;
}

function formatStatement(entry: StatementLogEntry): string {
  const oneLine = redactSecrets(entry.sql).replace(/\s+/g, ' ').trim();
  return `[emulator] #${entry.connectionId} ${entry.user || '-'}: ${oneLine}\n`;
}

async function readTlsFiles(
  options: EmulatorCommandOptions,
): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  if (options.tlsCert === undefined && options.tlsKey === undefined) return undefined;
  if (options.tlsCert === undefined || options.tlsKey === undefined) {
    throw new ScenarioError('--tls-cert and --tls-key go together', []);
  }
  const read = async (flag: string, path: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ScenarioError(`${flag}: cannot read ${path} (${code})`, []);
    }
  };
  return { cert: await read('--tls-cert', options.tlsCert), key: await read('--tls-key', options.tlsKey) };
}

function tlsLine(asked: boolean, served: boolean, version: string): string {
  if (served) return 'TLS offered on the MySQL port (clients may send an SSLRequest)\n';
  if (asked)
    return `TLS not offered: StarRocks ${version} has no TLS on the MySQL port (3.4.1 and later do)\n`;
  return '';
}

/**
 * Runs the emulator until `io.signal` aborts. Resolves with the process exit code: 0 after a clean stop,
 * 2 for an invalid scenario or option, 1 when the server cannot start.
 */
export async function runEmulatorCommand(
  options: EmulatorCommandOptions,
  io: EmulatorCommandIo,
): Promise<number> {
  let scenario: EmulatorScenario;
  let port: number;
  let tls: { cert: Buffer; key: Buffer } | undefined;
  try {
    port = parsePort(options.port);
    scenario = options.scenario === undefined ? demoScenario : await loadScenarioFile(options.scenario);
    tls = await readTlsFiles(options);
  } catch (error) {
    io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      host: options.host,
      port,
      scenario,
      ...(tls === undefined ? {} : { tls }),
      ...(options.quiet
        ? {}
        : { onStatement: (entry: StatementLogEntry) => io.stderr.write(formatStatement(entry)) }),
    });
  } catch (error) {
    io.stderr.write(
      `error: cannot start the emulator on ${options.host}:${port}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  const profile = resolveProfile(scenario.version);
  const users = scenario.users ?? [{ name: 'root', password: '' }];
  const user = users[0]?.name ?? 'root';
  io.stdout.write(
    `StarRocks FE emulator (StarRocks ${profile.version}, ${options.scenario ?? 'demo scenario'}) listening on ${emulator.host}:${emulator.port}\n` +
      tlsLine(tls !== undefined, emulator.tls, profile.version) +
      `Connect with: mariadb -h ${emulator.host} -P ${emulator.port} -u ${user}${users[0]?.password ? ' -p' : ''}\n` +
      'Press Ctrl-C to stop.\n',
  );
  io.onListening?.({ host: emulator.host, port: emulator.port });
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await emulator.close();
  io.stdout.write('emulator stopped\n');
  return 0;
}
