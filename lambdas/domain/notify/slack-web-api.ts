/**
 * Posts one message with Slack's Web API (`chat.postMessage` with a bot token), which, unlike an incoming webhook,
 * answers with the message's `ts`: a later message can then reply in its thread (`thread_ts`). Bounded timeout
 * and retries, outcome as a value (never thrown), like the webhook delivery.
 *
 * The bot token is a secret: it travels only in the Authorization header and never appears in a log line, an
 * error or a result (every text that leaves this module goes through {@link redactSlackToken}).
 */
import type { AppLogger } from '#domain/logger.ts';
import type { SlackMessage } from './slack-message.ts';
import {
  type AttemptResult,
  type AttemptTools,
  parseRetryAfter,
  postWithRetries,
  type SlackDeliveryOptions,
} from './slack-retries.ts';

/** Slack's Web API root. */
export const SLACK_API_BASE_URL = 'https://slack.com/api/';

/** Where and as whom to post. */
export interface SlackWebApiTarget {
  /** A bot token (`xoxb-…`) with the `chat:write` scope, in the channel. */
  readonly token: string;
  /** Channel id (`C0123…`) or `#name`. */
  readonly channel: string;
  /** Default {@link SLACK_API_BASE_URL}; tests point it at a local server. */
  readonly baseUrl?: string | undefined;
}

/** The outcome of one post; never thrown. */
export type SlackWebApiResult =
  | { delivered: true; attempts: number; ts: string; channel: string }
  | { delivered: false; error: string; attempts: number };

/** Slack's `error` codes that mean "try again later" (documented for chat.postMessage). */
const TRANSIENT_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

const TOKEN = /\bxox[a-z]-[A-Za-z0-9-]+/g;

/** Removes anything shaped like a Slack token from `text`. */
export function redactSlackToken(text: string, token?: string): string {
  const redacted = token !== undefined && token !== '' ? text.split(token).join('[redacted token]') : text;
  return redacted.replaceAll(TOKEN, '[redacted token]');
}

type Attempt =
  | { kind: 'ok'; ts: string; channel: string }
  | { kind: 'refused'; error: string; retryAfter: string | null; transient: boolean }
  | { kind: 'no-answer'; detail: string };

async function attemptOnce(
  target: SlackWebApiTarget,
  body: Record<string, unknown>,
  timeoutMs: number,
): Promise<Attempt> {
  const url = new URL('chat.postMessage', target.baseUrl ?? SLACK_API_BASE_URL);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${target.token}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return {
      kind: 'no-answer',
      detail: timedOut
        ? `no answer from Slack within ${timeoutMs} ms`
        : `could not reach Slack: ${error instanceof Error ? error.message : String(error)}${cause}`,
    };
  }
  const retryAfter = response.headers.get('retry-after');
  const text = await response.text().catch(() => '');
  if (response.status === 429) return { kind: 'refused', error: 'ratelimited', retryAfter, transient: true };
  if (response.status >= 500) {
    return { kind: 'refused', error: `HTTP ${response.status}`, retryAfter, transient: true };
  }
  let parsed: { ok?: unknown; ts?: unknown; channel?: unknown; error?: unknown } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return {
      kind: 'refused',
      error: `HTTP ${response.status}, not a Web API answer`,
      retryAfter,
      transient: false,
    };
  }
  if (parsed.ok === true && typeof parsed.ts === 'string') {
    return { kind: 'ok', ts: parsed.ts, channel: typeof parsed.channel === 'string' ? parsed.channel : '' };
  }
  const error = typeof parsed.error === 'string' ? parsed.error.slice(0, 120) : `HTTP ${response.status}`;
  return { kind: 'refused', error, retryAfter, transient: TRANSIENT_ERRORS.has(error) };
}

/**
 * Posts `message` to the target channel, in the thread of `threadTs` when given. Retries a rate limit after its
 * Retry-After (up to `maxRetryAfterMs`), a 5xx, a transient Web API error, a timeout or a network error after an
 * exponential backoff with jitter; never a permanent refusal (`channel_not_found`, `not_in_channel`,
 * `invalid_auth`, …: the same post would fail again). Never throws.
 */
export async function postWebApiMessage(
  target: SlackWebApiTarget,
  message: SlackMessage,
  request: { readonly threadTs?: string | undefined },
  logger: AppLogger,
  options: SlackDeliveryOptions = {},
): Promise<SlackWebApiResult> {
  const body: Record<string, unknown> = {
    channel: target.channel,
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
    unfurl_media: false,
    ...(request.threadTs === undefined ? {} : { thread_ts: request.threadTs }),
  };
  const posted = await postWithRetries(
    async (tools): Promise<AttemptResult<{ ts: string; channel: string }>> => {
      const outcome = await attemptOnce(target, body, tools.timeoutMs);
      if (outcome.kind === 'ok') return { done: { ts: outcome.ts, channel: outcome.channel } };
      return judge(outcome, tools, target.token);
    },
    logger,
    {
      retrying: 'Slack Web API attempt failed; retrying',
      failed: 'Slack Web API delivery failed; the message was not posted',
    },
    options,
  );
  return posted.done
    ? { delivered: true, attempts: posted.attempts, ts: posted.done.ts, channel: posted.done.channel }
    : { delivered: false, error: posted.error, attempts: posted.attempts };
}

/** What a failed attempt means: its error (without the token) and whether to try again. */
function judge(
  outcome: Exclude<Attempt, { kind: 'ok' }>,
  tools: AttemptTools,
  token: string,
): { error: string; retryInMs: number | undefined } {
  if (outcome.kind === 'no-answer') {
    return { error: redactSlackToken(outcome.detail, token), retryInMs: tools.backoff() };
  }
  const error = redactSlackToken(`Slack refused chat.postMessage: ${outcome.error}`, token);
  if (!outcome.transient) return { error, retryInMs: undefined };
  const asked = parseRetryAfter(outcome.retryAfter, tools.clock.now());
  if (asked !== undefined && asked > tools.maxRetryAfterMs) {
    return {
      error: `${error} (Retry-After ${Math.ceil(asked / 1000)} s is longer than we wait)`,
      retryInMs: undefined,
    };
  }
  return { error, retryInMs: asked ?? tools.backoff() };
}
