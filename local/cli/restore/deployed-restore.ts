/**
 * `sr-backup restore --stack …`: the restore against a deployed stack. The snapshot is chosen from the deployed
 * catalog (as the local restore chooses it from the local one) and printed; with `--execute` the stack's Restore
 * state machine (statemachines/restore.asl.json) is started with that exact label and followed to its end. The
 * Lambdas, inside the FE's network, check the target, take the slot and lock, run and check the RESTORE.
 */
import { randomBytes } from 'node:crypto';
import { type SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { createCatalogStore } from '#domain/catalog/index.ts';
import { createManifestStore } from '#domain/catalog/manifest-store.ts';
import type { Clock } from '#domain/clock.ts';
import { type BackupConfig, toClusterSettings } from '#domain/config/index.ts';
import { type DrillChain, planDrillChain } from '#domain/restore/drill-chain.ts';
import type { RestoreRequest } from '#domain/restore/drill-state.ts';
import { chooseSnapshot, type RestoreSnapshot } from '#domain/restore/restore-plan.ts';
import { causeMessage } from '#domain/workflow/workflow-state.ts';
import type { EventLog } from '#local/runner/local-workflow.ts';
import type { Colors } from '../format/color.ts';
import { formatTimestamp, formatUtc } from '../format/time.ts';
import { startAndFollow } from '../start/deployed-execution.ts';
import { executionConsoleUrl, parseStateMachineArn, taggedExecutionName } from '../start/start-execution.ts';
import { type CliError, failure, interrupted, usageError } from '../support/cli-error.ts';
import type { StackOutputs } from '../support/stack-target.ts';

/** What a deployed restore asks for (the command's options, checked). */
export interface DeployedRestoreRequest {
  readonly config: BackupConfig;
  readonly cluster: string;
  readonly database: string;
  readonly label?: string | undefined;
  readonly before?: Date | undefined;
  readonly targetDatabase: string;
  readonly tables?: readonly { readonly name: string; readonly alias?: string | undefined }[] | undefined;
  readonly timeoutSeconds?: number | undefined;
  readonly execute: boolean;
}

/** What following a started restore needs; tests give a virtual sleep and their own interrupt. */
export interface DeployedRestoreDeps {
  readonly sfn: Pick<SFNClient, 'send'>;
  readonly catalog: {
    readonly client: Parameters<typeof createCatalogStore>[0]['client'];
    readonly tableName: string;
  };
  /** The stack whose Restore machine `--execute` starts; undefined when only the tables were named (a plan only). */
  readonly stack: StackOutputs | undefined;
  /** Where the catalog was read (`stack X: DynamoDB table T (region)`), for the plan's first line. */
  readonly catalogDescription: string;
  readonly clock: Clock;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Aborted on Ctrl-C (by default: the process's SIGINT): the started execution is stopped. */
  readonly interrupt?: AbortSignal | undefined;
  /** Seconds between two reads of the execution's history. */
  readonly pollSeconds: number;
  readonly write: (line: string) => void;
  readonly colors: Colors;
  /** Who asks, kept in the execution's input. */
  readonly requestedBy: string;
  /** Called once StartExecution answered. */
  readonly onStarted?: (executionArn: string) => void;
  readonly randomSuffix?: () => string;
}

/** How a deployed restore ended. */
export interface DeployedRestoreResult {
  readonly snapshot: RestoreSnapshot;
  /** PLANNED without --execute. */
  /** PLANNED without --execute; ABORTED after Ctrl-C stopped the execution (or tried to: see `stopped`). */
  readonly state: 'PLANNED' | 'FINISHED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /** After Ctrl-C: whether StopExecution was accepted (false: the restore may still run). */
  readonly stopped?: boolean;
  readonly executionArn: string | null;
  readonly consoleUrl: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationSeconds: number | null;
  readonly tableCount: number | null;
  readonly rowCount: number | null;
  /** The execution's error (its name, the Task's message) when it did not finish. */
  readonly error: { readonly name: string; readonly message: string } | null;
}

/** `restore-<database>-<yyyyMMddTHHmmZ>-<hex6>`: an on-demand restore (see taggedExecutionName). */
export function restoreExecutionName(database: string, at: Date, suffix: string): string {
  return taggedExecutionName('restore', database, at, suffix);
}

/** The Restore machine's ARN from the stack's outputs; a stack deployed before it existed is a usage error. */
function restoreMachineArn(stack: StackOutputs | undefined): string {
  // The command refuses --execute without --stack before it reads anything.
  if (stack === undefined) throw new Error('--execute needs the stack of the Restore state machine');
  if (stack.restoreStateMachineArn === undefined || stack.restoreStateMachineArn === '') {
    throw usageError(`stack ${stack.stackName} has no output RestoreStateMachineArn`, {
      hint: 'deploy this version (`cdk deploy`) to add the Restore state machine, or restore locally with --state-dir',
    });
  }
  return stack.restoreStateMachineArn;
}

/** The plan as people read it. */
function describePlan(
  request: DeployedRestoreRequest,
  snapshot: RestoreSnapshot,
  catalogDescription: string,
  colors: Colors,
  chain: DrillChain | null,
) {
  const drops = (chain?.steps ?? []).reduce(
    (sum, step) => sum + (step.step === 'drop-partitions' ? step.partitions.length : 0),
    0,
  );
  const tables = request.tables
    ?.map((table) => (table.alias === undefined ? table.name : `${table.name} AS ${table.alias}`))
    .join(', ');
  return [
    `Restore of ${colors.bold(request.database)} (cluster ${request.cluster}; ${catalogDescription}) from snapshot ${colors.bold(snapshot.label)}`,
    `  taken for slot   ${formatUtc(snapshot.scheduledTime)}${snapshot.finishedAt ? ` (finished ${formatUtc(snapshot.finishedAt)})` : ''}`,
    `  snapshot time    ${snapshot.snapshotTimestamp}  (StarRocks' backup_timestamp, verbatim)`,
    `  repository       ${snapshot.repository}`,
    ...(chain === null
      ? []
      : [
          `  chain            a differential (experimental): RESTORE of full ${chain.full.label}, ${drops} partition drop(s), RESTORE of ${snapshot.label}, into a new database`,
        ]),
    `  into             ${request.targetDatabase}`,
    ...(tables === undefined ? [] : [`  tables           ${tables}`]),
    colors.dim(
      '  The Restore state machine checks the target under its lock and writes the RESTORE for the FE it reaches.',
    ),
    '',
  ].join('\n');
}

/** What the progress lines read of `$.restore` (the tracked RESTORE job). */
interface FollowedJob {
  readonly phase?: string;
  readonly starRocksState?: string | null;
  readonly progress?: { readonly done: number; readonly total: number } | null;
  readonly nextWaitSeconds?: number;
}

/** One line per step people care about, from the followed execution's events. */
function progressLine(event: EventLog, colors: Colors): string | undefined {
  const stamp = colors.dim(formatTimestamp(event.timestamp));
  if (event.type === 'StateEntered') {
    const said: Record<string, string> = {
      PlanRestore: 'choosing the snapshot from the catalog',
      AcquireSlot: "waiting for one of the cluster's backup slots",
      AcquireLock: 'taking the lock of the target database',
      SubmitRestore: 'submitting RESTORE',
      NextRestoreStep: "dropping the chain's partitions before its next RESTORE",
      VerifyRestore: 'checking the restored tables',
      CancelRestoreIfOurs: 'cancelling our RESTORE job',
      CancelRestoreAtDeadline: 'past our deadline: cancelling our RESTORE job',
    };
    const text = said[event.state.name];
    return text === undefined ? undefined : `${stamp}  ${text}`;
  }
  if (event.type === 'StateExited' && ['SubmitRestore', 'CheckRestore'].includes(event.state.name)) {
    const job = (event.state.output as { restore?: FollowedJob } | null)?.restore;
    if (job === undefined) return undefined;
    const state = job.starRocksState ?? (event.state.name === 'SubmitRestore' ? 'submitted' : 'unknown');
    const tasks =
      job.progress && state === 'DOWNLOADING' ? ` ${job.progress.done}/${job.progress.total} tasks` : '';
    const next = job.phase === 'running' ? `; next check in ${job.nextWaitSeconds} s` : '';
    return `${stamp}  ${state}${tasks}${next}`;
  }
  return undefined;
}

/** The output of RestoreFinished (statemachines/restore.asl.json). */
interface FinishedOutput {
  readonly check?: { readonly tableCount?: number; readonly rowCount?: number };
  readonly restore?: {
    readonly submittedAt?: number;
    readonly finishedAt?: number | null;
    /** A chain: its first RESTORE's submit (restore-job.ts). */
    readonly chain?: { readonly startedAt?: number };
  };
}

/** The error a failed execution stands for, as the CLI reports it (the refusals as usage errors, like locally). */
export function deployedRestoreError(result: DeployedRestoreResult): CliError | null {
  if (result.error === null) return null;
  const where = result.consoleUrl === null ? undefined : `the execution: ${result.consoleUrl}`;
  if (result.error.name === 'RestoreTargetExistsError' || result.error.name === 'InvalidIdentifierError') {
    return usageError(result.error.message, {
      hint:
        result.error.name === 'RestoreTargetExistsError'
          ? 'restore under a new name with --as, or give a table a new name (--table name:new_name)'
          : 'check the names given to --database, --as and --table',
    });
  }
  return failure(`${result.error.name}: ${result.error.message}`, where === undefined ? {} : { hint: where });
}

/**
 * Plans the restore from the deployed catalog and, with `execute`, starts the Restore machine and follows it. A
 * differential backup (issue 20, EXPERIMENTAL) is restored as its chain (the full, the drops, the differential) by
 * the machine, planned here first from both manifests: refused with `--table` (usage), or when the chain cannot
 * run (a manifest missing, views or materialized views, beyond the bounds of the state).
 * @throws CliError (no such snapshot, a chain that cannot run, a stack without the machine, Ctrl-C: the execution
 *   stopped), SDK errors.
 */
export async function runDeployedRestore(
  request: DeployedRestoreRequest,
  deps: DeployedRestoreDeps,
): Promise<DeployedRestoreResult> {
  const catalog = createCatalogStore({
    client: deps.catalog.client,
    tableName: deps.catalog.tableName,
    clock: deps.clock,
  });
  const choice = await chooseSnapshot(catalog, {
    cluster: request.cluster,
    database: request.database,
    label: request.label,
    before: request.before?.toISOString(),
  });
  let chain: DrillChain | null = null;
  if (choice.kind === 'differential') {
    // A differential alone lacks everything its full holds: the Restore machine restores its chain (EXPERIMENTAL),
    // planned here as PlanRestore plans it, so what cannot run is refused before anything starts.
    const which =
      request.label === undefined
        ? `the ${request.before === undefined ? 'latest' : '--before'} restorable point of ${request.database} is differential backup ${choice.snapshot.label}`
        : `snapshot ${choice.snapshot.label} is a differential backup`;
    if (request.tables !== undefined) {
      throw usageError(
        `--table: ${which} (of full ${choice.full.label}): a chain restore restores the whole database`,
        { hint: `restore the full alone: --snapshot ${choice.full.label}` },
      );
    }
    const manifests = createManifestStore({
      client: deps.catalog.client,
      tableName: deps.catalog.tableName,
      clock: deps.clock,
    });
    const ref = { cluster: request.cluster, database: request.database };
    const [differential, full] = await Promise.all([
      manifests.readManifest({ ...ref, label: choice.snapshot.label }),
      manifests.readManifest({ ...ref, label: choice.full.label }),
    ]);
    const planned = planDrillChain(choice, { differential, full });
    if (planned.kind === 'full') {
      throw failure(`${which}, whose chain a deployed restore cannot run: ${planned.why}`, {
        hint: `restore the full alone: --snapshot ${choice.full.label}`,
      });
    }
    chain = planned.chain;
  }
  const { snapshot } = choice;
  deps.write(describePlan(request, snapshot, deps.catalogDescription, deps.colors, chain));
  const planned: DeployedRestoreResult = {
    snapshot,
    state: 'PLANNED',
    executionArn: null,
    consoleUrl: null,
    startedAt: null,
    finishedAt: null,
    durationSeconds: null,
    tableCount: null,
    rowCount: null,
    error: null,
  };
  if (!request.execute) return planned;

  const stateMachineArn = restoreMachineArn(deps.stack);
  if (deps.interrupt?.aborted === true) {
    throw interrupted('stopped by Ctrl-C before the restore was started: nothing runs');
  }
  // The label printed above, not a new choice: the execution restores exactly what the operator saw.
  const restoreRequest: RestoreRequest = {
    database: request.database,
    label: snapshot.label,
    targetDatabase: request.targetDatabase,
    ...(request.tables === undefined ? {} : { tables: request.tables.map((table) => ({ ...table })) }),
    ...(request.timeoutSeconds === undefined ? {} : { timeoutSeconds: request.timeoutSeconds }),
    requestedBy: deps.requestedBy.slice(0, 256),
  };
  const now = new Date(deps.clock.now());
  const suffix = (deps.randomSuffix ?? (() => randomBytes(3).toString('hex')))();
  const stateMachine = parseStateMachineArn(stateMachineArn);
  let consoleUrl = '';
  const { started, outcome } = await startAndFollow(
    {
      stateMachine,
      kind: 'restore',
      name: restoreExecutionName(request.database, now, suffix),
      input: { cluster: toClusterSettings(request.config, request.cluster), request: restoreRequest },
      pollMs: deps.pollSeconds * 1000,
      onStarted: ({ executionArn }) => {
        deps.onStarted?.(executionArn);
        consoleUrl = executionConsoleUrl(executionArn, stateMachine.region);
        deps.write(`${deps.colors.dim(`started ${executionArn}`)}\n${deps.colors.dim(consoleUrl)}\n`);
      },
      onEvent: ({ event }) => {
        const line = progressLine(event, deps.colors);
        if (line !== undefined) deps.write(`${line}\n`);
      },
    },
    {
      sfn: deps.sfn,
      clock: deps.clock,
      control: { sleep: deps.sleep, ...(deps.interrupt === undefined ? {} : { interrupt: deps.interrupt }) },
    },
  );
  const { executionArn } = started;
  if (outcome.kind === 'interrupted') {
    // The command started this restore, so Ctrl-C stops it: the stack's settlement then cancels its RESTORE and
    // frees its slot and lock, as for any ended lease holder.
    const stopped = await deps.sfn
      .send(
        new StopExecutionCommand({ executionArn, error: 'Interrupted', cause: 'sr-backup restore: Ctrl-C' }),
      )
      .then(
        () => true,
        () => false,
      );
    return {
      ...planned,
      state: 'ABORTED',
      stopped,
      executionArn,
      consoleUrl,
      startedAt: started.startDate,
      finishedAt: stopped ? new Date(deps.clock.now()).toISOString() : null,
    };
  }
  const base = {
    ...planned,
    executionArn,
    consoleUrl,
    startedAt: started.startDate,
    finishedAt: new Date(deps.clock.now()).toISOString(),
  };
  if (outcome.status === 'SUCCEEDED') {
    const output = (outcome.output ?? {}) as FinishedOutput;
    const job = output.restore;
    const from = job?.chain?.startedAt ?? job?.submittedAt;
    const seconds =
      job?.finishedAt != null && from !== undefined ? Math.max(0, (job.finishedAt - from) / 1000) : null;
    return {
      ...base,
      state: 'FINISHED',
      durationSeconds: seconds,
      tableCount: output.check?.tableCount ?? null,
      rowCount: output.check?.rowCount ?? null,
    };
  }
  const name = outcome.error ?? (outcome.status === 'TIMED_OUT' ? 'States.Timeout' : outcome.status);
  return {
    ...base,
    state: name === 'RestoreTimedOutError' || outcome.status === 'TIMED_OUT' ? 'TIMED_OUT' : 'FAILED',
    error: { name, message: causeMessage({ Error: name, Cause: outcome.cause ?? '' }) },
  };
}
