/**
 * Posts one message to a Slack incoming webhook with a bounded timeout and bounded retries, and reports
 * the outcome as a value: Slack being down must never fail a workflow or cost it its catalog record.
 *
 * The webhook URL is a secret (anyone holding it can post to the channel), so it never appears in a log
 * line, an error or a result: every text that leaves this module goes through {@link redactWebhookUrl}.
 */
import { type FetchFunction, IncomingWebhook } from '@slack/webhook';
import { type Clock, systemClock } from '../shared/clock.ts';
import type { AppLogger } from '../shared/logger.ts';
import type { SlackMessage } from './slack-message.ts';

/** The outcome of one post. It is never thrown. */
export type SlackDeliveryResult =
  | { delivered: true; attempts: number }
  | { delivered: false; skipped: 'no-webhook' | 'alert-limit' }
  | { delivered: false; error: string; attempts: number };

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
/** Grace for the library's own abort to win before our backstop timer declares the attempt lost. */
const BACKSTOP_GRACE_MS = 250;
const SLACK_HOOK_URL = /https?:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"'<>`]*/gi;
const REDACTED = '[redacted webhook URL]';

/**
 * Removes the webhook URL from `text`: the URL itself, its path (errors sometimes quote only that),
 * and anything that looks like a Slack hook URL.
 */
export function redactWebhookUrl(text: string, webhookUrl?: string): string {
  let redacted = text;
  if (webhookUrl !== undefined && webhookUrl !== '') {
    redacted = redacted.split(webhookUrl).join(REDACTED);
    const path = safePath(webhookUrl);
    if (path !== undefined && path.length >= 8) redacted = redacted.split(path).join('/[redacted]');
  }
  return redacted.replaceAll(SLACK_HOOK_URL, REDACTED);
}

function safePath(url: string): string | undefined {
  try {
    const { pathname } = new URL(url);
    return pathname === '/' ? undefined : pathname;
  } catch {
    return undefined;
  }
}

/** The delay a Retry-After header asks for (delta-seconds or an HTTP date), in ms. */
export function parseRetryAfter(value: string | null | undefined, nowMillis: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - nowMillis) : undefined;
}

type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'http'; status: number; body: string; retryAfter: string | null }
  | { kind: 'no-answer'; timedOut: boolean; detail: string };

interface WebhookErrorShape {
  code?: unknown;
  statusCode?: unknown;
  body?: unknown;
  original?: unknown;
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || isTimeout(error.cause));
}

/** One POST through @slack/webhook, with its own retries off (ours honour Retry-After). */
async function attemptOnce(
  webhookUrl: string,
  message: SlackMessage,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  let retryAfter: string | null = null;
  // The library's errors carry no headers; a fetch wrapper keeps Retry-After for us.
  const fetchKeepingRetryAfter: FetchFunction = async (url, init) => {
    const response = await fetch(url, init);
    retryAfter = response.headers.get('retry-after');
    return response;
  };
  const webhook = new IncomingWebhook(webhookUrl, {
    timeout: timeoutMs,
    retryConfig: { retries: 0 },
    fetch: fetchKeepingRetryAfter,
  });
  let backstop: NodeJS.Timeout | undefined;
  const lost = new Promise<AttemptOutcome>((resolve) => {
    backstop = setTimeout(
      () => resolve({ kind: 'no-answer', timedOut: true, detail: 'no answer' }),
      timeoutMs + BACKSTOP_GRACE_MS,
    );
  });
  const sent = webhook.send({ text: message.text, blocks: message.blocks }).then(
    (): AttemptOutcome => ({ kind: 'delivered' }),
    (error: unknown): AttemptOutcome => {
      const shape = (typeof error === 'object' && error !== null ? error : {}) as WebhookErrorShape;
      if (shape.code === 'slack_webhook_http_error' && typeof shape.statusCode === 'number') {
        return { kind: 'http', status: shape.statusCode, body: String(shape.body ?? ''), retryAfter };
      }
      const original = shape.original ?? error;
      return { kind: 'no-answer', timedOut: isTimeout(original), detail: describeCause(original) };
    },
  );
  try {
    return await Promise.race([sent, lost]);
  } finally {
    clearTimeout(backstop);
  }
}

interface AttemptVerdict {
  error: string;
  /** Wait this long and try again; `undefined` = do not retry. */
  retryInMs: number | undefined;
}

