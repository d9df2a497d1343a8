import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import dynalite from 'dynalite';
import { StateDirBusyError } from './errors.ts';

/** A running embedded DynamoDB-compatible server. */
export interface EmbeddedDynamo {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Where the data lives, or null when it is in memory. */
  readonly dataDir: string | null;
  /** Stops the server, flushes and closes the store, and frees the state directory. Safe to call twice. */
  close(): Promise<void>;
}

/** Sub-directory of the state directory holding dynalite's LevelDB store. */
export const DYNAMO_DATA_DIR = 'dynamodb';
/** Sub-directory holding the LevelDB whose LOCK marks the state directory as in use. */
export const DYNAMO_LOCK_DIR = 'dynamodb.lock';
/** File in which the process that holds the state directory publishes its server's endpoint, for readers. */
export const DYNAMO_ENDPOINT_FILE = 'dynamodb.endpoint.json';

/**
 * The endpoint the process holding `stateDir` serves its store on, or undefined when none is published (no
 * process holds it, or one from before endpoints were published).
 */
export async function publishedEndpoint(stateDir: string): Promise<string | undefined> {
  try {
    const published = JSON.parse(await readFile(join(stateDir, DYNAMO_ENDPOINT_FILE), 'utf8')) as {
      endpoint?: unknown;
    };
    return typeof published.endpoint === 'string' && /^http:\/\/127\.0\.0\.1:\d+$/.test(published.endpoint)
      ? published.endpoint
      : undefined;
  } catch {
    return undefined;
  }
}

/** The process that holds a state directory, as it published itself. */
export interface StateDirHolder {
  readonly pid: number;
  readonly endpoint: string | undefined;
}

/**
 * The process holding `stateDir` right now, or undefined when none does. Asks the directory's lock (never the
 * published file alone: a process that crashed leaves its file behind, and its pid may belong to another process
 * by now). Briefly takes the lock when it is free.
 */
export async function stateDirHolder(stateDir: string): Promise<StateDirHolder | undefined> {
  if (!existsSync(stateDir)) return undefined;
  let guard: LevelLike;
  try {
    guard = await lockStateDir(stateDir);
  } catch (error) {
    if (!(error instanceof StateDirBusyError)) throw error;
    try {
      const published = JSON.parse(await readFile(join(stateDir, DYNAMO_ENDPOINT_FILE), 'utf8')) as {
        pid?: unknown;
      };
      return typeof published.pid === 'number' && Number.isInteger(published.pid) && published.pid > 0
        ? { pid: published.pid, endpoint: await publishedEndpoint(stateDir) }
        : undefined;
    } catch {
      return undefined;
    }
  }
  await guard.close();
  return undefined;
}

interface LevelLike {
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1, port 0: in memory, or persisted in `<stateDir>/dynamodb` when `stateDir` is given.
 *
 * Exclusivity: dynalite reports a LevelDB store that is already open elsewhere only as errors on later requests
 * (or an uncaught iterator error), so before starting it we open a small LevelDB of our own in
 * `<stateDir>/dynamodb.lock` and keep it open while the server runs. LevelDB locks its LOCK file with fcntl,
 * which the OS releases when the process dies (no stale lock after a crash) and which LevelDB also refuses
 * within one process. A busy directory becomes a StateDirBusyError.
 */
export async function startEmbeddedDynamo(options: { stateDir?: string } = {}): Promise<EmbeddedDynamo> {
  let guard: LevelLike | undefined;
  let dataDir: string | null = null;
  if (options.stateDir !== undefined) {
    await mkdir(options.stateDir, { recursive: true });
    guard = await lockStateDir(options.stateDir);
    // A holder that died (SIGKILL, a crash) left its file behind: nobody may read it as ours while we start.
    await rm(join(options.stateDir, DYNAMO_ENDPOINT_FILE), { force: true });
    dataDir = resolve(options.stateDir, DYNAMO_DATA_DIR);
  }

  let server: Server;
  try {
    server = dynalite({
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
      ...(dataDir === null ? {} : { path: dataDir }),
    });
    await listen(server);
  } catch (error) {
    await guard?.close();
    throw error;
  }

  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const endpointFile =
    options.stateDir === undefined ? undefined : join(options.stateDir, DYNAMO_ENDPOINT_FILE);
  // Written only while we hold the lock, so a reader that finds the directory busy finds this server; written
  // whole then renamed, so a reader never sees half a file.
  if (endpointFile !== undefined) {
    await writeFile(`${endpointFile}.tmp`, `${JSON.stringify({ endpoint, pid: process.pid })}\n`);
    await rename(`${endpointFile}.tmp`, endpointFile);
  }
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    dataDir,
    close() {
      closing ??= (async () => {
        await new Promise<void>((done, fail) => {
          server.close((error) => (error ? fail(error) : done()));
          // Keep-alive sockets of SDK clients would otherwise hold close() open until they time out.
          server.closeIdleConnections();
        });
        if (endpointFile !== undefined) await rm(endpointFile, { force: true });
        await guard?.close();
      })();
      return closing;
    },
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
}

async function lockStateDir(stateDir: string): Promise<LevelLike> {
  const lockPath = join(stateDir, DYNAMO_LOCK_DIR);
  const guard = openLevel(lockPath);
  try {
    await guard.open();
  } catch (error) {
    if (isLevelLocked(error)) throw new StateDirBusyError(stateDir, join(lockPath, 'LOCK'));
    throw error;
  }
  return guard;
}

/** LevelDB through the same `level` package dynalite uses, so both agree on the native binding. */
function openLevel(location: string): LevelLike {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { Level } = fromDynalite('level') as { Level: new (location: string) => LevelLike };
  return new Level(location);
}

function isLevelLocked(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ((current as { code?: unknown }).code === 'LEVEL_LOCKED') return true;
  }
  return false;
}
