import { type Clock, systemClock } from '#domain/clock.ts';
import { type Colors, createColors, shouldUseColor } from '../format/color.ts';

/** Where a command reads its environment and writes its output. */
export interface CommandIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
}

/** The real process. */
export function processIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, clock: systemClock };
}

/** Colours for each stream of `io`. */
export function colorsFor(io: CommandIo): { readonly out: Colors; readonly err: Colors } {
  return {
    out: createColors(shouldUseColor(io.stdout, io.env)),
    err: createColors(shouldUseColor(io.stderr, io.env)),
  };
}

/** Resolves once everything written to `stream` so far has been handed to the OS. */
export function drain(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write('', () => resolve());
  });
}
