import { spawn } from 'node:child_process';

/**
 * Runs a benchmark entry point (`node --import tsx <script> …args`) in a fresh process, so that what it measures
 * (peak memory, the cost of loading aws-cdk-lib) is its own, and returns the JSON document it prints last.
 */
export function runJsonChild<T>(script: string, args: readonly string[], timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: process.cwd(),
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(JSON.parse(last) as T);
        return;
      }
      const how = signal ? `was stopped by ${signal}` : `exited with ${code}`;
      // The error's own lines say what went wrong; its stack frames only where.
      const message = stderr
        .split('\n')
        .filter((line) => line.trim() !== '' && !/^\s+at /.test(line))
        .slice(-6)
        .join(' | ');
      reject(new Error(`${script} ${how}: ${message}`));
    });
  });
}
