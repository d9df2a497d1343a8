import type { Command } from 'commander';
import type { EmulatorCommandOptions } from '../emulator/emulator-command.ts';

const EXAMPLES = `
Examples:
  $ sr-backup emulator                              # the demo cluster on 127.0.0.1:9030
  $ sr-backup emulator --port 19030 --scenario test/fixtures/cluster.json
  $ sr-backup emulator --tls-cert server.pem --tls-key server.key   # TLS on the MySQL port (3.4.1+)
  $ mariadb -h 127.0.0.1 -P 9030 -u root -e 'SHOW DATABASES'

The scenario file is JSON: {"version": "3.3", "feTimeZone": "Asia/Shanghai",
  "repositories": [{"name": "s3_repo", "location": "s3a://bucket/path"}],
  "databases": [{"name": "sales", "tables": [{"name": "orders", "sizeBytes": 1048576}]}]}
(see docs/emulator.md for every field).`;

/** Adds `sr-backup emulator [--port 9030] [--host 127.0.0.1] [--scenario file.json]`. */
export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('Start the embedded StarRocks FE emulator (MySQL protocol) for local runs, demos and tests')
    .option('--port <port>', 'TCP port to listen on (0 picks a free one)', '9030')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--scenario <file>', 'scenario JSON file (default: the built-in demo cluster)')
    .option('--quiet', 'do not log statements to stderr')
    .option('--tls-cert <file>', 'PEM certificate (chain) to serve TLS with (StarRocks 3.4.1+ profiles)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .addHelpText('after', EXAMPLES)
    .action(async (options: EmulatorCommandOptions) => {
      const { runEmulatorCommand } = await import('../emulator/emulator-command.ts');
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