/**
 * Posts `message` to `webhookUrl`. Retries a 429 after its Retry-After (up to `maxRetryAfterMs`), and
 * a 5xx, a timeout or a network error after an exponential backoff with jitter; never a 4xx (the message
 * or the webhook is wrong, and the same post would fail again). Never throws.
 */
export async function deliverSlackMessage(
  webhookUrl: string,
  message: SlackMessage,
  logger: AppLogger,
  options: SlackDeliveryOptions = {},
): Promise<SlackDeliveryResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SLACK_DELIVERY.timeoutMs;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_SLACK_DELIVERY.maxAttempts));
  const totalTimeoutMs = options.totalTimeoutMs ?? DEFAULT_SLACK_DELIVERY.totalTimeoutMs;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_SLACK_DELIVERY.maxRetryAfterMs;
  const baseBackoffMs = options.baseBackoffMs ?? DEFAULT_SLACK_DELIVERY.baseBackoffMs;
  const sleep =
    options.sleep ?? ((milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)));
  const random = options.random ?? Math.random;
  const clock = options.clock ?? systemClock;
  const redact = (text: string): string => redactWebhookUrl(text, webhookUrl);

  const backoff = (attempt: number): number => {
    const exponential = Math.min(BACKOFF_CAP_MS, baseBackoffMs * 2 ** (attempt - 1));
    return Math.round(exponential * (0.75 + 0.5 * random()));
  };
  const judge = (
    outcome: Exclude<AttemptOutcome, { kind: 'delivered' }>,
    attempt: number,
    attemptTimeoutMs: number,
  ): AttemptVerdict => {
    if (outcome.kind === 'no-answer') {
      const error = outcome.timedOut
        ? `no answer from Slack within ${attemptTimeoutMs} ms`
        : `could not reach Slack: ${outcome.detail}`;
      return { error, retryInMs: backoff(attempt) };
    }
    const body = outcome.body.trim().slice(0, 120);
    const said = body === '' ? '' : ` (${body})`;
    if (outcome.status === 429) {
      const asked = parseRetryAfter(outcome.retryAfter, clock.now());
      if (asked !== undefined && asked > maxRetryAfterMs) {
        return {
          error: `Slack rate-limited the webhook (HTTP 429, Retry-After ${Math.ceil(asked / 1000)} s is longer than the ${Math.ceil(maxRetryAfterMs / 1000)} s we wait)`,
          retryInMs: undefined,
        };
      }
      return {
        error: `Slack rate-limited the webhook (HTTP 429)${said}`,
        retryInMs: asked ?? backoff(attempt),
      };
    }
    if (outcome.status >= 500) {
      return { error: `Slack answered HTTP ${outcome.status}${said}`, retryInMs: backoff(attempt) };
    }
    return { error: `Slack refused the message: HTTP ${outcome.status}${said}`, retryInMs: undefined };
  };

  const startedAt = clock.now();
  let attempt = 0;
  let lastError = 'the delivery had no time to start';
  while (attempt < maxAttempts) {
    const remainingMs = totalTimeoutMs - (clock.now() - startedAt);
    if (remainingMs <= 0) break;
    attempt += 1;
    const attemptTimeoutMs = Math.min(timeoutMs, remainingMs);
    const outcome = await attemptOnce(webhookUrl, message, attemptTimeoutMs);
    if (outcome.kind === 'delivered') return { delivered: true, attempts: attempt };

    const verdict = judge(outcome, attempt, attemptTimeoutMs);
    lastError = redact(verdict.error);
    if (verdict.retryInMs === undefined || attempt >= maxAttempts) break;
    if (clock.now() - startedAt + verdict.retryInMs >= totalTimeoutMs) {
      lastError = `${lastError}; no time left for another attempt`;
      break;
    }
    logger.warn('Slack delivery attempt failed; retrying', {
      attempt,
      maxAttempts,
      retryInMs: verdict.retryInMs,
      error: lastError,
    });
    await sleep(verdict.retryInMs);
  }
  const error = `${lastError} (${attempt} attempt${attempt === 1 ? '' : 's'})`;
  logger.error('Slack delivery failed; the message was not posted', { attempts: attempt, error });
  return { delivered: false, error, attempts: attempt };
}
