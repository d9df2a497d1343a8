import { randomUUID } from 'node:crypto';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import '../runtime/promise-with-resolvers.ts';
import {
  isTaskFunctionName,
  readDefinitionText,
  STATE_MACHINE_FILES,
  type StateMachineName,
  substitute,
  TASK_FUNCTION_NAMES,
  type TaskFunctionName,
} from '#statemachines/definitions.ts';
import {
  DataLimitExceededError,
  EXECUTION_NAME_PATTERN,
  lambdaFunctionError,
  MAX_PAYLOAD_BYTES,
  payloadBytes,
  StatesTaskError,
  stepFunctionsApiError,
} from './aws-errors.ts';
import {
  findExecution,
  type LocalExecutionRecord,
  localRegion,
  registerExecution,
} from './execution-registry.ts';

type JsonValue = Parameters<StateMachine['run']>[0];

/** One entry of the interpreter's event log (the library does not export the type by name). */
export type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** Calls one Lambda handler in process with the event Step Functions would send it. */
export type InvokeFunction = (name: TaskFunctionName, event: unknown) => Promise<unknown>;

/** A state-level event of one local execution, for progress displays and benchmarks. */
export interface WorkflowEvent {
  readonly executionArn: string;
  readonly executionName: string;
  readonly stateMachine: StateMachineName;
  readonly event: EventLog;
}

/** How the local runner behaves where tests and benchmarks need control. */
export interface LocalWorkflowOptions {
  readonly invokeFunction: InvokeFunction;
  /** Milliseconds every Wait state lasts instead of its real duration (real when undefined). */
  readonly waitOverrideMs?: number;
  /** Milliseconds every Retry interval lasts instead of its backoff (real when undefined). */
  readonly retryOverrideMs?: number;
  /** Called for every state event of every execution (parent and children). */
  readonly onEvent?: (event: WorkflowEvent) => void;
  /**
   * Called before each Lambda Task runs (benchmarks advance a virtual clock here). A throw fails the invocation
   * as a Lambda error of that name would, before the function ran.
   */
  readonly beforeTask?: (task: TaskCall) => void | Promise<void>;
  /**
   * Called after each Lambda Task returned, before Step Functions sees its result. A throw fails the invocation
   * after the function's side effects happened (a Lambda timeout after a side effect, for fault tests).
   */
  readonly afterTask?: (task: TaskCall & { output: unknown }) => void | Promise<void>;
  readonly region?: string;
  readonly accountId?: string;
  /**
   * Child machines answered by a stub instead of running (benchmarks measuring a parent at a scale where its
   * children would only cost time): `.sync:2` returns the stub's output as the child's Output.
   */
  readonly childStubs?: Partial<Record<StateMachineName, (input: unknown) => unknown>>;
}

/** One Lambda Task invocation, as the hooks see it. */
export interface TaskCall {
  readonly stateName: string;
  readonly functionName: TaskFunctionName;
  readonly input: unknown;
  readonly executionArn: string;
  readonly stateMachine: StateMachineName;
}

/**
 * The machines whose executions hold locks and slots: when one ends ABORTED, TIMED_OUT or FAILED, EventBridge starts
 * SettleExecution deployed (the stack's rule); the local runner does the same.
 */
const SETTLED_MACHINES: ReadonlySet<StateMachineName> = new Set([
  'backupDatabase',
  'restoreDrill',
  'restore',
]);
const SETTLED_STATUSES: ReadonlySet<string> = new Set(['ABORTED', 'TIMED_OUT', 'FAILED']);

/** How one execution ended. */
export type ExecutionOutcome =
  | { readonly status: 'SUCCEEDED'; readonly executionArn: string; readonly output: unknown }
  | {
      readonly status: 'FAILED' | 'ABORTED' | 'TIMED_OUT';
      readonly executionArn: string;
      readonly error: string;
      readonly cause: string;
    };

