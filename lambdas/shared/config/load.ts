/**
 * Reading and validating the configuration: from an object, from a YAML/JSON file (async for the CLI,
 * sync for the CDK app), and picking one cluster's settings for an execution's input.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { type ConfigIssue, configErrorMap, flattenIssues, formatIssue, type IssuePath } from './issues.ts';
import {
  type BackupConfig,
  backupConfigSchema,
  type ClusterSettings,
  clusterSchema,
  clusterSettingsSchema,
  lockSchema,
  pollSchema,
  scheduleSchema,
  slackSchema,
} from './schema.ts';

const TLS_KEYS = ['rejectUnauthorized', 'ca'];

function keysOf(schema: { shape: Record<string, unknown> }): string[] {
  return Object.keys(schema.shape);
}

/** The field names allowed at a path of the configuration file. */
function configKeysAt(path: IssuePath): readonly string[] {
  const [first, , third] = path;
  if (path.length === 0) return keysOf(backupConfigSchema);
  if (first === 'poll') return keysOf(pollSchema);
  if (first === 'lock') return keysOf(lockSchema);
  if (first === 'slack') return keysOf(slackSchema);
  if (first === 'clusters' && path.length === 2) return keysOf(clusterSchema);
  if (first === 'clusters' && third === 'tls') return TLS_KEYS;
  if (first === 'clusters' && third === 'schedules' && path.length === 4) return keysOf(scheduleSchema);
  return [];
}

/** The field names allowed at a path of the cluster settings. */
function settingsKeysAt(path: IssuePath): readonly string[] {
  const [first] = path;
  if (path.length === 0) return keysOf(clusterSettingsSchema);
  if (first === 'poll') return keysOf(pollSchema);
  if (first === 'lock') return keysOf(lockSchema);
  if (first === 'tls') return TLS_KEYS;
  return [];
}

type Validation<T> = { ok: true; value: T } | { ok: false; issues: ConfigIssue[] };

function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  keysAt: (path: IssuePath) => readonly string[],
): Validation<z.output<S>> {
  const result = schema.safeParse(input, { error: configErrorMap });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: flattenIssues(result.error.issues, keysAt) };
}

function configError(
  title: string,
  issues: readonly ConfigIssue[],
  locate?: (path: IssuePath) => string,
): ConfigError {
  const lines = issues.map((issue) => {
    const where = locate?.(issue.path);
    return where ? `${formatIssue(issue)} (${where})` : formatIssue(issue);
  });
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return new ConfigError(`${title} (${count}):\n  - ${lines.join('\n  - ')}`, issues.map(formatIssue));
}

/**
 * Validates a configuration object (already parsed from YAML or JSON) and fills in defaults.
 * Throws `ConfigError` listing every problem as `path: message`.
 */
export function parseConfig(input: unknown): BackupConfig {
  const result = validate(backupConfigSchema, input, configKeysAt);
  if (!result.ok) throw configError('Invalid configuration', result.issues);
  return result.value;
}

/**
 * Validates cluster settings taken from an execution's input. Throws `ConfigError` listing every problem.
 */
export function parseClusterSettings(input: unknown): ClusterSettings {
  const result = validate(clusterSettingsSchema, input, settingsKeysAt);
  if (!result.ok) throw configError('Invalid cluster settings', result.issues);
  return result.value;
}

/**
 * The settings of one cluster as they travel in an execution's input: the cluster without its schedules,
 * plus the poll and lock settings. Throws `ConfigError` when the configuration has no such cluster.
 */
export function toClusterSettings(config: BackupConfig, clusterName: string): ClusterSettings {
  const cluster = config.clusters.find((candidate) => candidate.name === clusterName);
  if (cluster === undefined) {
    const known = config.clusters.map((candidate) => candidate.name).join(', ');
    const message = `cluster "${clusterName}" is not in the configuration (clusters: ${known})`;
    throw new ConfigError(message, [`clusters: ${message}`]);
  }
  const { schedules: _schedules, ...settings } = cluster;
  return structuredClone({ ...settings, poll: config.poll, lock: config.lock });
}

/** The include/exclude patterns that apply to one run: the schedule's own when it sets them, else the cluster's. */
export function effectiveDatabaseFilters(
  cluster: { readonly include: readonly string[]; readonly exclude: readonly string[] },
  schedule?: {
    readonly include?: readonly string[] | undefined;
    readonly exclude?: readonly string[] | undefined;
  },
): { include: string[]; exclude: string[] } {
  return {
    include: [...(schedule?.include ?? cluster.include)],
    exclude: [...(schedule?.exclude ?? cluster.exclude)],
  };
}

const SUPPORTED_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function fileReadError(path: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EISDIR'
        ? 'is a directory, not a file'
        : code === 'EACCES'
          ? 'permission denied'
          : `cannot be read (${code ?? 'unknown error'})`;
  return new ConfigError(`Configuration file ${path}: ${reason}`, [`${path}: ${reason}`]);
}

function checkExtension(path: string): void {
  const extension = extname(path).toLowerCase();
  if (!SUPPORTED_EXTENSIONS.has(extension)) {
    const reason = `unsupported file type "${extension || '(none)'}" (use .yaml, .yml or .json)`;
    throw new ConfigError(`Configuration file ${path}: ${reason}`, [`${path}: ${reason}`]);
  }
}

/** The YAML key node a path points at; stops at the deepest node that exists. */
function nodeAt(document: Document, path: IssuePath): Node | undefined {
  let node: unknown = document.contents;
  let found: Node | undefined = document.contents ?? undefined;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
      if (pair === undefined) break;
      found = (last ? pair.key : (pair.value ?? pair.key)) as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      found = item as Node;
      node = item;
    } else {
      break;
    }
  }
  return found;
}

function parseFileText(path: string, text: string): BackupConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    // Our own short messages: YAML's pretty errors quote the source line, which may hold a pasted secret.
    const issues = document.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return `${path}:${line}:${col}: ${error.message.split('\n')[0]}`;
    });
    throw new ConfigError(
      `Configuration file ${path} is not valid YAML/JSON:\n  - ${issues.join('\n  - ')}`,
      issues,
    );
  }
  let input: unknown;
  try {
    input = document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'unreadable document';
    throw new ConfigError(`Configuration file ${path}: ${reason}`, [`${path}: ${reason}`]);
  }
  if (input === null || input === undefined) {
    throw new ConfigError(`Configuration file ${path} is empty`, [`${path}: the file is empty`]);
  }
  const result = validate(backupConfigSchema, input, configKeysAt);
  if (result.ok) return result.value;
  const locate = (issuePath: IssuePath): string => {
    const node = nodeAt(document, issuePath);
    if (node?.range === undefined || node.range === null) return path;
    const { line, col } = lineCounter.linePos(node.range[0]);
    return `${path}:${line}:${col}`;
  };
  throw configError(`Invalid configuration in ${path}`, result.issues, locate);
}

/** Reads, parses (YAML or JSON by extension) and validates a configuration file. Throws `ConfigError`. */
export async function loadConfigFile(path: string): Promise<BackupConfig> {
  checkExtension(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw fileReadError(path, error);
  }
  return parseFileText(path, text);
}

/** The synchronous twin of `loadConfigFile`, for the CDK app. Throws `ConfigError`. */
export function loadConfigFileSync(path: string): BackupConfig {
  checkExtension(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw fileReadError(path, error);
  }
  return parseFileText(path, text);
}
