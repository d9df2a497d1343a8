/** `sr-backup prune`: what retention removes and why the rest stays; `--apply` removes it. */
import type { Command } from 'commander';
import type { PruneReport } from '#domain/prune/prune-core.ts';
import type { RemovalMethod } from '#domain/prune/removal-method.ts';
import type { RetentionSettings, SnapshotDecision } from '#domain/prune/retention-policy.ts';
import type { FullStarRocksClient } from '#domain/starrocks/index.ts';
import type { Colors } from '../format/color.ts';
import { formatTable } from '../format/table.ts';
import { formatUtc } from '../format/time.ts';
import { EXIT, type ExitCode } from '../support/cli-error.ts';
import type { CommandIo } from '../support/io.ts';
import { collectNames, parseHttpUrl } from '../support/option-parsers.ts';
import { selectClusters } from '../support/selection.ts';
import { configOption, runAction, verboseOption } from './common.ts';
import {
  CATALOG_TABLE_VARIABLE,
  type LifecycleStoreOptions,
  LOCKS_TABLE_VARIABLE,
  lifecycleStoreOptions,
  runLifecycleCommand,
} from './lifecycle-tables.ts';

/** Local only: an S3-compatible endpoint for `retention.s3` (lambdas/runtime/prune.ts reads it). */
const S3_ENDPOINT_VARIABLE = 'SR_BACKUP_S3_ENDPOINT';

