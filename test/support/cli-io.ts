/** The CLI's I/O for in-process command tests: stdout and stderr captured as text, colours off, a chosen clock. */
import { PassThrough } from 'node:stream';
import type { CommandIo } from '#local/cli/support/io.ts';

/** A command's captured I/O: hand `io` to a `run…Command`, then read what it wrote. */
export interface CapturedCliIo {
  readonly io: CommandIo;
  stdout(): string;
  stderr(): string;
}

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    stream: stream as unknown as NodeJS.WriteStream,
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

/** I/O with `NO_COLOR` (plus `env`) and a clock at `now` (an epoch ms, or a function read on every call). */
export function capturedCliIo(
  options: { readonly now?: number | (() => number); readonly env?: Record<string, string> } = {},
): CapturedCliIo {
  const stdout = capture();
  const stderr = capture();
  const { now = Date.now } = options;
  return {
    io: {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: { NO_COLOR: '1', ...options.env },
      clock: { now: typeof now === 'number' ? () => now : now },
    },
    stdout: stdout.text,
    stderr: stderr.text,
  };
}
