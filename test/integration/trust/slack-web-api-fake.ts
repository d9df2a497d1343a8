/**
 * A local stand-in for Slack's Web API `chat.postMessage`: a real HTTP server on 127.0.0.1 (port 0) that checks the
 * bot token, records every message (with its `thread_ts`) and answers as Slack does: `{ok, channel, ts}`, or
 * `{ok: false, error}` for a wrong token.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message Slack accepted. */
export interface WebApiMessage {
  readonly channel: string;
  readonly text: string;
  readonly blocks: unknown[];
  readonly threadTs: string | null;
  /** The ts Slack gave it. */
  readonly ts: string;
}

/** A running fake. */
export interface SlackWebApiFake {
  /** The Web API root to configure (SLACK_API_URL), ending in `/api/`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly messages: WebApiMessage[];
  /** Requests refused (wrong token, unknown method). */
  readonly refused: number;
  close(): Promise<void>;
}

/** Starts the fake. */
export async function startSlackWebApiFake(token = 'xoxb-0000-test-token'): Promise<SlackWebApiFake> {
  const messages: WebApiMessage[] = [];
  let refused = 0;
  let counter = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (body: unknown) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.method !== 'POST' || request.url !== '/api/chat.postMessage') {
        refused += 1;
        answer({ ok: false, error: 'unknown_method' });
        return;
      }
      if (request.headers.authorization !== `Bearer ${token}`) {
        refused += 1;
        answer({ ok: false, error: 'invalid_auth' });
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        channel: string;
        text: string;
        blocks?: unknown[];
        thread_ts?: string;
      };
      counter += 1;
      const ts = `1764000000.${String(counter).padStart(6, '0')}`;
      messages.push({
        channel: body.channel,
        text: body.text,
        blocks: body.blocks ?? [],
        threadTs: body.thread_ts ?? null,
        ts,
      });
      answer({ ok: true, channel: 'C0TRUST01', ts });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/`,
    token,
    messages,
    get refused() {
      return refused;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
