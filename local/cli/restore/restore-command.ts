/**
 * `sr-backup restore`: prints the exact RESTORE statement for a verified snapshot of the catalog, and with
 * `--execute` runs it against the FE, taking the same per-cluster slot and per-database lock as the backups.
 */

import { hostname, userInfo } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { BackupConfig } from '#domain/config/index.ts';
import type { RestoreStep } from '#domain/differential/index.ts';
import {
  InvalidIdentifierError,
  RestoreInterruptedError,
  RestoreTargetExistsError,
  SnapshotNotFoundError,
} from '#domain/errors.ts';
import { MAX_RESTORE_DEADLINE_SECONDS } from '#domain/restore/drill-state.ts';
import { assertValidIdentifier } from '#domain/starrocks/index.ts';
import { formatDuration } from '#domain/time-format.ts';
import { loadConfigFile } from '#local/config/load.ts';
import type { ChainRestoreProgress, ChainRestoreRunResult } from '#local/restore/run-chain-restore.ts';
import type { RestoreProgress, RestoreRunResult } from '#local/restore/run-restore.ts';
import {
  ChainRestoreRefusedError,
  executeLocalChainRestore,
  executeLocalRestore,
  type LocalRestoreContext,
  type PreparedChain,
  type PreparedRestore,
  prepareLocalRestore,
  type Sleep,
} from '#local/runner/run-restore.ts';
import { openLifecycleTables, targetsDeployed } from '../commands/lifecycle-tables.ts';
import type { Colors } from '../format/color.ts';
import { formatTimestamp, formatUtc } from '../format/time.ts';
import { cliAwsClientOptions } from '../support/aws-client.ts';
import { isolateFromAwsSettings } from '../support/aws-isolation.ts';
import {
  type CliError,
  cliErrorJson,
  EXIT,
  type ExitCode,
  failure,
  interrupted,
  usageError,
} from '../support/cli-error.ts';
import { clusterContext, type ErrorContext, explainError } from '../support/explain-error.ts';
import { type CommandIo, colorsFor } from '../support/io.ts';
import { type LocalStore, openLocalStore, storeIsAbsent, storeLocation } from '../support/local-store.ts';
import { reportError } from '../support/report.ts';
import { selectCluster } from '../support/selection.ts';
import { readStackOutputs, STACK_VARIABLE, stackNameOf } from '../support/stack-target.ts';
import { deployedRestoreError, runDeployedRestore } from './deployed-restore.ts';

/** Options of `sr-backup restore`, as commander parses them. */
export interface RestoreCommandOptions {
  readonly config: string;
  readonly cluster?: string;
  readonly database: string;
  readonly snapshot?: string;
  /** The newest verified snapshot of a slot at or before this. */
  readonly before?: Date;
  /** Restore into this configured cluster (its FE and repository) a snapshot of `cluster`'s catalog. */
  readonly toCluster?: string;
  /** Only these tables (`name` or `name:alias`). */
  readonly table?: readonly { readonly name: string; readonly alias?: string | undefined }[];
  readonly as?: string;
  readonly execute?: boolean;
  readonly timeout?: number;
  readonly dynamodbEndpoint?: string;
  readonly stateDir?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  /** A deployed stack (or SR_BACKUP_STACK): the catalog and the Restore state machine are its. */
  readonly stack?: string;
  readonly region?: string;
  readonly catalogTable?: string;
  readonly locksTable?: string;
}

