/**
 * A local stand-in for a Slack incoming webhook: a real HTTP server on 127.0.0.1 (port 0) that records
 * every POST and answers as scripted: 200 `ok` by default, or 500 / 429 (with Retry-After) / any status,
 * or never (`'hang'`), so tests can drive delivery failures over real HTTP.
 *
 * ```ts
 * const sink = await startSlackSink();
 * sink.respondWith(500, 2);          // the next two posts get a 500, then 200 again
 * sink.respondWith(429, 1, { retryAfterSeconds: 2 });
 * sink.respondWith('hang');          // every post from now on gets no answer (until reset())
 * await sink.waitForMessages(1);     // resolves once one post was answered 2xx
 * await sink.close();
 * ```
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the sink answers a post. */
export type SlackSinkAnswer = number | 'hang';

/** Extra settings of an answer. */
export interface SlackSinkAnswerOptions {
  /** The Retry-After header of a 429 (default 1; give `null` to send none). */
  retryAfterSeconds?: number | null;
  /** The response body (default: what Slack says for that status). */
  body?: string;
}

/** One POST the sink received. */
export interface SlackSinkRequest {
  /** The JSON body, parsed (the raw text when it is not JSON). */
  body: unknown;
  /** Epoch ms. */
  receivedAt: number;
  /** What the sink answered. */
  answeredWith: SlackSinkAnswer;
}

/** A running sink. */
export interface SlackSink {
  /** The webhook URL to configure; its path holds a random secret, like a real one. */
  url: string;
  /** Posts answered with 2xx: what the Slack channel would show. */
  messages: SlackSinkRequest[];
  /** Every POST, including the refused and unanswered ones. */
  requests: SlackSinkRequest[];
  /**
   * Scripts the answers. With `times`, the next `times` posts get `answer` (queued after earlier
   * scripted answers); without it, `answer` becomes the answer to every post not otherwise scripted.
   */
  respondWith(answer: SlackSinkAnswer, times?: number, options?: SlackSinkAnswerOptions): void;
  /** Forgets the script: every post gets 200 `ok` again. */
  reset(): void;
  /** Resolves once `count` posts were answered 2xx; rejects after `timeoutMs` (default 5000). */
  waitForMessages(count: number, timeoutMs?: number): Promise<SlackSinkRequest[]>;
  /** Stops the server, dropping any hung connection. */
  close(): Promise<void>;
}

interface ScriptedAnswer {
  answer: SlackSinkAnswer;
  options: SlackSinkAnswerOptions;
  remaining: number;
}

const SLACK_BODIES: Record<number, string> = {
  200: 'ok',
  400: 'invalid_payload',
  403: 'action_prohibited',
  404: 'no_service',
  410: 'channel_is_archived',
  429: 'rate_limited',
  500: 'internal_error',
  503: 'service_unavailable',
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Starts a sink on 127.0.0.1 and a free port. */
export async function startSlackSink(): Promise<SlackSink> {
  const secretPath = `/services/T0SINK/B0SINK/${randomBytes(12).toString('hex')}`;
  const messages: SlackSinkRequest[] = [];
  const requests: SlackSinkRequest[] = [];
  const queue: ScriptedAnswer[] = [];
  let standing: { answer: SlackSinkAnswer; options: SlackSinkAnswerOptions } = { answer: 200, options: {} };
  const waiters = new Set<() => void>();

  const nextAnswer = (): { answer: SlackSinkAnswer; options: SlackSinkAnswerOptions } => {
    const scripted = queue[0];
    if (scripted === undefined) return standing;
    scripted.remaining -= 1;
    if (scripted.remaining <= 0) queue.shift();
    return scripted;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'POST' || request.url !== secretPath) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('no_service');
      return;
    }
    const body = parse(await readBody(request));
    const { answer, options } = nextAnswer();
    const record: SlackSinkRequest = { body, receivedAt: Date.now(), answeredWith: answer };
    requests.push(record);
    if (answer === 'hang') return;
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    const retryAfter = options.retryAfterSeconds === undefined ? 1 : options.retryAfterSeconds;
    if (answer === 429 && retryAfter !== null) headers['retry-after'] = String(retryAfter);
    response.writeHead(answer, headers).end(options.body ?? SLACK_BODIES[answer] ?? 'error');
    if (answer >= 200 && answer < 300) {
      messages.push(record);
      for (const wake of waiters) wake();
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${secretPath}`,
    messages,
    requests,
    respondWith(answer, times, options = {}) {
      if (times === undefined) standing = { answer, options };
      else if (times > 0) queue.push({ answer, options, remaining: times });
    },
    reset() {
      queue.length = 0;
      standing = { answer: 200, options: {} };
    },
    waitForMessages(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (messages.length < count) return false;
          clearTimeout(timer);
          waiters.delete(onMessage);
          resolve(messages.slice(0, count));
          return true;
        };
        const onMessage = (): void => {
          check();
        };
        const timer = setTimeout(() => {
          waiters.delete(onMessage);
          reject(
            new Error(`the Slack sink got ${messages.length} of ${count} messages within ${timeoutMs} ms`),
          );
        }, timeoutMs);
        if (!check()) waiters.add(onMessage);
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
