import { type Clock, systemClock } from '../clock.ts';
import { type EnvironmentVariables, parseEnv, type RuntimeEnv } from '../env.ts';

/** A built Slack message, as the local runner may want to show it. */
export interface ObservedAlert {
  readonly kind: 'backup-failure' | 'run-summary';
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
  readonly isHolderAlive?: (holder: string) => Promise<boolean>;
  readonly observeAlert?: (alert: ObservedAlert) => void;
  /** Where local secrets (STARROCKS_PASSWORD…, SLACK_WEBHOOK_URL) are read from; process.env by default. */
  readonly secretEnv?: EnvironmentVariables;
}

let overrides: RuntimeOverrides = {};
let cachedEnv: RuntimeEnv | undefined;
const resetHooks = new Set<() => void>();

/** Installs local overrides and drops every cached client, so the next invocation rebuilds them. */
export function configureRuntime(next: RuntimeOverrides): void {
  overrides = next;
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
