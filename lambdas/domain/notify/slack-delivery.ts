/**
 * Posts one message to a Slack incoming webhook with a bounded timeout and bounded retries, and reports
 * the outcome as a value: Slack being down must never fail a workflow or cost it its catalog record.
 *
 * The webhook URL is a secret (anyone holding it can post to the channel), so it never appears in a log
 * line, an error or a result: every text that leaves this module goes through {@link redactWebhookUrl}.
 */
import type { FetchFunction } from '@slack/webhook';
import type { AppLogger } from '#domain/logger.ts';
import type { SlackMessage } from './slack-message.ts';
import {
  type AttemptResult,
  type AttemptTools,
  parseRetryAfter,
  postWithRetries,
  type SlackDeliveryOptions,
} from './slack-retries.ts';

export { DEFAULT_SLACK_DELIVERY, parseRetryAfter, type SlackDeliveryOptions } from './slack-retries.ts';

/**
 * The outcome of one post. It is never thrown. `httpStatus` is the status of the last answer when Slack (or whatever
 * holds the URL) answered the last attempt with an HTTP error.
 */
export type SlackDeliveryResult =
  | { delivered: true; attempts: number }
  | { delivered: false; skipped: 'no-webhook' | 'alert-limit' }
  | { delivered: false; error: string; attempts: number; httpStatus?: number };

/** What a post that was attempted returns: delivered, or an error. */
export type SlackPostResult = Exclude<SlackDeliveryResult, { skipped: string }>;

/** Grace for the library's own abort to win before our backstop timer declares the attempt lost. */
const BACKSTOP_GRACE_MS = 250;
const SLACK_HOOK_URL = /https?:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"'<>`]*/gi;
const REDACTED = '[redacted webhook URL]';

/**
 * Parts of the webhook URL that are secret on their own: the path (errors sometimes quote only that), each path
 * segment or query value long and varied enough to be a token (`/services/T…/B…/<token>`: an endpoint may echo
 * just the token), and the URL-encoded forms of all of them. Longest first, so a part never shields a longer one.
 */
function secretParts(webhookUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    return [webhookUrl];
  }
  const parts = [webhookUrl, `${url.host}${url.pathname}${url.search}`];
  if (url.pathname.length >= 8) parts.push(url.pathname);
  const pieces = [...url.pathname.split('/'), ...[...url.searchParams.values()]];
  for (const piece of pieces) {
    if (piece.length >= 8 && /[0-9A-Z]/.test(piece)) parts.push(piece);
  }
  const all = parts.flatMap((part) => [part, encodeURIComponent(part)]);
  return [...new Set(all)].filter((part) => part !== '').sort((a, b) => b.length - a.length);
}

/**
 * Removes the webhook URL from `text`: the URL itself, its path, its token-like segments (see secretParts), in
 * clear or URL-encoded, and anything that looks like a Slack hook URL.
 */
export function redactWebhookUrl(text: string, webhookUrl?: string): string {
  let redacted = text;
  if (webhookUrl !== undefined && webhookUrl !== '') {
    for (const part of secretParts(webhookUrl)) {
      redacted = redacted.split(part).join(part === webhookUrl ? REDACTED : '[redacted]');
    }
  }
  return redacted.replaceAll(SLACK_HOOK_URL, REDACTED);
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
  // Loaded on the first alert, not at cold start: most invocations of a notifying function post nothing.
  const { IncomingWebhook } = await import('@slack/webhook');
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
        // Redacted before anything cuts it short: a cut could leave a piece of the URL no longer recognisable.
        const body = redactWebhookUrl(String(shape.body ?? ''), webhookUrl);
        return { kind: 'http', status: shape.statusCode, body, retryAfter };
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

/** What a failed attempt means: its error (the URL not yet redacted) and whether to try again. */
function judge(
  outcome: Exclude<AttemptOutcome, { kind: 'delivered' }>,
  tools: AttemptTools,
): { error: string; retryInMs: number | undefined } {
  if (outcome.kind === 'no-answer') {
    const error = outcome.timedOut
      ? `no answer from Slack within ${tools.timeoutMs} ms`
      : `could not reach Slack: ${outcome.detail}`;
    return { error, retryInMs: tools.backoff() };
  }
  const body = outcome.body.trim().slice(0, 120);
  const said = body === '' ? '' : ` (${body})`;
  if (outcome.status === 429) {
    const asked = parseRetryAfter(outcome.retryAfter, tools.clock.now());
    if (asked !== undefined && asked > tools.maxRetryAfterMs) {
      return {
        error: `Slack rate-limited the webhook (HTTP 429, Retry-After ${Math.ceil(asked / 1000)} s is longer than the ${Math.ceil(tools.maxRetryAfterMs / 1000)} s we wait)`,
        retryInMs: undefined,
      };
    }
    return {
      error: `Slack rate-limited the webhook (HTTP 429)${said}`,
      retryInMs: asked ?? tools.backoff(),
    };
  }
  if (outcome.status >= 500) {
    return { error: `Slack answered HTTP ${outcome.status}${said}`, retryInMs: tools.backoff() };
  }
  return { error: `Slack refused the message: HTTP ${outcome.status}${said}`, retryInMs: undefined };
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
): Promise<SlackPostResult> {
  let lastStatus: number | undefined;
  const posted = await postWithRetries(
    async (tools): Promise<AttemptResult<true>> => {
      const outcome = await attemptOnce(webhookUrl, message, tools.timeoutMs);
      lastStatus = outcome.kind === 'http' ? outcome.status : undefined;
      if (outcome.kind === 'delivered') return { done: true };
      const verdict = judge(outcome, tools);
      return { error: redactWebhookUrl(verdict.error, webhookUrl), retryInMs: verdict.retryInMs };
    },
    logger,
    {
      retrying: 'Slack delivery attempt failed; retrying',
      failed: 'Slack delivery failed; the message was not posted',
    },
    options,
  );
  if (posted.done) return { delivered: true, attempts: posted.attempts };
  return {
    delivered: false,
    error: posted.error,
    attempts: posted.attempts,
    ...(lastStatus === undefined ? {} : { httpStatus: lastStatus }),
  };
}
