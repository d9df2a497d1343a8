import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '#runtime/s3-client.ts';

/** s3rver's fixed credentials (it checks SigV4 signatures against them). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** A running s3rver. */
export interface S3rverProcess {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** A client on it, configured as the project's code configures its own. */
  readonly client: S3Client;
  close(): Promise<void>;
}

/**
 * Starts s3rver (a real S3-compatible HTTP server) in a child process on port 0 with the given buckets, and
 * resolves once it listens.
 */
export async function startS3rver(buckets: readonly string[]): Promise<S3rverProcess> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const script = fileURLToPath(new URL('./s3rver-main.mjs', import.meta.url));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--openssl-legacy-provider', script, directory, ...buckets],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`s3rver exited early with code ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n') && line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  child.removeAllListeners('exit');
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createS3Client({ endpoint, region: 'us-east-1', credentials: S3RVER_CREDENTIALS });
  return {
    endpoint,
    client,
    async close() {
      client.destroy();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin?.end();
      await exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
