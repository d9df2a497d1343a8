/**
 * `sr-backup cancel`: stops a run, or the backup of one database, where it runs. Deployed, StopExecution; the
 * stack's SettleExecution then cancels the BACKUP on the FE, records it and releases the leases. Locally, the
 * `sr-backup run` holding the store gets the Ctrl-C it would get from its terminal, and does the same itself.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { type ClusterLocks, createLockStore, type LockRecord } from '#domain/lock/index.ts';
import { loadConfigFile } from '#local/config/load.ts';
import { stateDirHolder } from '#local/dynamo/index.ts';
import { isLocalExecutionArn } from '#local/runner/execution-registry.ts';
import {
  type LifecycleSession,
  type LifecycleStoreOptions,
  type LifecycleTables,
  runLifecycleCommand,
  targetsDeployed,
} from '../commands/lifecycle-tables.ts';
import { cliAwsClientOptions, parseExecutionArn } from '../support/aws-client.ts';
import { EXIT, type ExitCode, failure, usageError } from '../support/cli-error.ts';
import type { CommandIo } from '../support/io.ts';
import { storeLocation } from '../support/local-store.ts';
import { selectCluster } from '../support/selection.ts';
import { readStackOutputs, stackNameOf } from '../support/stack-target.ts';

/** Options of `sr-backup cancel`. */
export interface CancelCommandOptions extends LifecycleStoreOptions {
  readonly config: string;
  /** The run to stop: its id as `runs`, `run --json` or `start` print it (an execution ARN). */
  readonly run?: string;
  /** Or the database whose backup to stop (the execution holding its lock). */
  readonly database?: string;
  readonly cluster?: string;
  /** Locally: how long to wait for the signalled run to end. */
  readonly waitSeconds: number;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** What cancelling needs from outside: Step Functions, and the local processes. Tests replace them. */
export interface CancelDeps {
  readonly makeSfn: (region: string) => Pick<SFNClient, 'send' | 'destroy'>;
  /** Sends `signal` to process `pid`. */
  readonly signal: (pid: number, signal: NodeJS.Signals) => void;
  /** Whether process `pid` still exists. */
  readonly alive: (pid: number) => boolean;
  readonly sleep: (ms: number) => Promise<void>;
}

const DEFAULT_DEPS: CancelDeps = {
  makeSfn: (region) => new SFNClient(cliAwsClientOptions(region)),
  signal: (pid, signal) => process.kill(pid, signal),
  alive: (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  sleep: (ms) => delay(ms),
};

/** How often the end of a signalled local run is checked. */
const LOCAL_POLL_MS = 200;
const LOCAL_PID = /^arn:aws:states:local-(\d+):/;

/** What `cancel --json` prints. */
export interface CancelResult {
  readonly target: 'deployed' | 'local';
  /** The execution stopped (deployed) or whose process was signalled (local). */
  readonly executionArn: string | null;
  readonly database: string | null;
  readonly pid: number | null;
  /** Deployed: StopExecution accepted. Locally: the run ended within --wait-seconds. */
  readonly stopped: boolean;
}

function nothingToCancel(message: string) {
  return failure(message, {
    hint: '`sr-backup runs` lists the runs; `sr-backup describe` shows how they ended',
  });
}

/** Reads the held leases of a cluster, opening the tables once however often it is asked. */
function leaseReader(session: LifecycleSession, io: CommandIo): (cluster: string) => Promise<ClusterLocks> {
  let tables: Promise<LifecycleTables> | undefined;
  return async (cluster) => {
    tables ??= session.open({ locks: true, readOnly: true });
    const opened = await tables;
    if (opened.locksTableName === undefined) throw new Error('the locks table was not opened');
    return createLockStore({
      client: opened.client,
      tableName: opened.locksTableName,
      clock: io.clock,
      // Only read here: nothing is taken over, so nobody's liveness is asked.
      livenessOf: async () => 'unknown',
    }).listHeld(cluster);
  };
}

function heldLock(held: ClusterLocks, database: string): LockRecord | undefined {
  return held.locks.find((lock) => lock.database === database && lock.holder !== null);
}

async function stopDeployed(
  executionArn: string,
  database: string | null,
  options: CancelCommandOptions,
  io: CommandIo,
  deps: CancelDeps,
): Promise<ExitCode> {
  const parsed = parseExecutionArn(executionArn);
  if (parsed === undefined) {
    throw usageError(`${executionArn} is not a Step Functions execution ARN`, {
      hint: '`sr-backup runs --json` prints each run’s runId',
    });
  }
  const sfn = deps.makeSfn(parsed.region);
  try {
    let described: DescribeExecutionCommandOutput;
    try {
      described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') {
        throw nothingToCancel(`no execution ${executionArn} in ${parsed.region}`);
      }
      throw explainSfnError(error, executionArn) ?? error;
    }
    if (described.status !== 'RUNNING') {
      throw nothingToCancel(
        `${executionArn} already ended ${described.status ?? ''}${described.stopDate ? ` at ${described.stopDate.toISOString()}` : ''}: nothing to cancel`,
      );
    }
    try {
      await sfn.send(
        new StopExecutionCommand({
          executionArn,
          error: 'sr-backup.Cancelled',
          cause: `stopped by sr-backup cancel${database === null ? '' : ` --database ${database}`}`,
        }),
      );
    } catch (error) {
      throw explainSfnError(error, executionArn) ?? error;
    }
  } finally {
    sfn.destroy();
  }
  const result: CancelResult = { target: 'deployed', executionArn, database, pid: null, stopped: true };
  if (options.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    io.stdout.write(
      `stopped ${executionArn}\n` +
        `  Step Functions stops the executions it started; the stack's SettleExecution cancels their BACKUP jobs on the FE\n` +
        `  (CANCEL BACKUP), records them in the catalog and releases their locks and slots within a minute or so.\n` +
        `  \`sr-backup describe ${database ?? `--run ${executionArn}`} --config ${options.config} --stack …\` shows them once recorded.\n`,
    );
  }
  return EXIT.ok;
}

function explainSfnError(error: unknown, executionArn: string) {
  if (!(error instanceof Error)) return undefined;
  switch (error.name) {
    case 'CredentialsProviderError':
      return failure('no AWS credentials found to stop the execution', {
        hint: 'configure credentials (AWS_PROFILE, `aws sso login`, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)',
        cause: error,
      });
    case 'AccessDeniedException':
      return failure(`not allowed to stop ${executionArn}: ${error.message}`, {
        hint: 'the caller needs states:DescribeExecution and states:StopExecution on the execution',
        cause: error,
      });
    default:
      return undefined;
  }
}

async function signalLocal(
  pid: number,
  executionArn: string | null,
  database: string | null,
  options: CancelCommandOptions,
  io: CommandIo,
  deps: CancelDeps,
): Promise<ExitCode> {
  if (!options.json) {
    io.stdout.write(
      `sending Ctrl-C (SIGINT) to the local sr-backup run (pid ${pid}): it cancels the BACKUP jobs it submitted on the FE,\n` +
        `records them and releases its leases${database === null ? '' : ` (the whole run stops, not only ${database})`}\n`,
    );
  }
  deps.signal(pid, 'SIGINT');
  const deadline = io.clock.now() + options.waitSeconds * 1000;
  while (deps.alive(pid) && io.clock.now() < deadline) await deps.sleep(LOCAL_POLL_MS);
  const stopped = !deps.alive(pid);
  if (options.json) {
    const result: CancelResult = { target: 'local', executionArn, database, pid, stopped };
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else if (stopped) {
    io.stdout.write(`the run ended (pid ${pid})\n`);
  }
  if (!stopped) {
    throw failure(`the local run (pid ${pid}) still runs after ${options.waitSeconds} s`, {
      hint: `it may still be cancelling on the FE; check again with \`sr-backup runs --config ${options.config}\`, or wait longer (--wait-seconds)`,
    });
  }
  return EXIT.ok;
}

/** Runs the command; resolves with the exit status (0 stopped, 1 nothing to cancel or AWS refused, 2 usage). */
export function runCancelCommand(
  options: CancelCommandOptions,
  io: CommandIo,
  deps: CancelDeps = DEFAULT_DEPS,
): Promise<ExitCode> {
  return runLifecycleCommand(options, io, async (session) => {
    if ((options.run === undefined) === (options.database === undefined)) {
      throw usageError('name one run (cancel <runId>) or one database (cancel --database <db>)', {
        hint: '`sr-backup runs` lists the runs with their ids',
      });
    }
    const config = await loadConfigFile(options.config);
    const { cluster } = selectCluster(config, options.cluster, options.config);
    const localAsked = options.stateDir !== undefined || options.dynamodbEndpoint !== undefined;
    const leasesOf = leaseReader(session, io);
    if (options.run !== undefined) {
      let run = options.run.trim();
      if (!isLocalExecutionArn(run) && parseExecutionArn(run) === undefined) {
        // A bare execution name: the nightly state machine of the stack names its ARN.
        const stackName = localAsked ? undefined : stackNameOf(options, io.env);
        const nightly =
          stackName === undefined
            ? undefined
            : (await readStackOutputs(stackName, options.region)).nightlyBackupStateMachineArn;
        if (nightly === undefined) {
          throw usageError(`${run} is not a run id`, {
            hint: 'pass the runId `sr-backup runs --json` prints (an execution ARN), or a nightly execution name with --stack',
          });
        }
        run = `${nightly.replace(':stateMachine:', ':execution:')}:${run}`;
      }
      if (!isLocalExecutionArn(run)) return stopDeployed(run, null, options, io, deps);
      return cancelLocal({ pid: Number(LOCAL_PID.exec(run)?.[1]), executionArn: run, database: null });
    }
    const database = options.database ?? '';
    if (targetsDeployed(options, io.env)) {
      const lock = heldLock(await leasesOf(cluster.name), database);
      if (lock?.holder == null) {
        throw nothingToCancel(
          `no backup of ${database} on cluster ${cluster.name} holds its lock: nothing to cancel`,
        );
      }
      if (!isLocalExecutionArn(lock.holder)) return stopDeployed(lock.holder, database, options, io, deps);
      return cancelLocal({
        pid: Number(LOCAL_PID.exec(lock.holder)?.[1]),
        executionArn: lock.holder,
        database,
      });
    }
    return cancelLocal({ pid: undefined, executionArn: null, database });

    async function cancelLocal(target: {
      pid: number | undefined;
      executionArn: string | null;
      database: string | null;
    }): Promise<ExitCode> {
      const location = storeLocation(options);
      let pid = target.pid;
      let executionArn = target.executionArn;
      let holderPid: number | undefined;
      if (location.kind === 'state-dir') {
        const holder = await stateDirHolder(location.stateDir);
        if (holder === undefined) {
          throw nothingToCancel(
            `no local sr-backup command is using ${location.stateDir}: nothing to cancel`,
          );
        }
        if (pid !== undefined && pid !== holder.pid) {
          throw nothingToCancel(
            `run ${executionArn} is not running here: ${location.stateDir} is used by another process (pid ${holder.pid})`,
          );
        }
        holderPid = holder.pid;
      } else {
        // Without a state directory nothing vouches for the process: a lease names a pid, but the run may have died
        // (its lease outlives it), the pid may belong to another program by now, or the run may be on another host
        // sharing the endpoint. Signalling it could stop an unrelated process.
        throw failure(
          'with --dynamodb-endpoint, the process running the backup cannot be identified safely: nothing was signalled',
          {
            hint: 'press Ctrl-C in that `sr-backup run` (it cancels its jobs and releases its leases), on the host it runs on',
          },
        );
      }
      if (target.database !== null) {
        const lock = heldLock(await leasesOf(cluster.name), target.database);
        const lockPid = lock?.holder == null ? Number.NaN : Number(LOCAL_PID.exec(lock.holder)?.[1]);
        if (
          lock?.holder == null ||
          Number.isNaN(lockPid) ||
          (holderPid !== undefined && lockPid !== holderPid)
        ) {
          throw nothingToCancel(
            `no local backup of ${target.database} on cluster ${cluster.name} holds its lock: nothing to cancel`,
          );
        }
        pid = lockPid;
        executionArn = lock.holder;
      }
      if (pid === undefined || Number.isNaN(pid) || !deps.alive(pid)) {
        throw nothingToCancel(`run ${executionArn ?? ''} has ended: nothing to cancel`);
      }
      return signalLocal(pid, executionArn, target.database, options, io, deps);
    }
  });
}
