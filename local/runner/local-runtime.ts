/** What every local execution (nightly run, drill, restore, freshness check) sets up the same way. */
import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '#domain/clock.ts';
import { causeMessage } from '#domain/workflow/workflow-state.ts';
import { configureRuntime, type ObservedAlert } from '#runtime/context.ts';
import type { EnvironmentVariables } from '#runtime/env.ts';
import { localExecutionLiveness } from './execution-registry.ts';

/** Where the local runs keep their locks and catalog. */
export interface LocalTables {
  readonly endpoint: string;
  readonly locksTableName: string;
  readonly catalogTableName: string;
}

/** What a local execution may set besides the tables. */
export interface LocalRuntimeOptions {
  readonly clock?: Clock | undefined;
  /** STARROCKS_PASSWORD…, SLACK_WEBHOOK_URL; process.env by default. */
  readonly secretEnv?: EnvironmentVariables | undefined;
  /** Sees every Slack message the handlers build. */
  readonly onAlert?: ((alert: ObservedAlert) => void) | undefined;
}

/**
 * Points the Lambdas' runtime at the local tables (DynamoDB at `tables.endpoint`), the clock, and secrets from the
 * environment, with lock holders' liveness answered by this process's execution registry; returns the clock.
 */
export function useLocalRuntime(tables: LocalTables, options: LocalRuntimeOptions = {}): Clock {
  const clock = options.clock ?? systemClock;
  configureRuntime({
    clock,
    env: {
      locksTableName: tables.locksTableName,
      catalogTableName: tables.catalogTableName,
      secretsMode: 'env',
      dynamodbEndpoint: tables.endpoint,
    },
    livenessOf: localExecutionLiveness,
    ...(options.onAlert ? { observeAlert: options.onAlert } : {}),
    ...(options.secretEnv ? { secretEnv: options.secretEnv } : {}),
  });
  return clock;
}

/**
 * `<prefix>-<yyyyMMddTHHmm>-<6 hex>`, cut to Step Functions' 80 characters: readable and unique. Execution names
 * only trace; the catalog and the labels decide what ran.
 */
export function localExecutionName(prefix: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').slice(0, 13);
  return `${prefix}-${stamp}-${randomBytes(3).toString('hex')}`.slice(0, 80);
}

/** The error of an execution that did not succeed: its name and its cause's message. */
export function executionError(outcome: { readonly error: string; readonly cause: string }): {
  readonly name: string;
  readonly message: string;
} {
  return { name: outcome.error, message: causeMessage({ Error: outcome.error, Cause: outcome.cause }) };
}
