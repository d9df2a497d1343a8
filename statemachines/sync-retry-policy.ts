/**
 * `npm run asl:retry-policy`: rewrites the Lambda Retriers of every ASL file from lambdas/domain/retry-policy.ts
 * (then formats the files with Biome). `--check` only reports drift and exits 1 when there is some.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { STATE_MACHINE_FILES, type StateMachineName } from './definitions.ts';
import { applyRetryPolicy, retryPolicyDrift } from './retry-policy.ts';

const check = process.argv.includes('--check');
const machines = Object.keys(STATE_MACHINE_FILES) as StateMachineName[];
const drifted: string[] = [];
/** Drift a rewrite cannot fix (an error the policy does not list): a person decides. */
const undecided: string[] = [];

for (const machine of machines) {
  const file = STATE_MACHINE_FILES[machine];
  const definition = JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof applyRetryPolicy>[0];
  const drift = retryPolicyDrift(definition);
  if (drift.length === 0) continue;
  drifted.push(file);
  for (const line of drift) process.stdout.write(`${machine}: ${line}\n`);
  if (check) continue;
  const rewritten = applyRetryPolicy(definition);
  writeFileSync(file, `${JSON.stringify(rewritten, null, 2)}\n`);
  undecided.push(...retryPolicyDrift(rewritten).map((line) => `${machine}: ${line}`));
}

if (check) {
  if (drifted.length > 0) {
    process.stdout.write(
      'Run `npm run asl:retry-policy` to rewrite them from lambdas/domain/retry-policy.ts.\n',
    );
    process.exit(1);
  }
  process.stdout.write('Every Lambda Task follows lambdas/domain/retry-policy.ts.\n');
} else if (drifted.length > 0) {
  const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
  const formatted = spawnSync(biome, ['format', '--write', ...drifted], { stdio: 'inherit' });
  if (undecided.length > 0) {
    process.stdout.write(
      `Still off the policy (change the ASL or lambdas/domain/retry-policy.ts):\n${undecided.join('\n')}\n`,
    );
    process.exit(1);
  }
  process.exit(formatted.status ?? 1);
}
