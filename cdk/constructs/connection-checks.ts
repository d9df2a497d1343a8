/**
 * Synth-time checks of how the FE-facing functions connect: a statement that could outlast its function is a
 * configuration error, and a plaintext or unverified connection a warning (the same texts `sr-backup validate`
 * prints).
 */
import { Annotations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type BackupConfig, connectionWarnings, formatConnectionWarning } from '#domain/config/index.ts';
import { ConfigError } from '#domain/errors.ts';

/** Time a function needs after its last statement gave up: release its leases and report the error. */
export const AFTER_STATEMENT_SECONDS = 10;

/**
 * Throws ConfigError when a cluster's connect plus statement timeout, plus AFTER_STATEMENT_SECONDS, reaches
 * `functionTimeoutSeconds`, the shortest timeout of the FE-facing functions: Lambda would then cut a slow statement
 * off with Sandbox.Timedout before it fails with its own error and releases what it holds, and the run would say
 * nothing about the FE. Then adds a synth warning for every cluster that connects in plaintext or without
 * verifying the FE's certificate.
 */
export function checkFrontEndConnections(
  scope: Construct,
  config: BackupConfig,
  functionTimeoutSeconds: number,
): void {
  const issues = config.clusters.flatMap((cluster, index) => {
    const needed = cluster.connectTimeoutSeconds + cluster.statementTimeoutSeconds;
    if (needed + AFTER_STATEMENT_SECONDS < functionTimeoutSeconds) return [];
    return [
      `clusters[${index}].statementTimeoutSeconds: cluster ${cluster.name}: connectTimeoutSeconds + ` +
        `statementTimeoutSeconds (${cluster.connectTimeoutSeconds} + ${cluster.statementTimeoutSeconds} = ${needed} s) ` +
        `leave less than ${AFTER_STATEMENT_SECONDS} s of the FE-facing function timeout (${functionTimeoutSeconds} s); ` +
        'lower them so that a slow FE fails with its own error and the function still releases its leases',
    ];
  });
  if (issues.length > 0) {
    throw new ConfigError(
      `Statement timeouts longer than their functions (${issues.length}):\n  - ${issues.join('\n  - ')}`,
      issues,
    );
  }
  for (const warning of connectionWarnings(config.clusters)) {
    Annotations.of(scope).addWarningV2(
      'StarRocksBackupScheduler:FrontEndConnection',
      formatConnectionWarning(warning),
    );
  }
}
