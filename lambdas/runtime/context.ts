import { type Clock, systemClock } from '#domain/clock.ts';
import type { HolderLiveness } from '#domain/lock/index.ts';
import { type EnvironmentVariables, parseEnv, type RuntimeEnv } from './env.ts';

/** A built Slack message, as the local runner may want to show it. */
export interface ObservedAlert {
  readonly kind: 'backup-failure' | 'run-summary' | 'alert';
  readonly text: string;
  readonly delivered: boolean;
}

/**
 * What the local runner (and only it) may replace in the Lambdas' runtime: the clock, the environment,
 * how lock holders' liveness is checked, and an observer of alerts. Deployed, none is set and every
 * dependency comes from the environment and the AWS SDK.
 */
export interface RuntimeOverrides {
  readonly clock?: Clock;
  readonly env?: RuntimeEnv;
  readonly livenessOf?: (holder: string) => Promise<HolderLiveness>;
  readonly observeAlert?: (alert: ObservedAlert) => void;
  /** Where local secrets (STARROCKS_PASSWORD…, SLACK_WEBHOOK_URL) are read from; process.env by default. */
  readonly secretEnv?: EnvironmentVariables;
}

let overrides: RuntimeOverrides = {};
let cachedEnv: RuntimeEnv | undefined;
const resetHooks = new Set<() => void>();

/**
 * Installs local overrides. Cached clients are dropped (and rebuilt at the next invocation) only when what
 * they were built from changed, so two local runs sharing one setup can overlap in one process.
 */
export function configureRuntime(next: RuntimeOverrides): void {
  const rebuild =
    next.clock !== overrides.clock ||
    next.livenessOf !== overrides.livenessOf ||
    JSON.stringify(next.env) !== JSON.stringify(overrides.env) ||
    JSON.stringify(next.secretEnv) !== JSON.stringify(overrides.secretEnv);
  overrides = next;
  if (!rebuild) return;
  cachedEnv = undefined;
  for (const reset of resetHooks) reset();
}

/** Registers how a runtime module forgets its cached clients when the runtime is reconfigured. */
export function onRuntimeReset(reset: () => void): void {
  resetHooks.add(reset);
}

/** The current overrides (empty when deployed). */
export function runtimeOverrides(): RuntimeOverrides {
  return overrides;
}

/** The clock every core uses. */
export function runtimeClock(): Clock {
  return overrides.clock ?? systemClock;
}

/** The parsed environment, read once per cold start (or per local reconfiguration). */
export function runtimeEnv(): RuntimeEnv {
  cachedEnv ??= overrides.env ?? parseEnv();
  return cachedEnv;
}
