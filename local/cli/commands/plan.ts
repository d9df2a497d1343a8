import type { Command } from 'commander';
import type { PlanCommandOptions } from '../inspect/plan-command.ts';
import { collectNames, parseInstant, positiveInteger } from '../support/option-parsers.ts';
import { configOption, runAction, verboseOption } from './common.ts';

const HELP = `
Shows, with no side effects, the next slots of every schedule in the schedule's time zone and in UTC, with the
snapshot labels they will use. With --resolve it connects to each cluster's FE (read-only: SHOW DATABASES and the
table listing) and lists the databases a run would back up, and those it would leave out and why: system
database, exclude pattern, no include pattern, empty, or unsupported (a name StarRocks refuses, nothing the
version can back up: only views before 3.4, MVs before 3.2, external tables).
The FE password comes from STARROCKS_PASSWORD_<CLUSTER> or STARROCKS_PASSWORD.

It also shows what a deploy of this file would create, change and delete in EventBridge Scheduler (backup
schedules, hourly freshness checks, drills). With --stack it reads the deployed schedule groups (read-only:
ListSchedules and GetSchedule, with your AWS credentials) and compares them as the deploy's sync would, except
for the target and role ARNs, which only the deploy knows. Without --stack every schedule counts as create.

Examples:
  $ sr-backup plan --config backup.yaml
  $ sr-backup plan --config backup.yaml --cluster prod --resolve
  $ sr-backup plan --config backup.yaml --cluster prod --schedule nightly --database sales
  $ sr-backup plan --config backup.yaml --count 5 --from 2026-03-28T00:00:00Z --json
  $ sr-backup plan --config backup.yaml --stack StarRocksBackup --region eu-west-1`;

/** Adds `sr-backup plan`. */
export function registerPlanCommand(program: Command): void {
  const command = configOption(
    program.command('plan').description('Show the next slots and labels (and with --resolve, the databases)'),
  )
    .option('--cluster <name>', 'only this cluster (default: every cluster of the config)')
    .option('--schedule <name>', 'only this schedule')
    .option('--resolve', 'connect to the FE and list what would be backed up and what not, and why')
    .option(
      '--database <db>',
      'show the exact labels of these databases (repeatable; no FE needed)',
      collectNames,
    )
    .option('--count <n>', 'how many upcoming slots to show', positiveInteger(100), 3)
    .option('--from <ISO-8601>', 'show the slots after this time instead of now', parseInstant)
    .option('--stack <name>', 'compare the schedules with this deployed stack (its schedule groups)')
    .option(
      '--schedule-group-prefix <prefix>',
      'the deployment’s scheduleGroupPrefix, when it set one (default: the stack name)',
    )
    .option('--region <region>', 'the deployment’s region (default: from your AWS configuration)')
    .option('--json', 'print {clusters: [...], deploy: {...}} as JSON on stdout');
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: PlanCommandOptions) => {
    const { runPlanCommand } = await import('../inspect/plan-command.ts');
    await runAction((io) => runPlanCommand(options, io));
  });
}
