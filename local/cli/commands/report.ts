import { type Command, Option } from 'commander';
import type { ReportCommandOptions } from '../report/report-command.ts';
import { parseDay, parseSince } from '../report/report-options.ts';
import { collectNames } from '../support/option-parsers.ts';
import { configOption, runAction, verboseOption } from './common.ts';
import { lifecycleStoreOptions } from './lifecycle-tables.ts';

const HELP = `
Writes one self-contained HTML report of the catalog over a period (the local one, or a deployed stack's with
--stack or $SR_BACKUP_STACK, or --catalog-table, and your AWS credentials): the outcome of every database on every
day (a heat map, with each cell's label, duration, size and error), duration and size per database with size
anomalies and trends, the nightly backup window against maxConcurrentBackups, the recovery point each database
had against its objective, restore drills, coverage (unscheduled databases, pins, what retention removes next)
and every failure with StarRocks' status and a hint. The file makes no network request when opened: keep it,
print it, or mail it.

Examples:
  $ sr-backup report --config backup.yaml --out report.html
  $ sr-backup report --config backup.yaml --since 90d --cluster prod --out prod-q3.html
  $ sr-backup report --config backup.yaml --since 2026-10-01 --until 2026-11-01 --out october.html
  $ sr-backup report --config backup.yaml --time-zone Asia/Shanghai --json
  $ sr-backup report --config backup.yaml --stack StarRocksBackupScheduler --region eu-west-1 --out report.html`;

/** Adds `sr-backup report`. */
export function registerReportCommand(program: Command): void {
  const command = configOption(
    program.command('report').description('Write an HTML report of the catalog over a period'),
  )
    .addOption(
      new Option('--since <when>', 'start: 30d (the last 30 days), a date (2026-10-01) or an ISO time')
        .argParser(parseSince)
        .default({ days: 30 }, '30d'),
    )
    .option('--until <when>', 'end (exclusive): a date or an ISO time (default: now)', (value) =>
      parseDay(value),
    )
    .option(
      '--cluster <name>',
      'only this cluster (repeatable; default: every cluster of the config)',
      collectNames,
    )
    .option('--time-zone <zone>', 'the IANA zone days are cut in', 'UTC')
    .option('--title <text>', 'the report title (default: StarRocks backups)')
    .option('-o, --out <file>', 'the HTML file to write', 'sr-backup-report.html')
    .option('--json', 'print {out, bytes, period, databases, slots, …} as JSON on stdout');
  lifecycleStoreOptions(command, { locks: false });
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: ReportCommandOptions) => {
    const { runReportCommand } = await import('../report/report-command.ts');
    await runAction((io) => runReportCommand(options, io));
  });
}
