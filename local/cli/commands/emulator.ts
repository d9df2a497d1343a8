import type { Command } from 'commander';
import {
  demoScenario,
  type EmulatorScenario,
  loadScenarioFile,
  ScenarioError,
  type StatementLogEntry,
  startEmulator,
} from '../../emulator/index.ts';
import { resolveProfile } from '../../emulator/profiles.ts';

/** Options of the `emulator` command, as commander parses them. */
export interface EmulatorCommandOptions {
  readonly port: string;
  readonly host: string;
  readonly scenario?: string;
  readonly quiet?: boolean;
}

/** Where the command writes, and what stops it (Ctrl-C in the CLI, an AbortController in tests). */
export interface EmulatorCommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly signal: AbortSignal;
  /** Called once the emulator listens. */
  readonly onListening?: (address: { host: string; port: number }) => void;
}

const EXAMPLES = `
Examples:
  $ sr-backup emulator                              # the demo cluster on 127.0.0.1:9030
  $ sr-backup emulator --port 19030 --scenario test/fixtures/cluster.json
  $ mariadb -h 127.0.0.1 -P 9030 -u root -e 'SHOW DATABASES'

The scenario file is JSON: {"version": "3.3", "feTimeZone": "Asia/Shanghai",
  "repositories": [{"name": "s3_repo", "location": "s3a://bucket/path"}],
  "databases": [{"name": "sales", "tables": [{"name": "orders", "sizeBytes": 1048576}]}]}
(see docs/emulator.md for every field).`;

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
  try {
    port = parsePort(options.port);
    scenario = options.scenario === undefined ? demoScenario : await loadScenarioFile(options.scenario);
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

/** Adds `sr-backup emulator [--port 9030] [--host 127.0.0.1] [--scenario file.json]`. */
export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('Start the embedded StarRocks FE emulator (MySQL protocol) for local runs, demos and tests')
    .option('--port <port>', 'TCP port to listen on (0 picks a free one)', '9030')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--scenario <file>', 'scenario JSON file (default: the built-in demo cluster)')
    .option('--quiet', 'do not log statements to stderr')
    .addHelpText('after', EXAMPLES)
    .action(async (options: EmulatorCommandOptions) => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const code = await runEmulatorCommand(options, {
        stdout: process.stdout,
        stderr: process.stderr,
        signal: controller.signal,
      });
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.exitCode = code;
    });
}
