/**
 * Reading the configuration from a YAML or JSON file: async for the CLI, sync for the CDK app. Errors name the
 * file and, for schema problems, the line and column.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { IssuePath } from '#domain/config/issues.ts';
import { configError, configKeysAt, validate } from '#domain/config/parse.ts';
import { type BackupConfig, backupConfigSchema } from '#domain/config/schema.ts';
import { ConfigError } from '#domain/errors.ts';

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
