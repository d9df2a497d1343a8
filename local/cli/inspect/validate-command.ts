/** `sr-backup validate`: checks the configuration file and says what it describes. */
import {
  type BackupConfig,
  connectionWarnings,
  DEFAULTS,
  formatConnectionWarning,
  nextSlots,
} from '#domain/config/index.ts';
import { ConfigError } from '#domain/errors.ts';
import { chooseRemovalMethod } from '#domain/prune/removal-method.ts';
import { capabilitiesOf, formatVersion } from '#domain/starrocks/index.ts';
import { loadConfigFile } from '#local/config/load.ts';
import { formatUtc } from '../format/time.ts';
import { EXIT, type ExitCode } from '../support/cli-error.ts';
import { explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { reportError } from '../support/report.ts';
import { checkStarRocks } from '../support/starrocks.ts';

/** Options of `sr-backup validate`. */
export interface ValidateCommandOptions {
  readonly config: string;
  /** Also log in to each cluster's FE and check what its version can do with this configuration. */
  readonly resolve?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** What `--resolve` found on one cluster's FE. */
export interface ResolvedCluster {
  readonly cluster: string;
  /** The FE's version, or null when it could not be read. */
  readonly version: string | null;
  /** Why the FE could not be read, or null. */
  readonly error: string | null;
  /** What this configuration cannot do on that version (e.g. retention with nothing to remove snapshots). */
  readonly warnings: readonly string[];
}

/** Logs in to each cluster's FE and says what its version cannot do as configured. */
async function resolveClusters(config: BackupConfig, io: CommandIo): Promise<ResolvedCluster[]> {
  const resolved: ResolvedCluster[] = [];
  for (const [index, cluster] of config.clusters.entries()) {
    let version: Awaited<ReturnType<typeof checkStarRocks>>;
    try {
      version = await checkStarRocks(cluster, io.env);
    } catch (error) {
      const message = explainError(error, { configPath: '' }).message;
      resolved.push({ cluster: cluster.name, version: null, error: message, warnings: [] });
      continue;
    }
    const warnings: string[] = [];
    if (cluster.retention !== undefined) {
      const method = chooseRemovalMethod(cluster.retention, {
        version: formatVersion(version),
        capabilities: capabilitiesOf(version),
      });
      if (method.kind === 'unavailable') {
        warnings.push(
          `clusters[${index}].retention (${cluster.name}): ${method.reason}; until then prune and the nightly cleanup remove nothing`,
        );
      }
    }
    resolved.push({ cluster: cluster.name, version: formatVersion(version), error: null, warnings });
  }
  return resolved;
}

/** A remark about a valid configuration that may not be what the user meant. */
function notesOf(config: BackupConfig): string[] {
  const notes: string[] = [];
  config.clusters.forEach((cluster, index) => {
    if (cluster.schedules.length === 0)
      notes.push(`clusters[${index}] (${cluster.name}) has no schedules: nothing will run it on its own`);
    cluster.schedules.forEach((schedule, scheduleIndex) => {
      if (!schedule.enabled)
        notes.push(`clusters[${index}].schedules[${scheduleIndex}] (${schedule.name}) is disabled`);
      if (schedule.mode === 'differential')
        notes.push(
          `clusters[${index}].schedules[${scheduleIndex}] (${schedule.name}) takes differential backups (a full every ` +
            `${schedule.fullEvery ?? DEFAULTS.fullEvery} days): EXPERIMENTAL, the chain restore is not yet confirmed ` +
            'on a real FE; restore a chain on your cluster before relying on it (docs/configuration.md)',
        );
    });
    if (cluster.passwordSecretArn === undefined)
      notes.push(
        `clusters[${index}] (${cluster.name}) names no passwordSecretArn: deployed, it logs in with an empty password`,
      );
  });
  return notes;
}

/** Runs the command; resolves with the exit status. */
export async function runValidateCommand(options: ValidateCommandOptions, io: CommandIo): Promise<ExitCode> {
  const colors = colorsFor(io);
  let config: BackupConfig;
  try {
    config = await loadConfigFile(options.config);
  } catch (error) {
    const explained = explainError(error, { configPath: options.config, validating: true });
    if (options.json) {
      const issues = error instanceof ConfigError ? error.issues : [explained.message];
      io.stdout.write(`${JSON.stringify({ config: options.config, valid: false, issues }, null, 2)}\n`);
    }
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return explained.exitCode;
  }
  const now = new Date(io.clock.now());
  const notes = notesOf(config);
  const resolved = options.resolve ? await resolveClusters(config, io) : undefined;
  const warnings = [
    ...connectionWarnings(config.clusters).map(formatConnectionWarning),
    ...(resolved ?? []).flatMap((cluster) => cluster.warnings),
  ];
  const unreachable = (resolved ?? []).filter((cluster) => cluster.error !== null);
  const exitCode = unreachable.length > 0 ? EXIT.failed : EXIT.ok;
  if (options.json) {
    const document = {
      config: options.config,
      valid: true,
      issues: [],
      warnings,
      ...(resolved === undefined ? {} : { frontEnds: resolved }),
      notes,
      clusters: config.clusters.map((cluster) => ({
        name: cluster.name,
        host: cluster.host,
        port: cluster.port,
        repository: cluster.repository,
        schedules: cluster.schedules.map((schedule) => ({
          name: schedule.name,
          cron: schedule.cron,
          timezone: schedule.timezone,
          enabled: schedule.enabled,
          mode: schedule.mode,
          ...(schedule.mode === 'differential'
            ? { fullEvery: schedule.fullEvery ?? DEFAULTS.fullEvery }
            : {}),
          nextSlot: schedule.enabled ? (nextSlots(schedule, now, 1)[0]?.toISOString() ?? null) : null,
        })),
      })),
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return exitCode;
  }
  const { out } = colors;
  const scheduleCount = config.clusters.reduce((sum, cluster) => sum + cluster.schedules.length, 0);
  const lines = [
    `${out.green('✔')} ${options.config} is valid: ${config.clusters.length} cluster${config.clusters.length === 1 ? '' : 's'}, ${scheduleCount} schedule${scheduleCount === 1 ? '' : 's'}`,
  ];
  for (const cluster of config.clusters) {
    const fe = resolved?.find((entry) => entry.cluster === cluster.name);
    const feNote =
      fe === undefined
        ? ''
        : fe.version === null
          ? `, ${out.red(`FE unreachable: ${fe.error}`)}`
          : `, StarRocks ${fe.version}`;
    lines.push(
      `  ${out.bold(cluster.name)}: ${cluster.host}:${cluster.port}${feNote}, repository ${cluster.repository}, include ${cluster.include.join(' ')}${cluster.exclude.length > 0 ? `, exclude ${cluster.exclude.join(' ')}` : ''}, at most ${cluster.maxConcurrentBackups} at once`,
    );
    for (const schedule of cluster.schedules) {
      const next = schedule.enabled ? nextSlots(schedule, now, 1)[0] : undefined;
      lines.push(
        `    ${schedule.name}: cron ${schedule.cron} in ${schedule.timezone}${
          schedule.mode === 'differential'
            ? `, differential (a full every ${schedule.fullEvery ?? DEFAULTS.fullEvery} days)`
            : ''
        }${schedule.enabled ? (next ? `, next ${formatUtc(next)}` : ', no future slot') : ' (disabled)'}`,
      );
    }
  }
  for (const warning of warnings) lines.push(out.yellow(`  warning: ${warning}`));
  for (const note of notes) lines.push(out.yellow(`  note: ${note}`));
  io.stdout.write(`${lines.join('\n')}\n`);
  return exitCode;
}
