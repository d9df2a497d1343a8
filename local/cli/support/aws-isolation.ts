/**
 * Local mode needs no AWS account, credentials or region, and must not be disturbed by the ones a user has:
 * settings such as AWS_USE_FIPS_ENDPOINT, a profile with `use_fips_endpoint`, or an AWS_ENDPOINT_URL would
 * otherwise change how the SDK talks to the local DynamoDB. The local commands drop them for their own process.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Variables the SDK reads that have nothing to do with AWS accounts; they stay. */
const KEPT = new Set(['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED']);

/**
 * Removes every `AWS_*` variable from `env` (except harmless ones) and points the shared config and credentials
 * files at a path that does not exist, so neither environment nor `~/.aws` can reach the local clients.
 */
export function isolateFromAwsSettings(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of Object.keys(env)) {
    if (name.startsWith('AWS_') && !KEPT.has(name)) delete env[name];
  }
  const nowhere = join(tmpdir(), 'sr-backup-local-mode-has-no-aws-config');
  env.AWS_CONFIG_FILE = nowhere;
  env.AWS_SHARED_CREDENTIALS_FILE = nowhere;
}