const SYNC_CHILD_RESOURCE = /:states:::states:startExecution\.sync:2$/;
const LAMBDA_ARN = /^arn:aws:lambda:[^:]+:\d{12}:function:sr-backup-([A-Za-z]+)$/;
const DEFAULT_ACCOUNT = '000000000000';

/** Runs the project's real ASL files in aws-local-stepfunctions, behaving as AWS does where it matters. */
export class LocalWorkflow {
  private readonly region: string;
  private readonly accountId: string;
  private readonly definitions: Record<StateMachineName, StateMachineDefinition>;
  private readonly aborts = new Map<string, () => void>();
  /** Set by {@link stopAll}: nothing new starts but the settlements of what was stopped. */
  private stoppedAll = false;
  private readonly killed = new Set<string>();
  /** Executions stopped or killed: no new Task of theirs starts (one already invoked runs to its end). */
  private readonly stopping = new Set<string>();
  private readonly settlements = new Set<Promise<unknown>>();
  private readonly started = new Set<Promise<unknown>>();
  /** Lambda invocations still running, per execution: a stopped execution's invocation goes on, as on AWS. */
  private readonly inFlight = new Map<string, Set<Promise<unknown>>>();
  /** Executions a state output over 256 KiB has failed; no further Task of theirs may run. */
  private readonly payloadFailures = new Map<string, DataLimitExceededError>();

  constructor(private readonly options: LocalWorkflowOptions) {
    this.region = options.region ?? localRegion();
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT;
    const substitutions: Record<string, string> = {
      Partition: 'aws',
      BackupDatabaseStateMachineArn: this.stateMachineArn('backupDatabase'),
      BackupLaneStateMachineArn: this.stateMachineArn('backupLane'),
    };
    for (const name of [...TASK_FUNCTION_NAMES]) {
      substitutions[`${name}FunctionArn`] =
        `arn:aws:lambda:${this.region}:${this.accountId}:function:sr-backup-${name}`;
    }
    const machines = Object.keys(STATE_MACHINE_FILES) as StateMachineName[];
    this.definitions = Object.fromEntries(
      machines.map((machine) => [
        machine,
        withAwsTaskTimeouts(JSON.parse(substitute(readDefinitionText(machine), substitutions))),
      ]),
    ) as Record<StateMachineName, StateMachineDefinition>;
  }