/** Options of `sr-backup prune`. */
export interface PruneCommandOptions extends LifecycleStoreOptions {
  readonly config: string;
  readonly cluster?: string;
  readonly database?: string[];
  readonly apply?: boolean;
  readonly s3Endpoint?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** The method in a few words. */
export function describeMethod(method: RemovalMethod | null): string {
  if (method === null) return 'not needed (nothing to remove)';
  switch (method.kind) {
    case 'drop-snapshot':
      return `DROP SNAPSHOT (StarRocks ${method.version})`;
    case 's3':
      return `delete the snapshot's objects under s3://${method.bucket}/${method.prefix.replace(/^\/+|\/+$/g, '')}`;
    case 'catalog-only':
      return 'mark the catalog only (remove: none)';
    case 'unavailable':
      return `none available: ${method.reason}`;
    case 'unknown':
      return `unknown: ${method.reason}`;
  }
}

/** Why a decision was taken, in words. */
export function describeReasons(decision: SnapshotDecision, retention: RetentionSettings): string {
  const words: Record<string, string> = {
    pinned: 'pinned',
    'in-use': 'in use by a restore or drill',
    'keep-last': `one of the newest ${retention.keepLast}`,
    'only-verified': 'the only verified snapshot',
    daily: 'newest of its day',
    weekly: 'newest of its ISO week',
    monthly: 'newest of its month',
    'within-max-age': `younger than ${retention.maxAgeDays} d`,
    'chain-base': 'the full a kept differential is restored from',
    'older-than-max-age': `older than ${retention.maxAgeDays} d`,
    'beyond-keep-last': `not among the newest ${retention.keepLast}`,
    'not-verified': 'not a verified snapshot (never removed)',
    'already-pruned': 'already pruned',
  };
  return decision.reasons.map((reason) => words[reason] ?? reason).join(', ');
}

function decisionCell(
  decision: SnapshotDecision,
  report: PruneReport,
  colors: Colors,
): { cell: string; detail: string | null } {
  if (decision.action === 'keep') return { cell: colors.green('keep'), detail: null };
  if (decision.action === 'ignore') return { cell: colors.dim('ignore'), detail: null };
  const removal = report.removals.find((r) => r.database === decision.database && r.label === decision.label);
  if (removal === undefined || removal.outcome === 'planned')
    return { cell: colors.yellow('REMOVE'), detail: null };
  switch (removal.outcome) {
    case 'removed':
    case 'already-gone':
      return {
        cell: colors.yellow(removal.outcome === 'removed' ? 'removed' : 'gone'),
        detail: removal.detail,
      };
    case 'failed':
      return { cell: colors.red('FAILED'), detail: removal.detail };
    default:
      return { cell: colors.dim(removal.outcome), detail: removal.detail };
  }
}

/** What `--apply` would do with the due snapshots, said before anyone runs it (never a promise it cannot keep). */
function applyPromise(report: PruneReport, configPath: string, colors: Colors): string {
  const command = `sr-backup prune --config ${configPath} --cluster ${report.cluster} --apply`;
  switch (report.method?.kind) {
    case 'unavailable':
      return colors.yellow(
        `--apply cannot remove them: ${report.method.reason}. Set retention.s3 (the repository's bucket and prefix) to delete their objects instead (docs/lifecycle.md).`,
      );
    case 'unknown':
      return colors.yellow(`whether --apply can remove them is not known: ${report.method.reason}.`);
    case 'catalog-only':
      return colors.dim(`\`${command}\` marks them pruned in the catalog only (retention.remove: none).`);
    default:
      return colors.dim(`\`${command}\` removes them.`);
  }
}

function printReport(
  report: PruneReport,
  retention: RetentionSettings,
  io: CommandIo,
  colors: Colors,
  configPath: string,
): void {
  const out = io.stdout;
  const policy = [
    `keepLast ${retention.keepLast}`,
    ...(retention.maxAgeDays === undefined ? [] : [`maxAgeDays ${retention.maxAgeDays}`]),
    ...(['daily', 'weekly', 'monthly'] as const).flatMap((tier) =>
      retention[tier] ? [`${tier} ${retention[tier]}`] : [],
    ),
  ].join(', ');
  out.write(
    `${colors.bold(`Cluster ${report.cluster}`)} — retention ${policy} · removal: ${describeMethod(report.method)}${report.apply ? '' : ' · dry run'}\n`,
  );
  const rows = report.databases.flatMap((plan) =>
    plan.decisions.map((decision) => {
      const { cell, detail } = decisionCell(decision, report, colors);
      const why = describeReasons(decision, retention);
      return [
        decision.database,
        decision.label,
        formatUtc(decision.scheduledTime),
        cell,
        detail === null ? why : `${why}; ${detail}`,
      ];
    }),
  );
  if (rows.length === 0) {
    out.write('  The catalog holds no verified snapshot of the selected databases.\n\n');
    return;
  }
  out.write(
    `${formatTable(
      [
        { header: 'DATABASE' },
        { header: 'SNAPSHOT' },
        { header: 'SLOT (UTC)' },
        { header: 'DECISION' },
        { header: 'WHY', maxWidth: 100 },
      ],
      rows,
      { styleHeader: colors.bold, indent: '  ' },
    )}\n`,
  );
  const { counts } = report;
  const verified = counts.kept + counts.toRemove;
  if (!report.apply) {
    out.write(
      counts.toRemove === 0
        ? `${verified} verified snapshot(s), none due.\n\n`
        : `${counts.toRemove} of ${verified} verified snapshot(s) would go. ${applyPromise(report, configPath, colors)}\n\n`,
    );
    return;
  }
  const parts = [`${counts.removed} removed`];
  if (counts.failed > 0) parts.push(colors.red(`${counts.failed} failed`));
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  if (counts.deferred > 0) parts.push(`${counts.deferred} deferred`);
  out.write(`${parts.join(', ')} of ${counts.toRemove} due; ${counts.kept} kept.\n`);
  if (report.problem !== null) out.write(`${colors.red('problem:')} ${report.problem}\n`);
  out.write('\n');
}

/** Runs `sr-backup prune`; resolves with the exit status (1 when a removal failed or cannot work). */
export function runPruneCommand(options: PruneCommandOptions, io: CommandIo): Promise<ExitCode> {
  return runLifecycleCommand(options, io, async (session) => {
    const { colors } = session;
    const [
      { loadConfigFile },
      { createCatalogStore },
      { createManifestStore },
      { createLockStore },
      { pruneCluster },
      { localSnapshotObjects },
      { silentLogger },
      { withLocalStarRocks },
      { clusterContext },
    ] = await Promise.all([
      import('#local/config/load.ts'),
      import('#domain/catalog/index.ts'),
      import('#domain/catalog/manifest-store.ts'),
      import('#domain/lock/index.ts'),
      import('#domain/prune/prune-core.ts'),
      import('#local/runtime/s3-settings.ts'),
      import('#domain/logger.ts'),
      import('../support/starrocks.ts'),
      import('../support/explain-error.ts'),
    ]);
    const config = await loadConfigFile(options.config);
    const clusters = selectClusters(config, options.cluster, options.config);
    const s3Env = {
      ...io.env,
      ...(options.s3Endpoint === undefined ? {} : { [S3_ENDPOINT_VARIABLE]: options.s3Endpoint }),
    };
    const snapshotObjects = localSnapshotObjects(s3Env);
    const tables = await session.open({ locks: true });
    const catalog = createCatalogStore({
      client: tables.client,
      tableName: tables.catalogTableName,
      clock: io.clock,
    });
    const manifests = createManifestStore({
      client: tables.client,
      tableName: tables.catalogTableName,
      clock: io.clock,
    });
    const locks = createLockStore({
      client: tables.client,
      tableName: tables.locksTableName as string,
      clock: io.clock,
      // Prune only reads locks; it never takes one over.
      livenessOf: async () => 'running',
    });
    const reports: Array<{ report: PruneReport; retention: RetentionSettings }> = [];
    const unconfigured: string[] = [];
    for (const selected of clusters) {
      const { cluster } = selected;
      session.frontEnd = clusterContext(selected);
      if (cluster.retention === undefined) {
        unconfigured.push(cluster.name);
        continue;
      }
      const report = await pruneCluster(
        { cluster, databases: options.database, apply: options.apply === true },
        {
          catalog,
          locks,
          manifests,
          withFrontEnd: (work) =>
            withLocalStarRocks(cluster, io.env, (client) => work(client as FullStarRocksClient)),
          objects: await snapshotObjects.objects(cluster.retention),
          clock: io.clock,
          logger: silentLogger,
        },
      );
      reports.push({ report, retention: cluster.retention });
    }
    session.frontEnd = undefined;
    snapshotObjects.close();
    if (options.json) {
      io.stdout.write(
        `${JSON.stringify({ clusters: reports.map((r) => r.report), withoutRetention: unconfigured }, null, 2)}\n`,
      );
    } else {
      for (const { report, retention } of reports)
        printReport(report, retention, io, colors.out, options.config);
      for (const name of unconfigured) {
        io.stdout.write(colors.out.dim(`Cluster ${name} has no retention configured: nothing is pruned.\n`));
      }
    }
    const failed = reports.some(
      ({ report }) => report.apply && (report.counts.failed > 0 || report.problem !== null),
    );
    return failed ? EXIT.failed : EXIT.ok;
  });
}

const HELP = `
Applies each cluster's retention (clusters[].retention: keepLast, maxAgeDays, daily/weekly/monthly) to the
snapshot catalog. A dry run by default: it lists every snapshot with what would happen to it and why. --apply
removes what is due: DROP SNAPSHOT on StarRocks 4.2+, else (opt-in, retention.s3) the snapshot's objects in the
repository's S3 location; each removed snapshot is marked pruned in the catalog. Never removed: a pinned snapshot,
one of the newest keepLast verified ones, the only verified one, one a restore or drill is using, anything the
catalog does not know.

The FE password comes from STARROCKS_PASSWORD_<CLUSTER> (or STARROCKS_PASSWORD). Deployed: pass --catalog-table and
--locks-table (stack outputs CatalogTableName, LocksTableName) or set ${CATALOG_TABLE_VARIABLE} and
${LOCKS_TABLE_VARIABLE}. An S3-compatible store (MinIO) is reached with --s3-endpoint (or ${S3_ENDPOINT_VARIABLE})
and SR_BACKUP_S3_ACCESS_KEY_ID / SR_BACKUP_S3_SECRET_ACCESS_KEY.

Exit status: 0 done (or dry run), 1 a removal failed or no removal method works on the cluster, 2 usage.

Examples:
  $ sr-backup prune --config backup.yaml
  $ sr-backup prune --config backup.yaml --cluster prod --database sales --apply
  $ sr-backup prune --config backup.yaml --json | jq '.clusters[].removals'`;

/** Adds `sr-backup prune`. */
export function registerPruneCommand(program: Command): void {
  const command = configOption(
    program.command('prune').description('Show (or with --apply, remove) the snapshots retention lets go'),
  )
    .option('--cluster <name>', 'only this cluster (default: every cluster with retention)')
    .option('--database <db>', 'only this database (repeatable)', collectNames)
    .option('--apply', 'remove what is due (default: dry run, nothing changes)')
    .option('--s3-endpoint <url>', 'an S3-compatible endpoint for retention.s3 (MinIO)', parseHttpUrl)
    .option('--json', 'print {clusters: [report…], withoutRetention} as JSON on stdout');
  lifecycleStoreOptions(command, { locks: true });
  verboseOption(command);
  command.addHelpText('after', HELP).action(async (options: PruneCommandOptions) => {
    await runAction((io) => runPruneCommand(options, io));
  });
}
