/**
 * Runs {@link runWideRun} in this (fresh) process and prints its result as one JSON line on stdout.
 *
 *   node --import tsx bench/scale/wide-main.ts <databases> <maxConcurrentBackups>
 */
import '../support/quiet-env.ts';
import { runWideRun } from './wide-run.ts';

const [databases, maxConcurrentBackups] = process.argv.slice(2).map(Number);
if (!databases || !maxConcurrentBackups) {
  console.error('usage: wide-main.ts <databases> <maxConcurrentBackups>');
  process.exit(2);
}
const result = await runWideRun({ databases, maxConcurrentBackups });
process.stdout.write(`${JSON.stringify(result)}\n`);