  /** The ARN a state machine has in this local "account". */
  stateMachineArn(name: StateMachineName): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  /** Starts an execution and waits for it to close, as StartExecution + DescribeExecution would. */
  async execute(
    machine: StateMachineName,
    input: unknown,
    name: string = randomUUID(),
  ): Promise<ExecutionOutcome> {
    if (this.stoppedAll) {
      // Ctrl-C came before the run started (while earlier holders were settled): it never starts.
      const executionArn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine}:${name}`;
      return { status: 'ABORTED', executionArn, error: 'States.Aborted', cause: 'stopped before it started' };
    }
    const record = this.startExecution(machine, input, name);
    return (await record.done) as ExecutionOutcome;
  }

  /**
   * StopExecution: ends a running execution ABORTED, as the console or `aws stepfunctions stop-execution` would. A
   * Task already running finishes in the background (Lambda does not stop with the execution), and the end is
   * reported as EventBridge reports it: SettleExecution runs for a lease-holding machine.
   */
  stopExecution(executionArn: string): void {
    this.stopping.add(executionArn);
    this.aborts.get(executionArn)?.();
  }

  /**
   * StopExecution of every execution still running (Ctrl-C of `sr-backup run`): each ends ABORTED and is settled
   * as deployed (SettleExecution cancels the StarRocks job it left running, records it and releases its leases);
   * {@link settled} resolves once that is done.
   */
  stopAll(): void {
    this.stoppedAll = true;
    for (const executionArn of [...this.aborts.keys()]) this.stopExecution(executionArn);
  }

  /**
   * The runner's process dies (for fault tests): every running execution of this workflow stops where it is, no
   * further state runs, and nothing reports the end, so only a later takeover finds what they held. Their holders
   * count as ended from now on, as a killed `sr-backup run` process does for another one.
   */
  kill(): void {
    for (const [executionArn, abort] of this.aborts) {
      this.killed.add(executionArn);
      this.stopping.add(executionArn);
      abort();
    }
  }

  /**
   * Waits until nothing of this runner is left running: every execution it started (a stopped or killed one
   * included, with its last invocations) and every SettleExecution it started (EventBridge's deliveries).
   */
  async settled(): Promise<void> {
    while (this.started.size > 0 || this.settlements.size > 0) {
      await Promise.allSettled([...this.started, ...this.settlements]);
    }
  }

  private startExecution(machine: StateMachineName, input: unknown, name: string): LocalExecutionRecord {
    if (!EXECUTION_NAME_PATTERN.test(name)) {
      throw stepFunctionsApiError(
        'InvalidNameException',
        `Invalid Name: '${name}' (1-80 characters of A-Z, a-z, 0-9, - and _)`,
      );
    }
    const stateMachineArn = this.stateMachineArn(machine);
    const executionArn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine}:${name}`;
    const inputJson = JSON.stringify(input ?? {});
    const existing = findExecution(executionArn);
    if (existing) {
      // StartExecution is idempotent for a running Standard execution with the same name and input.
      if (existing.status === 'RUNNING' && existing.inputJson === inputJson) return existing;
      throw stepFunctionsApiError(
        'ExecutionAlreadyExistsException',
        `Execution Already Exists: '${executionArn}'`,
      );
    }
    if (Buffer.byteLength(inputJson, 'utf8') > MAX_PAYLOAD_BYTES) {
      throw stepFunctionsApiError(
        'InvalidExecutionInputException',
        'The execution input exceeds 262144 bytes',
      );
    }
    const record: LocalExecutionRecord = {
      executionArn,
      stateMachineArn,
      name,
      inputJson,
      status: 'RUNNING',
      done: Promise.resolve(undefined),
    };
    const running = this.run(machine, record, JSON.parse(inputJson));
    (record as { done: Promise<unknown> }).done = running;
    this.started.add(running);
    void running.finally(() => this.started.delete(running));
    registerExecution(record);
    return record;
  }

  private async run(
    machine: StateMachineName,
    record: LocalExecutionRecord,
    input: JsonValue,
  ): Promise<ExecutionOutcome> {
    const definition = this.definitions[machine];
    const stateMachine = validatedStateMachine(definition);
    const startTime = new Date().toISOString();
    const execution = stateMachine.run(input, {
      overrides: this.overridesFor(definition, { executionArn: record.executionArn, stateMachine: machine }),
      context: {
        Execution: { Id: record.executionArn, Name: record.name, Input: input, StartTime: startTime },
        StateMachine: { Id: record.stateMachineArn, Name: machine },
      },
    } satisfies RunOptions);

    this.aborts.set(record.executionArn, () => execution.abort());
    const drained = (async () => {
      for await (const event of execution.eventLogs) {
        if (
          event.type === 'StateExited' &&
          event.state.output !== undefined &&
          !this.payloadFailures.has(record.executionArn)
        ) {
          const bytes = payloadBytes(event.state.output);
          if (bytes > MAX_PAYLOAD_BYTES) {
            this.payloadFailures.set(
              record.executionArn,
              new DataLimitExceededError(event.state.name, bytes),
            );
            execution.abort();
          }
        }
        this.options.onEvent?.({
          executionArn: record.executionArn,
          executionName: record.name,
          stateMachine: machine,
          event,
        });
      }
    })();

    let outcome: ExecutionOutcome;
    try {
      const output = await execution.result;
      outcome = { status: 'SUCCEEDED', executionArn: record.executionArn, output };
    } catch (error) {
      outcome = this.failureOutcome(record.executionArn, error);
    }
    await drained.catch(() => undefined);
    // The interpreter reports a state's output only through its event log, which may be read after the execution
    // ended: an output over the limit fails the execution however far it got, as it would have at that state on AWS.
    const payloadFailure = this.payloadFailures.get(record.executionArn);
    if (payloadFailure) {
      outcome = {
        status: 'FAILED',
        executionArn: record.executionArn,
        error: payloadFailure.name,
        cause: payloadFailure.message,
      };
    }
    this.payloadFailures.delete(record.executionArn);
    this.aborts.delete(record.executionArn);
    record.status = outcome.status;
    if (this.killed.has(record.executionArn)) {
      // A dead process runs nothing more: whatever it was doing has happened by the time anyone looks again.
      await Promise.allSettled([...(this.inFlight.get(record.executionArn) ?? [])]);
      this.inFlight.delete(record.executionArn);
      return outcome;
    }
    if (SETTLED_MACHINES.has(machine) && SETTLED_STATUSES.has(outcome.status)) {
      // Deployed, the settlement runs beside whatever follows (a parent's Map goes on) and SettleOrphans waits out
      // an invocation that may still be sending a BACKUP; here the report follows the ended execution's last
      // invocation, and the child's end waits for the settlement, so a run's summary sees what it recorded.
      await Promise.allSettled([...(this.inFlight.get(record.executionArn) ?? [])]);
      await this.reportEnd(record, outcome, startTime);
    }
    this.inFlight.delete(record.executionArn);
    return outcome;
  }

