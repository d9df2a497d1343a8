/**
 * Runs the real `sr-backup` CLI as a child process (`node bin/sr-backup.js …`), asynchronously so that servers
 * in the test process (the emulator, dynalite) keep answering, and writes configuration files for it.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { EmulatorScenario } from '#local/emulator/index.ts';

/** The repository root (the CLI's working directory unless a test says otherwise). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(REPO_ROOT, 'bin/sr-backup.js');

/** What a CLI run produced. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the child process, ms. */
  readonly elapsedMs: number;
}

/** A started CLI process whose output can be awaited line by line. */
export interface CliProcess {
  readonly done: Promise<CliRun>;
  /** Resolves once stdout or stderr contains `text`. */
  waitForOutput(text: string): Promise<void>;
  /** Sends `signal` to the child process (SIGINT: what Ctrl-C sends). */
  signal(signal: NodeJS.Signals): void;
}

/**
 * The environment a child gets: the test process's, without secrets a developer may have set (so tests are
 * deterministic), plus `env`.
 */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(base)) {
    if (
      name.startsWith('STARROCKS_PASSWORD') ||
      name === 'SLACK_WEBHOOK_URL' ||
      name === 'POWERTOOLS_LOG_LEVEL'
    )
      delete base[name];
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
}

/** Starts `sr-backup <args>`. */
export function startCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): CliProcess {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: childEnv(options.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const check = (): void => {
    for (const waiter of [...waiters]) {
      if (stdout.includes(waiter.text) || stderr.includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    check();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    check();
  });
  const done = new Promise<CliRun>((resolveRun, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      resolveRun({ code, stdout, stderr, elapsedMs: performance.now() - started });
      for (const waiter of waiters.splice(0)) waiter.resolve();
    });
  });
  return {
    done,
    waitForOutput: (text) =>
      new Promise<void>((resolveWait) => {
        waiters.push({ text, resolve: resolveWait });
        check();
      }),
    signal: (signal) => {
      child.kill(signal);
    },
  };
}

/** Runs `sr-backup <args>` to the end. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<CliRun> {
  return startCli(args, options).done;
}

/** The small cluster the CLI tests back up: short jobs, one that StarRocks cancels, one excluded, one empty. */
export const CLI_TEST_SCENARIO: EmulatorScenario = {
  version: '3.3',
  feTimeZone: 'Asia/Shanghai',
  repositories: [{ name: 's3_repo', location: 's3a://cli-tests/backups' }],
  databases: [
    {
      name: 'sales',
      tables: [
        { name: 'orders', sizeBytes: 4096 },
        { name: 'items', sizeBytes: 2048 },
      ],
      backup: { durationMs: 1200 },
    },
    { name: 'crm', tables: [{ name: 'contacts', sizeBytes: 1024 }], backup: { durationMs: 900 } },
    {
      name: 'broken',
      tables: [{ name: 'events', sizeBytes: 1024 }],
      backup: {
        durationMs: 900,
        outcome: {
          cancelWithStatus: '[COMMON_ERROR, msg: failed to choose replica to make snapshot for tablet 10042]',
        },
      },
    },
    { name: 'slow', tables: [{ name: 'big', sizeBytes: 1 << 30 }], backup: { durationMs: 3500 } },
    { name: 'scratch_tmp', tables: [{ name: 't', sizeBytes: 10 }] },
    { name: 'empty_db', tables: [] },
  ],
};

/** A configuration for one cluster on `port` (YAML), with schedule `nightly` and poll bounds of 1–2 s. */
export function clusterConfig(
  port: number,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    clusters: [
      {
        name: 'local',
        host: '127.0.0.1',
        port,
        repository: 's3_repo',
        exclude: ['scratch_*', 'slow'],
        maxConcurrentBackups: 4,
        connectTimeoutSeconds: 3,
        schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
        ...overrides,
      },
    ],
    poll: { minSeconds: 1, maxSeconds: 2 },
  };
}

/** Writes `config` as YAML to `<dir>/<name>` and returns the path. */
export async function writeConfig(dir: string, name: string, config: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, stringify(config));
  return path;
}

/** A TCP port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  return port;
}

/** Parses stdout as exactly one JSON document (throws when anything else is on it). */
export function parseJsonDocument(stdout: string): unknown {
  return JSON.parse(stdout);
}

/** The BACKUP statements the emulator received. */
export function backupStatements(statements: readonly { readonly sql: string }[]): string[] {
  return statements.map((entry) => entry.sql).filter((sql) => /^\s*BACKUP\s/i.test(sql));
}
