/** Reading the configuration file for the CDK app (synchronously, as the app is built): parsed by the domain. */
import { readFileSync } from 'node:fs';
import { assertConfigFileType, configReadError, parseConfigText } from '#domain/config/config-text.ts';
import type { BackupConfig } from '#domain/config/schema.ts';

/** Reads, parses (YAML or JSON by extension) and validates a configuration file. Throws `ConfigError`. */
export function loadConfigFileSync(path: string): BackupConfig {
  assertConfigFileType(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw configReadError(path, error);
  }
  return parseConfigText(path, text);
}