  /**
   * Reports, late, the end of an execution nothing reported (its runner's process died): SettleExecution runs with
   * the event EventBridge would have sent, its input reduced to what the settlement reads.
   */
  async reportLateEnd(executionArn: string, input: { readonly cluster: unknown }): Promise<void> {
    const name = executionArn.split(':').at(-1) ?? 'ended';
    const record: LocalExecutionRecord = {
      executionArn,
      stateMachineArn: executionArn.replace(/:execution:([^:]+):[^:]+$/, ':stateMachine:$1'),
      name: `late-${name}`.slice(0, 80),
      inputJson: JSON.stringify(input),
      status: 'ABORTED',
      done: Promise.resolve(undefined),
    };
    const started = new Date().toISOString();
    await this.reportEnd(
      record,
      { status: 'ABORTED', executionArn, error: 'States.Aborted', cause: 'the runner that ran it ended' },
      started,
    );
  }

  /** What EventBridge does with "Step Functions Execution Status Change" for the stack's rule. */
  private async reportEnd(
    record: LocalExecutionRecord,
    outcome: ExecutionOutcome,
    startTime: string,
  ): Promise<void> {
    // The event's shape: https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: this.accountId,
      time: new Date().toISOString(),
      region: this.region,
      resources: [record.executionArn],
      detail: {
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: outcome.status,
        startDate: Date.parse(startTime),
        stopDate: Date.now(),
        input: record.inputJson,
        inputDetails: { included: true },
        output: null,
        outputDetails: null,
        ...(outcome.status === 'SUCCEEDED' ? {} : { error: outcome.error, cause: outcome.cause }),
      },
    };
    // Unique per report: a holder reported twice (a settlement that failed) gets a second settlement.
    const name = `${`settle-${record.name}`.slice(0, 73)}-${randomUUID().slice(0, 6)}`;
    const settling = this.startExecution('settleExecution', event, name).done;
    this.settlements.add(settling);
    try {
      await settling;
    } finally {
      this.settlements.delete(settling);
    }
  }

  private failureOutcome(executionArn: string, error: unknown): ExecutionOutcome {
    if (error instanceof ExecutionError) {
      const cause = error.cause as Error | undefined;
      return {
        status: 'FAILED',
        executionArn,
        error: cause?.name ?? 'States.Runtime',
        cause: cause?.message ?? '',
      };
    }
    if (error instanceof ExecutionTimeoutError) {
      return { status: 'TIMED_OUT', executionArn, error: 'States.Timeout', cause: 'Execution timed out' };
    }
    if (error instanceof ExecutionAbortedError) {
      return { status: 'ABORTED', executionArn, error: 'States.Aborted', cause: 'Execution aborted' };
    }
    const unexpected = error instanceof Error ? error : new Error(String(error));
    return { status: 'FAILED', executionArn, error: unexpected.name, cause: unexpected.message };
  }

  private overridesFor(
    definition: StateMachineDefinition,
    execution: { executionArn: string; stateMachine: StateMachineName },
  ): NonNullable<RunOptions['overrides']> {
    const taskResourceLocalHandlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
    const waitTimeOverrides: Record<string, number> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const [stateName, state] of allStates(definition)) {
      if (state.Type === 'Wait' && this.options.waitOverrideMs !== undefined) {
        waitTimeOverrides[stateName] = this.options.waitOverrideMs;
      }
      if ('Retry' in state && state.Retry && this.options.retryOverrideMs !== undefined) {
        retryIntervalOverrides[stateName] = this.options.retryOverrideMs;
      }
      if (state.Type !== 'Task') continue;
      taskResourceLocalHandlers[stateName] = this.taskHandler(stateName, state.Resource, execution);
    }
    return { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides };
  }

  private taskHandler(
    stateName: string,
    resource: string,
    execution: { executionArn: string; stateMachine: StateMachineName },
  ): (input: JsonValue) => Promise<JsonValue> {
    if (SYNC_CHILD_RESOURCE.test(resource)) {
      return (input) => this.startChildSync(input as unknown as StartExecutionInput);
    }
    const functionName = LAMBDA_ARN.exec(resource)?.[1] as TaskFunctionName | undefined;
    if (!functionName || !isTaskFunctionName(functionName)) {
      // Never let the interpreter fall through to calling real AWS.
      throw new Error(`local runner has no handler for Task '${stateName}' (${resource})`);
    }
    return async (input) => {
      // Let the event log catch up first: a state before this one may have passed the limit, and on AWS that
      // execution would already have failed, so this Task must not act.
      await new Promise((resolve) => setImmediate(resolve));
      const failed = this.payloadFailures.get(execution.executionArn);
      if (failed) throw failed;
      const call: TaskCall = { stateName, functionName, input, ...execution };
      const inputBytes = payloadBytes(input);
      if (inputBytes > MAX_PAYLOAD_BYTES) throw new DataLimitExceededError(stateName, inputBytes, 'input');
      if (this.stopping.has(execution.executionArn)) {
        throw new StatesTaskError('States.Aborted', 'the execution was stopped before this Task started');
      }
      const invocation = (async () => {
        await this.options.beforeTask?.(call);
        const output = await this.options.invokeFunction(functionName, input);
        await this.options.afterTask?.({ ...call, output });
        return output;
      })();
      const running = this.inFlight.get(execution.executionArn) ?? new Set<Promise<unknown>>();
      this.inFlight.set(execution.executionArn, running);
      running.add(invocation);
      let result: unknown;
      try {
        result = await invocation;
      } catch (error) {
        throw lambdaFunctionError(error);
      } finally {
        running.delete(invocation);
      }
      // The raw result counts, before ResultSelector or ResultPath could make it smaller.
      const resultBytes = payloadBytes(result ?? null);
      if (resultBytes > MAX_PAYLOAD_BYTES) throw new DataLimitExceededError(stateName, resultBytes, 'result');
      return (result ?? null) as JsonValue;
    };
  }

  /**
   * `states:startExecution.sync:2`: starts the child and returns DescribeExecution's shape with Input and
   * Output as JSON (not strings); a failed child raises States.TaskFailed whose Cause is that JSON document.
   */
  private async startChildSync(input: StartExecutionInput): Promise<JsonValue> {
    // A child a stopped parent's Map was about to start never runs (Step Functions stops `.sync` children too).
    if (this.stoppedAll)
      throw new StatesTaskError('States.Aborted', 'the run was stopped before this child started');
    const machine = this.machineForArn(input.StateMachineArn);
    const name = input.Name ?? randomUUID();
    const startDate = Date.now();
    const stub = this.options.childStubs?.[machine];
    if (stub) {
      const output = await stub(input.Input ?? {});
      return {
        ExecutionArn: `arn:aws:states:${this.region}:${this.accountId}:execution:${machine}:${name}`,
        StateMachineArn: this.stateMachineArn(machine),
        Name: name,
        Status: 'SUCCEEDED',
        StartDate: startDate,
        StopDate: Date.now(),
        Input: input.Input ?? {},
        InputDetails: { Included: true },
        Output: output,
        OutputDetails: { Included: true },
      } as unknown as JsonValue;
    }
    const record = this.startExecution(machine, input.Input ?? {}, name);
    const outcome = (await record.done) as ExecutionOutcome;
    const describe = {
      ExecutionArn: record.executionArn,
      StateMachineArn: record.stateMachineArn,
      Name: record.name,
      Status: outcome.status,
      StartDate: startDate,
      StopDate: Date.now(),
      Input: JSON.parse(record.inputJson),
      InputDetails: { Included: true },
    };
    if (outcome.status === 'SUCCEEDED') {
      return { ...describe, Output: outcome.output, OutputDetails: { Included: true } } as JsonValue;
    }
    throw new StatesTaskError(
      'States.TaskFailed',
      JSON.stringify({ ...describe, Error: outcome.error, Cause: outcome.cause }),
    );
  }

  private machineForArn(arn: string): StateMachineName {
    for (const machine of Object.keys(this.definitions) as StateMachineName[]) {
      if (this.stateMachineArn(machine) === arn) return machine;
    }
    throw stepFunctionsApiError(
      'StateMachineDoesNotExistException',
      `State Machine Does Not Exist: '${arn}'`,
    );
  }
}

