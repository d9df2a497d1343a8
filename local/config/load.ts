/** Reading the configuration file for the CLI: the file's text, parsed by the domain. */
import { readFile } from 'node:fs/promises';
import { assertConfigFileType, configReadError, parseConfigText } from '#domain/config/config-text.ts';
import type { BackupConfig } from '#domain/config/schema.ts';

/** Reads, parses (YAML or JSON by extension) and validates a configuration file. Throws `ConfigError`. */
export async function loadConfigFile(path: string): Promise<BackupConfig> {
  assertConfigFileType(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw configReadError(path, error);
  }
  return parseConfigText(path, text);
}