/** How a deployed restore is followed and stopped; tests give a virtual sleep, their own interrupt and clients. */
export interface RestoreCommandDeps {
  readonly makeSfn: (region: string | undefined) => Pick<SFNClient, 'send' | 'destroy'>;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Aborted on Ctrl-C (by default: the process's SIGINT). */
  readonly interrupt?: AbortSignal;
  /** Seconds between two reads of a deployed execution's history. */
  readonly pollSeconds: number;
  /** How a local restore waits between two SHOW RESTORE (real time by default; a test moves a virtual clock). */
  readonly localSleep?: Sleep | undefined;
}

const DEFAULT_DEPS: RestoreCommandDeps = {
  makeSfn: (region) => new SFNClient(cliAwsClientOptions(region)),
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
  pollSeconds: 10,
};

/** The `--json` document. */
export interface RestoreJsonDocument {
  readonly cluster: string | null;
  readonly database: string;
  readonly target: string;
  readonly snapshot: {
    readonly label: string;
    readonly snapshotTimestamp: string;
    readonly scheduledTime: string;
    readonly repository: string;
  } | null;
  readonly statement: string | null;
  readonly executed: boolean;
  /**
   * `PLANNED` without --execute; the outcome with it; `ABORTED` when Ctrl-C stopped a deployed restore; `ERROR` when
   * the command stopped before.
   */
  readonly state: 'PLANNED' | 'FINISHED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'ERROR';
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** Measured restore time (submit → FINISHED seen). */
  readonly durationSeconds: number | null;
  readonly tableCount: number | null;
  readonly rowCount: number | null;
  readonly error: { readonly name: string; readonly message: string; readonly hint?: string } | null;
  /** The Restore execution a deployed restore started (`--stack … --execute`); null otherwise. */
  readonly executionArn?: string | null;
  /**
   * A differential's chain restore (experimental, local only): `snapshot` is the differential, `statement` null.
   * Absent for a full.
   */
  readonly chain?: RestoreChainJson;
}

/** The `chain` of the `--json` document. */
export interface RestoreChainJson {
  readonly full: {
    readonly label: string;
    readonly snapshotTimestamp: string;
    readonly scheduledTime: string;
  };
  readonly differential: {
    readonly label: string;
    readonly snapshotTimestamp: string;
    readonly scheduledTime: string;
  };
  /** restoreSteps' steps, the check's expected partitions left out (`checkedTables` / `checkedPartitions`). */
  readonly steps: readonly Record<string, unknown>[];
  readonly statements: readonly string[];
  readonly counts: NonNullable<PreparedRestore['chain']>['counts'];
  /** Where the restored database differs from the differential's manifest (empty: equal); null before the check. */
  readonly mismatches: ChainRestoreRunResult['mismatches'] | null;
}

function iso(epochMs: number | null | undefined): string | null {
  return epochMs === null || epochMs === undefined ? null : new Date(epochMs).toISOString();
}

function checkName(option: string, name: string | undefined): void {
  if (name === undefined) return;
  try {
    assertValidIdentifier('database', name);
  } catch (error) {
    if (error instanceof InvalidIdentifierError) throw usageError(`${option}: ${error.message}`);
    throw error;
  }
}

/** The plan as people read it. */
function describePlan(prepared: PreparedRestore, colors: Colors): string {
  const { plan } = prepared;
  const snapshot = plan.snapshot;
  const lines = [
    `Restore of ${colors.bold(plan.sourceDatabase)} (cluster ${plan.cluster}) from snapshot ${colors.bold(snapshot.label)}`,
    `  taken for slot   ${formatUtc(snapshot.scheduledTime)}${snapshot.finishedAt ? ` (finished ${formatUtc(snapshot.finishedAt)})` : ''}`,
    `  snapshot time    ${snapshot.snapshotTimestamp}  (StarRocks' backup_timestamp, verbatim)`,
    `  repository       ${snapshot.repository}`,
    `  into             ${plan.targetDatabase}${
      plan.tables === undefined
        ? prepared.targetExists
          ? colors.yellow(' (exists!)')
          : ' (new database)'
        : prepared.targetExists
          ? ' (existing database)'
          : ' (new database)'
    }`,
    ...(plan.tables === undefined
      ? []
      : [
          `  tables           ${plan.tables.map((table) => (table.alias === undefined ? table.name : `${table.name} AS ${table.alias}`)).join(', ')}`,
        ]),
    '',
    prepared.statement,
    '',
  ];
  return lines.join('\n');
}

function progressLine(event: RestoreProgress, now: number, colors: Colors): string {
  const stamp = colors.dim(formatTimestamp(now));
  switch (event.kind) {
    case 'waiting':
      return `${stamp}  waiting for the ${event.for} (${event.detail}); retry in ${event.retryInSeconds} s`;
    case 'submitted':
      return `${stamp}  RESTORE ${event.job.origin} into ${event.job.targetDatabase}; next check in ${event.job.nextWaitSeconds} s`;
    case 'polled': {
      const progress =
        event.job.progress && event.job.starRocksState === 'DOWNLOADING'
          ? ` ${event.job.progress.done}/${event.job.progress.total} tasks`
          : '';
      const state = event.job.starRocksState ?? 'unknown';
      return event.job.phase === 'running'
        ? `${stamp}  ${state}${progress}; next check in ${event.job.nextWaitSeconds} s`
        : `${stamp}  ${state}${event.job.phase === 'deadline' ? ' past our deadline' : ''}`;
    }
    case 'checking':
      return `${stamp}  checking the restored tables of ${event.job.targetDatabase}`;
    case 'cancelling':
      return `${stamp}  cancelling our RESTORE job (${event.reason})`;
  }
}

function describeResult(result: RestoreRunResult, target: string, colors: Colors): string {
  const time =
    result.durationSeconds === null ? '' : ` (restore time ${formatDuration(result.durationSeconds)})`;
  if (result.state === 'FINISHED') {
    const check = result.check;
    const tables = check ? `${check.tableCount} tables, ${check.rowCount} rows` : 'its tables';
    return `Restore ${colors.green('FINISHED')}: ${target} holds ${tables}${time}.`;
  }
  const lines = [`Restore ${colors.red(result.state)}: ${result.reason ?? 'unknown reason'}${time}.`];
  if (result.droppedEmptyTarget)
    lines.push(colors.dim(`The empty database ${target} it left was dropped again.`));
  else if (result.check === null)
    lines.push(colors.dim(`Check ${target}: StarRocks may have left it partly restored.`));
  return lines.join('\n');
}

/** `1 partition`, `2 partitions`. */
function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** One step of a chain's plan, as people read it. */
function chainStepLine(step: RestoreStep, chain: PreparedChain, differential: string): string {
  const { counts } = chain;
  switch (step.step) {
    case 'restore-full': {
      const objects = plural(counts.fromFull, 'object');
      const leftOut = step.leftOut
        .map(
          (entry) =>
            `${entry.name}, ${entry.why === 'in-differential' ? 'whole in the differential' : 'dropped since the full'}`,
        )
        .join('; ');
      return `RESTORE full ${chain.full.label}: ${step.only === null ? `all ${objects}` : objects}${leftOut === '' ? '' : ` (left out: ${leftOut})`}`;
    }
    case 'drop-partitions':
      return `DROP ${plural(step.partitions.length, 'partition')} of ${step.table} (${step.why === 'dropped-since-full' ? 'dropped since the full' : 'replaced since the full'}): ${step.partitions.join(', ')}`;
    case 'restore-differential':
      return `RESTORE differential ${differential}: ${plural(counts.differentialPartitions, 'partition')} into existing tables, ${plural(counts.differentialWholeObjects, 'object')} whole`;
    case 'refresh-materialized-views':
      return `REFRESH ${step.names.join(', ')}`;
    case 'check':
      return `check ${plural(counts.checkedTables, 'table')}, ${plural(counts.checkedPartitions, 'partition')} against ${differential}'s manifest`;
  }
}

/** A chain's plan as people read it: which full, which differential, what each step moves, the statements. */
function describeChainPlan(prepared: PreparedRestore, colors: Colors): string {
  const { plan, chain } = prepared;
  if (chain === null) return describePlan(prepared, colors);
  const differential = plan.snapshot;
  const { counts } = chain;
  const when = (snapshot: typeof differential) =>
    `slot ${formatUtc(snapshot.scheduledTime)}, snapshot time ${snapshot.snapshotTimestamp}`;
  const stepLines = chain.steps.map(
    (step, index) => `${index + 1}. ${chainStepLine(step, chain, differential.label)}`,
  );
  const lines = [
    `Chain restore of ${colors.bold(plan.sourceDatabase)} (cluster ${plan.cluster}) to differential snapshot ${colors.bold(differential.label)} ${colors.yellow('(experimental)')}`,
    `  full             ${chain.full.label}  (${when(chain.full)})`,
    `  differential     ${differential.label}  (${when(differential)})`,
    `  repository       ${differential.repository}`,
    `  into             ${plan.targetDatabase}${prepared.targetExists ? colors.yellow(' (exists!)') : ' (new database)'}`,
    `  partitions       ${counts.droppedPartitions} dropped since the full, ${counts.replacedPartitions} replaced, ${counts.differentialPartitions} restored from the differential`,
    '  steps',
    ...stepLines.map((line) => `    ${line}`),
    '',
    ...chain.statements,
    '',
  ];
  return lines.join('\n');
}

function chainProgressLine(event: ChainRestoreProgress, now: number, colors: Colors): string {
  const stamp = colors.dim(formatTimestamp(now));
  switch (event.kind) {
    case 'waiting':
      return `${stamp}  waiting for the ${event.for} (${event.detail}); retry in ${event.retryInSeconds} s`;
    case 'submitted':
      return `${stamp}  RESTORE ${event.label} submitted; next check in ${event.nextWaitSeconds} s`;
    case 'polled': {
      const progress =
        event.job.progress && event.job.state === 'DOWNLOADING'
          ? ` ${event.job.progress.done}/${event.job.progress.total} tasks`
          : '';
      const next = event.nextWaitSeconds === null ? '' : `; next check in ${event.nextWaitSeconds} s`;
      return `${stamp}  ${event.label}: ${event.job.state}${progress}${next}`;
    }
    case 'dropped':
      return `${stamp}  dropped partition ${event.partition} of ${event.table}`;
    case 'checking':
      return `${stamp}  checking ${event.targetDatabase} partition by partition against the differential's manifest`;
    case 'cancelling':
      return `${stamp}  cancelling our RESTORE job (${event.reason})`;
  }
}

function describeChainResult(result: ChainRestoreRunResult, target: string, colors: Colors): string {
  const time =
    result.durationSeconds === null ? '' : ` (restore time ${formatDuration(result.durationSeconds)})`;
  if (result.state === 'FINISHED') {
    const checked = result.checked;
    const what = checked
      ? `${checked.tables} tables, ${checked.partitions} partitions, each at the differential's version`
      : 'the differential';
    return `Chain restore ${colors.green('FINISHED')}: ${target} holds ${what}${time}.`;
  }
  const lines = [`Chain restore ${colors.red(result.state)}: ${result.reason ?? 'unknown reason'}${time}.`];
  for (const mismatch of result.mismatches.slice(0, 20)) {
    const where =
      mismatch.partition === null ? mismatch.table : `${mismatch.table} partition ${mismatch.partition}`;
    lines.push(
      `  ${where}: expected ${mismatch.expected ?? 'nothing'}, found ${mismatch.actual ?? 'nothing'}`,
    );
  }
  if (result.mismatches.length > 20) lines.push(`  … and ${result.mismatches.length - 20} more`);
  if (result.droppedEmptyTarget)
    lines.push(colors.dim(`The empty database ${target} it left was dropped again.`));
  else
    lines.push(
      colors.dim(
        `${target} is left as the restore left it, not the differential's point: drop it before restoring under that name again.`,
      ),
    );
  return lines.join('\n');
}

/** The `chain` of the `--json` document (the check step's expected partitions summed up, not listed). */
function chainJson(prepared: PreparedRestore): RestoreChainJson | undefined {
  const { chain, plan } = prepared;
  if (chain === null) return undefined;
  const point = (snapshot: typeof plan.snapshot) => ({
    label: snapshot.label,
    snapshotTimestamp: snapshot.snapshotTimestamp,
    scheduledTime: snapshot.scheduledTime,
  });
  return {
    full: point(chain.full),
    differential: point(plan.snapshot),
    steps: chain.steps.map((step) =>
      step.step === 'check'
        ? {
            step: 'check',
            checkedTables: chain.counts.checkedTables,
            checkedPartitions: chain.counts.checkedPartitions,
          }
        : { ...step },
    ),
    statements: chain.statements,
    counts: chain.counts,
    mismatches: null,
  };
}

/** Explains the restore's own refusals; everything else goes to the shared explanations. */
function explainRestoreError(
  error: unknown,
  options: RestoreCommandOptions,
  context: ErrorContext,
): CliError {
  const where = `--config ${options.config}${options.cluster ? ` --cluster ${options.cluster}` : ''}`;
  if (error instanceof SnapshotNotFoundError) {
    const hint = `\`sr-backup snapshots ${where} --database ${options.database}\` lists what the catalog holds`;
    if (options.toCluster !== undefined && /does not hold snapshot/.test(error.message)) {
      return failure(`--to-cluster: ${error.message}`, {
        hint: `on ${options.toCluster}, CREATE REPOSITORY over the source repository's location (read-only is enough) and name it in its clusters[].repository`,
        cause: error,
      });
    }
    if (options.snapshot !== undefined)
      return usageError(`--snapshot: ${error.message}`, { hint, cause: error });
    if (options.before !== undefined) return failure(`--before: ${error.message}`, { hint, cause: error });
    return failure(error.message, { hint: `back the database up first; ${hint}`, cause: error });
  }
  if (error instanceof RestoreTargetExistsError) {
    return usageError(error.message, {
      hint:
        error.tables.length === 0
          ? `restore under a new name with --as ${error.database}_restored, or drop ${error.database} first if it is really meant to be replaced`
          : `give the table a new name (--table ${error.tables[0]}:${error.tables[0]}_restored), restore into another database with --as, or drop the table first`,
      cause: error,
    });
  }
  if (error instanceof RestoreInterruptedError) return interrupted(error.message, { cause: error });
  if (error instanceof ChainRestoreRefusedError) {
    if (error.option === null) return failure(error.message, { cause: error });
    return usageError(`${error.option}: ${error.message}`, {
      hint: `restore the whole chain locally without ${error.option}, or the full alone with --snapshot <its label>`,
      cause: error,
    });
  }
  return explainError(error, context);
}

/** Runs the command; resolves with the exit status (0, 1, 2 or 130). */
export async function runRestoreCommand(
  options: RestoreCommandOptions,
  io: CommandIo,
  deps: RestoreCommandDeps = DEFAULT_DEPS,
): Promise<ExitCode> {
  const colors = colorsFor(io);
  const json = options.json === true;
  const human = json ? io.stderr : io.stdout;
  const humanColors = json ? colors.err : colors.out;
  const context: { -readonly [K in keyof ErrorContext]: ErrorContext[K] } = {
    configPath: options.config,
    dynamodbEndpoint: options.dynamodbEndpoint,
  };
  const document: { -readonly [K in keyof RestoreJsonDocument]: RestoreJsonDocument[K] } = {
    cluster: options.cluster ?? null,
    database: options.database,
    target: options.as ?? options.database,
    snapshot: null,
    statement: null,
    executed: false,
    state: 'ERROR',
    startedAt: null,
    finishedAt: null,
    durationSeconds: null,
    tableCount: null,
    rowCount: null,
    error: null,
  };
  const abort = new AbortController();
  const onInterrupt = (): void => {
    human.write('\ninterrupted: cancelling our RESTORE job and releasing the lock…\n');
    abort.abort(new RestoreInterruptedError('interrupted'));
  };
  let store: LocalStore | undefined;
  try {
    const config = await loadConfigFile(options.config);
    const source = selectCluster(config, options.cluster, options.config);
    // --to-cluster: the snapshot is the source cluster's, the FE, repository, slot and lock the target's.
    const selected =
      options.toCluster === undefined ? source : selectCluster(config, options.toCluster, options.config);
    const { cluster } = selected;
    document.cluster = cluster.name;
    context.cluster = clusterContext(selected);
    checkName('--database', options.database);
    checkName('--as', options.as);
    if (options.timeout !== undefined && options.timeout < 1) {
      throw usageError('--timeout must be at least one second');
    }
    if (targetsDeployed(options, io.env)) {
      if (
        options.timeout !== undefined &&
        (!Number.isInteger(options.timeout) || options.timeout > MAX_RESTORE_DEADLINE_SECONDS)
      ) {
        throw usageError(
          `--timeout against a deployed stack is whole seconds up to ${MAX_RESTORE_DEADLINE_SECONDS} (7 days): the Restore machine's execution timeout covers no more`,
        );
      }
      return await restoreDeployed(options, io, deps, { config, cluster: cluster.name, document });
    }
    const location = storeLocation(options);
    if (storeIsAbsent(location)) {
      throw failure(
        `there is no catalog yet in ${options.stateDir ?? '.sr-backup'}/: nothing to restore from`,
        {
          hint: 'back the database up first (`sr-backup run`), or point --state-dir / --dynamodb-endpoint at the catalog',
        },
      );
    }
    isolateFromAwsSettings(io.env);
    // Printing the RESTORE only reads the catalog, so it works beside a running backup; --execute holds the store.
    store = await openLocalStore(location, { shareWithRunning: options.execute !== true });
    const restoreContext: LocalRestoreContext = {
      config,
      cluster: cluster.name,
      tables: store.tables,
      clock: io.clock,
      secretEnv: io.env,
    };
    const prepared = await prepareLocalRestore(restoreContext, {
      database: options.database,
      snapshot: options.snapshot,
      before: options.before?.toISOString(),
      tables: options.table,
      fromCluster: source.cluster.name === cluster.name ? undefined : source.cluster.name,
      as: options.as,
      deadlineSeconds: options.timeout,
    });
    const { plan } = prepared;
    document.snapshot = {
      label: plan.snapshot.label,
      snapshotTimestamp: plan.snapshot.snapshotTimestamp,
      scheduledTime: plan.snapshot.scheduledTime,
      repository: plan.snapshot.repository,
    };
    const chain = chainJson(prepared);
    document.statement = chain === undefined ? prepared.statement : null;
    if (chain !== undefined) document.chain = chain;
    human.write(
      prepared.chain === null
        ? describePlan(prepared, humanColors)
        : describeChainPlan(prepared, humanColors),
    );

    if (options.execute !== true) {
      document.state = 'PLANNED';
      if (prepared.refusal !== null) {
        human.write(
          `${humanColors.yellow(`${prepared.refusal.message}: --execute would refuse it.`)} ${plan.tables === undefined ? 'Choose a new name with --as.' : 'Give the table a new name (--table name:new_name) or restore into another database with --as.'}\n`,
        );
      } else {
        human.write(humanColors.dim('Nothing was changed. Add --execute to run it.\n'));
      }
      if (json) io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return EXIT.ok;
    }
    if (prepared.refusal !== null) throw prepared.refusal;

    process.once('SIGINT', onInterrupt);
    document.executed = true;
    if (prepared.chain !== null) {
      const result = await executeLocalChainRestore(restoreContext, prepared, {
        signal: abort.signal,
        sleep: deps.localSleep,
        onProgress: (event) => human.write(`${chainProgressLine(event, io.clock.now(), humanColors)}\n`),
      });
      human.write(`\n${describeChainResult(result, plan.targetDatabase, humanColors)}\n`);
      document.state = result.state;
      document.startedAt = iso(result.startedAt);
      document.finishedAt = iso(result.finishedAt);
      document.durationSeconds = result.durationSeconds;
      document.tableCount = result.checked?.tables ?? null;
      if (document.chain !== undefined) {
        document.chain = {
          ...document.chain,
          mismatches: result.checked === null ? null : result.mismatches,
        };
      }
      if (result.state !== 'FINISHED') {
        document.error = {
          name:
            result.state === 'TIMED_OUT'
              ? 'RestoreTimedOutError'
              : result.mismatches.length > 0
                ? 'RestoreCheckFailedError'
                : 'RestoreFailedError',
          message: result.reason ?? result.state,
        };
      }
      if (json) io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return result.state === 'FINISHED' ? EXIT.ok : EXIT.failed;
    }
    const result = await executeLocalRestore(restoreContext, prepared, {
      sleep: deps.localSleep,
      signal: abort.signal,
      onProgress: (event) => human.write(`${progressLine(event, io.clock.now(), humanColors)}\n`),
    });
    human.write(`\n${describeResult(result, plan.targetDatabase, humanColors)}\n`);
    document.state = result.state;
    document.startedAt = iso(result.startedAt);
    document.finishedAt = iso(result.finishedAt);
    document.durationSeconds = result.durationSeconds;
    document.tableCount = result.check?.tableCount ?? null;
    document.rowCount = result.check?.rowCount ?? null;
    if (result.state !== 'FINISHED') {
      document.error = {
        name: result.state === 'TIMED_OUT' ? 'RestoreTimedOutError' : 'RestoreFailedError',
        message: result.reason ?? result.state,
      };
    }
    if (json) io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return result.state === 'FINISHED' ? EXIT.ok : EXIT.failed;
  } catch (error) {
    const explained = explainRestoreError(error, options, context);
    document.state = 'ERROR';
    document.error = cliErrorJson(explained);
    if (json) io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return explained.exitCode;
  } finally {
    process.off('SIGINT', onInterrupt);
    await store?.close();
  }
}

/** `restore --stack …`: plans from the deployed catalog; `--execute` starts the stack's Restore machine. */
async function restoreDeployed(
  options: RestoreCommandOptions,
  io: CommandIo,
  deps: RestoreCommandDeps,
  context: {
    readonly config: BackupConfig;
    readonly cluster: string;
    readonly document: { -readonly [K in keyof RestoreJsonDocument]: RestoreJsonDocument[K] };
  },
): Promise<ExitCode> {
  const { document } = context;
  const colors = colorsFor(io);
  const json = options.json === true;
  const human = json ? io.stderr : io.stdout;
  const humanColors = json ? colors.err : colors.out;
  if (options.toCluster !== undefined) {
    throw usageError('--to-cluster is not available against a deployed stack yet', {
      hint: 'run it locally, with the target cluster reachable and its password in STARROCKS_PASSWORD_<CLUSTER>',
    });
  }
  const stackName = stackNameOf(options, io.env);
  if (options.execute === true && stackName === undefined) {
    throw usageError(
      '--execute against deployed tables needs the stack that holds the Restore state machine',
      {
        hint: `pass --stack <name> (or set ${STACK_VARIABLE})`,
      },
    );
  }
  const stack = stackName === undefined ? undefined : await readStackOutputs(stackName, options.region);
  const tables = await openLifecycleTables(options, io, { locks: false, readOnly: true });
  const sfn = deps.makeSfn(options.region ?? stack?.region);
  const stop = new AbortController();
  const onInterrupt = (): void => {
    human.write('\ninterrupted: stopping the Restore execution (the stack cancels its RESTORE job)…\n');
    stop.abort();
  };
  deps.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  if (deps.interrupt?.aborted === true) stop.abort();
  if (deps.interrupt === undefined) process.once('SIGINT', onInterrupt);
  try {
    const result = await runDeployedRestore(
      {
        config: context.config,
        cluster: context.cluster,
        database: options.database,
        label: options.snapshot,
        before: options.before,
        targetDatabase: options.as ?? options.database,
        tables: options.table,
        timeoutSeconds: options.timeout,
        execute: options.execute === true,
      },
      {
        sfn,
        catalog: { client: tables.client, tableName: tables.catalogTableName },
        stack,
        catalogDescription: tables.description,
        clock: io.clock,
        sleep: deps.sleep,
        interrupt: stop.signal,
        pollSeconds: deps.pollSeconds,
        write: (text) => human.write(text),
        colors: humanColors,
        requestedBy: whoAsks(io.env),
        onStarted: (executionArn) => {
          document.executed = true;
          document.executionArn = executionArn;
        },
      },
    );
    document.snapshot = {
      label: result.snapshot.label,
      snapshotTimestamp: result.snapshot.snapshotTimestamp,
      scheduledTime: result.snapshot.scheduledTime,
      repository: result.snapshot.repository,
    };
    document.executed = options.execute === true;
    document.executionArn = result.executionArn;
    document.state = result.state;
    document.startedAt = result.startedAt;
    document.finishedAt = result.finishedAt;
    document.durationSeconds = result.durationSeconds;
    document.tableCount = result.tableCount;
    document.rowCount = result.rowCount;
    if (result.state === 'PLANNED') {
      human.write(humanColors.dim('Nothing was changed. Add --execute to run it in the deployed stack.\n'));
      if (json) io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return EXIT.ok;
    }
    if (result.state === 'ABORTED') {
      const next = `\`sr-backup logs ${result.executionArn} --stack ${stackName ?? '…'}\` shows what it did; ${result.consoleUrl ?? ''}`;
      const stopped = result.stopped === true;
      const explained = interrupted(
        stopped
          ? `the restore was stopped: the stack cancels its RESTORE job and frees its lock; a database ${options.as ?? options.database} it created is left, empty (drop it before restoring under that name again)`
          : `the restore could not be stopped and goes on in AWS: \`sr-backup cancel ${result.executionArn} --config ${options.config} --stack ${stackName ?? '…'}\` stops it`,
        { hint: next },
      );
      document.error = cliErrorJson(explained);
      if (json) io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      reportError(explained, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
      return explained.exitCode;
    }
    const failed = deployedRestoreError(result);
    if (failed === null) {
      const time =
        result.durationSeconds === null ? '' : ` (restore time ${formatDuration(result.durationSeconds)})`;
      human.write(
        `\nRestore ${humanColors.green('FINISHED')}: ${options.as ?? options.database} holds ${result.tableCount ?? '?'} tables, ${result.rowCount ?? '?'} rows${time}.\n`,
      );
      if (json) io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return EXIT.ok;
    }
    human.write(
      `\nRestore ${humanColors.red(result.state)}: ${result.error?.message ?? 'unknown reason'}.\n`,
    );
    document.error = { ...cliErrorJson(failed), name: result.error?.name ?? 'RestoreFailedError' };
    if (json) io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    reportError(failed, { stderr: io.stderr, colors: colors.err, verbose: options.verbose === true });
    return failed.exitCode;
  } finally {
    deps.interrupt?.removeEventListener('abort', onInterrupt);
    if (deps.interrupt === undefined) process.off('SIGINT', onInterrupt);
    sfn.destroy();
    await tables.close();
  }
}

/** `user@host` for the execution input's audit trail; a container user without a passwd entry is `$USER` or unknown. */
function whoAsks(env: NodeJS.ProcessEnv): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = env.USER ?? env.USERNAME ?? 'unknown';
  }
  return `${user}@${hostname()}`;
}
