/**
 * How hard a Slack post tries, for both ways of posting (incoming webhook, Web API): a bounded timeout per attempt,
 * a bounded number of attempts within a bounded total time, Retry-After honoured up to a limit, and exponential
 * backoff with jitter otherwise.
 */
import { type Clock, systemClock } from '#domain/clock.ts';
import type { AppLogger } from '#domain/logger.ts';

/** How hard delivery tries. Every field has a default. */
export interface SlackDeliveryOptions {
  /** Per-attempt timeout (default 5000 ms). */
  timeoutMs?: number | undefined;
  /** Attempts in all, the first included (default 3). */
  maxAttempts?: number | undefined;
  /** The whole delivery, attempts and waits together, ends within this (default 20,000 ms). */
  totalTimeoutMs?: number | undefined;
  /** A 429's Retry-After is honoured up to this; a longer one ends the delivery (default 10,000 ms). */
  maxRetryAfterMs?: number | undefined;
  /** First backoff after a 5xx or no answer, doubled per attempt, with ±25% jitter (default 500 ms). */
  baseBackoffMs?: number | undefined;
  /** Waits between attempts (injected so tests do not wait). */
  sleep?: ((milliseconds: number) => Promise<void>) | undefined;
  /** Jitter source in [0, 1) (default Math.random). */
  random?: (() => number) | undefined;
  clock?: Clock | undefined;
}

/** The defaults of {@link SlackDeliveryOptions}. */
export const DEFAULT_SLACK_DELIVERY = {
  timeoutMs: 5_000,
  maxAttempts: 3,
  totalTimeoutMs: 20_000,
  maxRetryAfterMs: 10_000,
  baseBackoffMs: 500,
} as const;

const BACKOFF_CAP_MS = 4_000;

/** The delay a Retry-After header asks for (delta-seconds or an HTTP date), in ms. */
export function parseRetryAfter(value: string | null | undefined, nowMillis: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - nowMillis) : undefined;
}

/** What an attempt needs to judge its failure. */
export interface AttemptTools {
  /** The timeout of this attempt (the per-attempt timeout, or less when the total time runs out). */
  readonly timeoutMs: number;
  /** The jittered exponential backoff after this attempt. */
  backoff(): number;
  /** For Retry-After dates. */
  readonly clock: Clock;
  /** A longer Retry-After ends the delivery. */
  readonly maxRetryAfterMs: number;
}

/**
 * One attempt's result: `done` with what the post returned, or an error (already free of secrets) with the wait
 * before the next attempt (`retryInMs` undefined: do not retry, the same post would fail again).
 */
export type AttemptResult<T> =
  | { readonly done: T }
  | { readonly error: string; readonly retryInMs: number | undefined };

/** The outcome of {@link postWithRetries}; never thrown. */
export type RetriedPost<T> =
  | { readonly done: T; readonly attempts: number }
  | { readonly done?: undefined; readonly error: string; readonly attempts: number };

/**
 * Runs `attempt` until it is done, it says not to retry, the attempts are spent, or the next one would not fit in
 * the total time. Each retry is logged as a warning, a failed delivery as an error (`messages` names the way of
 * posting); the error carries the attempt count. Never throws unless `attempt` does.
 */
export async function postWithRetries<T>(
  attempt: (tools: AttemptTools) => Promise<AttemptResult<T>>,
  logger: AppLogger,
  messages: { readonly retrying: string; readonly failed: string },
  options: SlackDeliveryOptions = {},
): Promise<RetriedPost<T>> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SLACK_DELIVERY.timeoutMs;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_SLACK_DELIVERY.maxAttempts));
  const totalTimeoutMs = options.totalTimeoutMs ?? DEFAULT_SLACK_DELIVERY.totalTimeoutMs;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_SLACK_DELIVERY.maxRetryAfterMs;
  const baseBackoffMs = options.baseBackoffMs ?? DEFAULT_SLACK_DELIVERY.baseBackoffMs;
  const sleep =
    options.sleep ?? ((milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)));
  const random = options.random ?? Math.random;
  const clock = options.clock ?? systemClock;

  const startedAt = clock.now();
  let attempts = 0;
  let lastError = 'the delivery had no time to start';
  while (attempts < maxAttempts) {
    const remainingMs = totalTimeoutMs - (clock.now() - startedAt);
    if (remainingMs <= 0) break;
    attempts += 1;
    const made = attempts;
    const result = await attempt({
      timeoutMs: Math.min(timeoutMs, remainingMs),
      backoff: () =>
        Math.round(Math.min(BACKOFF_CAP_MS, baseBackoffMs * 2 ** (made - 1)) * (0.75 + 0.5 * random())),
      clock,
      maxRetryAfterMs,
    });
    if ('done' in result) return { done: result.done, attempts };

    lastError = result.error;
    const { retryInMs } = result;
    if (retryInMs === undefined || attempts >= maxAttempts) break;
    if (clock.now() - startedAt + retryInMs >= totalTimeoutMs) {
      lastError = `${lastError}; no time left for another attempt`;
      break;
    }
    logger.warn(messages.retrying, { attempt: attempts, maxAttempts, retryInMs, error: lastError });
    await sleep(retryInMs);
  }
  const error = `${lastError} (${attempts} attempt${attempts === 1 ? '' : 's'})`;
  logger.error(messages.failed, { attempts, error });
  return { error, attempts };
}
