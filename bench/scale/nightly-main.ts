/**
 * Runs {@link runNightlyScale} in this (fresh) process and prints its result as one JSON line on stdout.
 *
 *   node --import tsx bench/scale/nightly-main.ts <clusters> <databasesPerCluster> <maxConcurrentBackups>
 */
import '../support/quiet-env.ts';
import { runNightlyScale } from './nightly-run.ts';

const [clusters, databasesPerCluster, maxConcurrentBackups] = process.argv.slice(2).map(Number);
if (!clusters || !databasesPerCluster || !maxConcurrentBackups) {
  console.error('usage: nightly-main.ts <clusters> <databasesPerCluster> <maxConcurrentBackups>');
  process.exit(2);
}
const result = await runNightlyScale({ clusters, databasesPerCluster, maxConcurrentBackups });
process.stdout.write(`${JSON.stringify(result)}\n`);
