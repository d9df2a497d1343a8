/**
 * `sr-backup status --notify`: the deployed hourly freshness check, run once on this machine. For each cluster it
 * reads the FE (like `--resolve`), judges every selected database, keeps incidents in the local DynamoDB (under
 * `--state-dir`, so an incident alerts once across runs), and posts the incident messages to Slack
 * (SLACK_WEBHOOK_URL, or the Web API with SLACK_BOT_TOKEN and a channel), or prints them when no Slack is set.
 */
import type { PostedNotice } from '#domain/incidents/posted-notices.ts';
import { formatDuration } from '#domain/time-format.ts';
import { loadConfigFile } from '#local/config/load.ts';
import type { Colors } from '../format/color.ts';
import { formatUtc } from '../format/time.ts';
import type { StatusCommandOptions } from '../inspect/status-command.ts';
import { isolateFromAwsSettings } from '../support/aws-isolation.ts';
import { EXIT, type ExitCode, usageError } from '../support/cli-error.ts';
import { clusterContext, type ErrorContext, explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { type LocalStore, openLocalStore, storeLocation } from '../support/local-store.ts';
import { reportError } from '../support/report.ts';
import { selectClusters } from '../support/selection.ts';
import { type LocalFreshnessCheckResult, runFreshnessCheckLocally } from './freshness-runner.ts';

/** Said once when no Slack is configured. */
export const NO_SLACK_NOTICE =
  'Slack: neither SLACK_WEBHOOK_URL nor SLACK_BOT_TOKEN is set, so incident messages are printed here instead of being sent.';

function slackConfigured(env: NodeJS.ProcessEnv): boolean {
  return (env.SLACK_WEBHOOK_URL ?? '').trim() !== '' || (env.SLACK_BOT_TOKEN ?? '').trim() !== '';
}

function describePosted(posted: PostedNotice, slackSet: boolean, colors: Colors): string {
  const what = `${posted.kind === 'alert' ? posted.type : 'recovered'}: ${posted.databases.join(', ')}`;
  if (posted.delivered) {
    const where =
      posted.via === 'web-api' ? (posted.threadTs === null ? 'Web API' : 'in its alert’s thread') : 'webhook';
    return colors.yellow(`Slack message sent (${what}, ${where})`);
  }
  const header = slackSet
    ? colors.yellow(`Slack message NOT delivered (${what}); it read:`)
    : colors.yellow(`Slack message (${what}, printed because no Slack is configured):`);
  const body = posted.text
    .split('\n')
    .map((line) => (line === '' ? '  │' : `  │ ${line}`))
    .join('\n');
  return `${header}\n${body}`;
}

function formatCheck(
  cluster: string,
  result: LocalFreshnessCheckResult,
  slackSet: boolean,
  colors: Colors,
): string[] {
  const { check, notified } = result;
  if (check === null || notified === null) {
    return [
      `${colors.bold(cluster)}: the check failed (${result.error?.name ?? 'unknown'}: ${result.error?.message ?? ''})`,
    ];
  }
  const lines = [
    `${colors.bold(check.cluster)} at ${formatUtc(check.evaluatedAt)} (a slot is late once ${formatDuration(check.graceSeconds)} have passed without a good snapshot)`,
  ];
  if (check.inventory.source === 'catalog') {
    lines.push(
      colors.yellow(
        `  could not read the FE (${check.inventory.error}); judged the catalog’s databases only`,
      ),
    );
  }
  const { counts } = check;
  if (check.clusterSnapshot !== undefined) {
    const { state, summary } = check.clusterSnapshot;
    const paint = state === 'fresh' ? colors.green : state === 'unreadable' ? colors.yellow : colors.red;
    lines.push(`  shared-data: automated Cluster Snapshots ${paint(state)}: ${summary}`);
  } else {
    lines.push(
      `  ${counts.databases} database${counts.databases === 1 ? '' : 's'} selected: ${counts.fresh} fresh, ${counts.late} late, ${counts.never} never backed up`,
    );
  }
  if (check.late.length > 0) {
    const more = counts.late > check.late.length ? ` and ${counts.late - check.late.length} more` : '';
    lines.push(
      colors.red(
        `  late: ${check.late.map((entry) => `${entry.database} (${entry.cause})`).join(', ')}${more}`,
      ),
    );
  }
  if (check.uncovered.length > 0) {
    lines.push(colors.yellow(`  not covered by any schedule: ${check.uncovered.join(', ')}`));
  }
  const { opened, resolved, open } = check.incidents;
  lines.push(`  incidents: ${opened} opened, ${resolved} resolved, ${open} open`);
  for (const posted of notified.posted) lines.push(describePosted(posted, slackSet, colors));
  return lines;
}

/** Runs the check for the selected clusters; resolves with the exit status. */
export async function runStatusNotify(options: StatusCommandOptions, io: CommandIo): Promise<ExitCode> {
  const colors = colorsFor(io);
  let store: LocalStore | undefined;
  const context: { -readonly [K in keyof ErrorContext]: ErrorContext[K] } = {
    configPath: options.config,
    dynamodbEndpoint: options.dynamodbEndpoint,
  };
  try {
    for (const [flag, given] of [
      ['--at', options.at !== undefined],
      ['--grace', options.grace !== undefined],
      ['--schedule', options.schedule !== undefined],
    ] as const) {
      if (given) {
        throw usageError(`${flag} cannot be used with --notify`, {
          hint: 'the check judges now, with clusters[].freshness.graceMinutes, against every schedule, as deployed',
        });
      }
    }
    const config = await loadConfigFile(options.config);
    const clusters = selectClusters(config, options.cluster, options.config);
    isolateFromAwsSettings(io.env);
    store = await openLocalStore(storeLocation(options));
    const results: Array<{ cluster: string; result: LocalFreshnessCheckResult }> = [];
    for (const selected of clusters) {
      const { cluster } = selected;
      context.cluster = clusterContext(selected);
      const result = await runFreshnessCheckLocally({
        config,
        cluster: cluster.name,
        tables: store.tables,
        clock: io.clock,
        secretEnv: io.env,
      });
      results.push({ cluster: cluster.name, result });
    }
    const failed = results.some(({ result }) => result.status !== 'SUCCEEDED');

    if (options.json) {
      const document = {
        evaluatedAt: new Date(io.clock.now()).toISOString(),
        clusters: results.map(({ cluster, result }) => ({
          cluster,
          status: result.status,
          check: result.check,
          posted: result.notified?.posted ?? [],
          error: result.error,
        })),
      };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return failed ? EXIT.failed : EXIT.ok;
    }
    const slackSet = slackConfigured(io.env);
    const lines: string[] = [];
    if (!slackSet && results.some(({ result }) => (result.notified?.posted.length ?? 0) > 0)) {
      lines.push(colors.out.yellow(NO_SLACK_NOTICE));
    }
    for (const { cluster, result } of results)
      lines.push(...formatCheck(cluster, result, slackSet, colors.out));
    io.stdout.write(`${lines.join('\n')}\n`);
    return failed ? EXIT.failed : EXIT.ok;
  } catch (error) {
    const explained = explainError(error, context);
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return explained.exitCode;
  } finally {
    await store?.close();
  }
}
