import type { Command } from 'commander';
import type { SnapshotsCommandOptions } from '../inspect/snapshots-command.ts';
import {
  collectNames,
  collectSnapshotStates,
  parseSince,
  positiveInteger,
  SNAPSHOT_STATE_FILTERS,
} from '../support/option-parsers.ts';
import { configOption, runAction, verboseOption } from './common.ts';
import { lifecycleStoreOptions } from './lifecycle-tables.ts';

const HELP = `
Lists the snapshot catalog (local, or a deployed stack's with --stack / SR_BACKUP_STACK): one row per backup attempt, newest slot first,
with its state (FINISHED, FAILED, TIMED_OUT, SKIPPED), label, duration, size, marks and reason. MARKS: PINNED
(retention keeps it: sr-backup pin), PRUNED (retention dropped it from the repository), LOST (a later attempt found
it gone from the repository). --json adds pinned, prunedAt, lostAt and restorable (a verified FINISHED snapshot
neither pruned nor lost).

Examples:
  $ sr-backup snapshots --config backup.yaml
  $ sr-backup snapshots --config backup.yaml --cluster prod --database sales --limit 10
  $ sr-backup snapshots --config backup.yaml --state failed --state timed_out --since 7d
  $ sr-backup snapshots --config backup.yaml --state pinned
  $ sr-backup snapshots --config backup.yaml --stack StarRocksBackupScheduler --database sales
  $ sr-backup snapshots --config backup.yaml --json | jq '.snapshots[] | select(.state == "FINISHED")'`;

/** Adds `sr-backup snapshots`. */
export function registerSnapshotsCommand(program: Command): void {
  const command = configOption(
    program.command('snapshots').description('List the snapshot catalog, newest first'),
  )
    .option('--cluster <name>', 'only this cluster (default: every cluster of the config)')
    .option('--database <db>', 'only this database (repeatable)', collectNames)
    .option(
      '--state <state>',
      `only attempts in this state or with this mark (repeatable): ${SNAPSHOT_STATE_FILTERS.join(', ')}`,
      collectSnapshotStates,
    )
    .option(
      '--since <time|duration>',
      'only slots at or after this time (2026-11-01T00:00:00Z) or this long ago (7d, 36h)',
      parseSince,
    )
    .option(
      '--limit <n>',
      'at most this many entries per cluster (and database)',
      positiveInteger(100_000),
      50,
    )
    .option('--json', 'print {snapshots: [...]} as JSON on stdout');
  lifecycleStoreOptions(command, { locks: false });
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: SnapshotsCommandOptions) => {
    const { runSnapshotsCommand } = await import('../inspect/snapshots-command.ts');
    await runAction((io) => runSnapshotsCommand(options, io));
  });
}