interface StartExecutionInput {
  readonly StateMachineArn: string;
  readonly Name?: string;
  readonly Input?: unknown;
}

type AnyState = StateMachineDefinition['States'][string];

const validated = new Map<string, StateMachine>();

/**
 * The interpreter validates a definition (asl-validator) each time a StateMachine is built, about 0.1 s; an
 * execution only reads its machine, so one validated machine per distinct definition serves every execution.
 */
function validatedStateMachine(definition: StateMachineDefinition): StateMachine {
  const key = JSON.stringify(definition);
  let machine = validated.get(key);
  if (!machine) {
    machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
    validated.set(key, machine);
  }
  return machine;
}

/**
 * AWS gives a Task without TimeoutSeconds no timeout (99999999 s); the interpreter follows the States
 * Language spec's 60 s, which would kill a long `.sync` child locally. Mirror AWS, within what
 * Node's setTimeout can hold (about 24.8 days).
 */
const AWS_DEFAULT_TASK_TIMEOUT_SECONDS = 2_000_000;

function withAwsTaskTimeouts(definition: StateMachineDefinition): StateMachineDefinition {
  for (const [, state] of allStates(definition)) {
    if (
      state.Type === 'Task' &&
      state.TimeoutSeconds === undefined &&
      state.TimeoutSecondsPath === undefined
    ) {
      state.TimeoutSeconds = AWS_DEFAULT_TASK_TIMEOUT_SECONDS;
    }
  }
  return definition;
}

function* allStates(definition: Pick<StateMachineDefinition, 'States'>): Generator<[string, AnyState]> {
  for (const [name, state] of Object.entries(definition.States)) {
    yield [name, state];
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) yield* allStates(processor);
    }
    if (state.Type === 'Parallel') {
      for (const branch of state.Branches) yield* allStates(branch);
    }
  }
}
