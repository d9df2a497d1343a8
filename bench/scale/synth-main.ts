/**
 * Runs {@link runSynthScale} in this (fresh) process and prints its result as one JSON line on stdout.
 *
 *   node --import tsx bench/scale/synth-main.ts <runs>
 */
import '../support/quiet-env.ts';
import { runSynthScale } from './synth.ts';

const runs = Number(process.argv[2] ?? 3);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('usage: synth-main.ts <runs>');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(runSynthScale(runs))}\n`);
