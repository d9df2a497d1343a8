/**
 * The configuration file's text into a validated configuration, with every problem located by file, line and
 * column. No file access here: the CLI (local/config/load.ts) and the CDK app (cdk/config-file.ts) read the file
 * and hand its text over. Lambda bundles never import this (they would carry a YAML parser).
 */
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { ConfigError } from '#domain/errors.ts';
import type { IssuePath } from './issues.ts';
import { configError, configKeysAt, validate } from './parse.ts';
import { type BackupConfig, backupConfigSchema } from './schema.ts';

const SUPPORTED_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** The ConfigError for a file that could not be read, from the read's error code (never its text). */
export function configReadError(path: string, error: unknown): ConfigError {
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

/** Throws ConfigError unless the file's name ends in .yaml, .yml or .json. */
export function assertConfigFileType(path: string): void {
  const extension = (/\.[^./\\]*$/.exec(path)?.[0] ?? '').toLowerCase();
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

/**
 * Parses (YAML, of which JSON is a subset) and validates the text of the configuration file `path`. Problems
 * name the file and, for schema problems, the line and column. Throws ConfigError.
 */
export function parseConfigText(path: string, text: string): BackupConfig {
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
