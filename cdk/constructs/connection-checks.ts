/**
 * Synth-time checks of how the FE-facing functions connect: a statement that could outlast its function is a
 * configuration error, and a plaintext or unverified connection a warning (the same texts `sr-backup validate`
 * prints).
 */
import { Annotations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  type BackupConfig,
  connectionWarnings,
  formatConnectionWarning,
} from '../../lambdas/shared/config/index.ts';
import { ConfigError } from '../../lambdas/shared/errors.ts';

/**
 * Throws ConfigError when a cluster's connect plus statement timeout reaches `taskTimeoutSeconds`, the shortest
 * timeout of the FE-facing Tasks: Step Functions would then cut a slow statement off with States.Timeout (or Lambda
 * with Sandbox.Timedout) before it fails with its own error, and the run would say nothing about the FE. Then adds
 * a synth warning for every cluster that connects in plaintext or without verifying the FE's certificate.
 */
export function checkFrontEndConnections(
  scope: Construct,
  config: BackupConfig,
  taskTimeoutSeconds: number,
): void {
  const issues = config.clusters.flatMap((cluster, index) => {
    const needed = cluster.connectTimeoutSeconds + cluster.statementTimeoutSeconds;
    if (needed < taskTimeoutSeconds) return [];
    return [
      `clusters[${index}].statementTimeoutSeconds: cluster ${cluster.name}: connectTimeoutSeconds + ` +
        `statementTimeoutSeconds (${cluster.connectTimeoutSeconds} + ${cluster.statementTimeoutSeconds} = ${needed} s) ` +
        `reach the FE-facing Task timeout (${taskTimeoutSeconds} s); lower them below it so that a slow FE fails ` +
        'with its own error instead of a timeout of the Task',
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
