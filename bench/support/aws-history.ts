/**
 * How AWS Step Functions would account for a local execution: history events (the 25,000-per-execution quota),
 * billed state transitions and Lambda invocations, counted from the local interpreter's event stream.
 *
 * The interpreter emits StateEntered / StateExited / StateRetried / Map iteration events; AWS records more
 * events per state than that. The table below says how many, per state type, with its sources:
 *
 * - Event type names: GetExecutionHistory's HistoryEvent `type` enum,
 *   https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 * - A Lambda Task whose Resource is the function ARN records TaskStateEntered, LambdaFunctionScheduled,
 *   LambdaFunctionStarted, LambdaFunctionSucceeded, TaskStateExited: the execution histories recorded against
 *   AWS in localstack/localstack tests/aws/services/stepfunctions/v2/services/test_lambda_task.snapshot.json.
 * - A `.sync` service integration (StartExecution.sync:2) adds TaskSubmitted between TaskStarted and
 *   TaskSucceeded (the "Run a Job (.sync)" pattern; TaskSubmitted in the enum above).
 * - Billing: "Step Functions counts a state transition each time a step of your workflow is executed …
 *   including retries", $0.025 per 1,000 state transitions (Standard, us-east-1),
 *   https://aws.amazon.com/step-functions/pricing/
 */
import type { StateMachineName } from '#statemachines/definitions.ts';
import { substitutedDefinition } from './definitions.ts';

/** How many history events AWS records, per state type, on the path our workflows take. */
export const HISTORY_EVENTS = {
  /** ExecutionStarted + ExecutionSucceeded | ExecutionFailed. */
  execution: 2,
  /** TaskStateEntered, LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded, TaskStateExited. */
  lambdaTask: 5,
  /** Each retry of a Lambda Task: LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionFailed. */
  lambdaRetry: 3,
  /** TaskStateEntered, TaskScheduled, TaskStarted, TaskSubmitted, TaskSucceeded, TaskStateExited. */
  syncTask: 6,
  /** Each retry of a `.sync` Task: TaskScheduled, TaskStarted, TaskFailed. */
  syncRetry: 3,
  /** WaitStateEntered, WaitStateExited. */
  wait: 2,
  /** ChoiceStateEntered, ChoiceStateExited. */
  choice: 2,
  /** PassStateEntered, PassStateExited. */
  pass: 2,
  /** SucceedStateEntered, SucceedStateExited. */
  succeed: 2,
  /** FailStateEntered (ExecutionFailed is counted with the execution). */
  fail: 1,
  /** MapStateEntered, MapStateStarted, MapStateSucceeded, MapStateExited. */
  map: 4,
  /** MapIterationStarted, MapIterationSucceeded | MapIterationFailed, per item. */
  mapIteration: 2,
} as const;

/** The rows of {@link HISTORY_EVENTS} as the report prints them. */
export const HISTORY_EVENT_TABLE: readonly { state: string; events: string; count: number }[] = [
  {
    state: 'Task (Lambda ARN)',
    events:
      'TaskStateEntered, LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded, TaskStateExited',
    count: HISTORY_EVENTS.lambdaTask,
  },
  {
    state: '  + each retry',
    events: 'LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionFailed',
    count: HISTORY_EVENTS.lambdaRetry,
  },
  {
    state: 'Task (startExecution.sync:2)',
    events: 'TaskStateEntered, TaskScheduled, TaskStarted, TaskSubmitted, TaskSucceeded, TaskStateExited',
    count: HISTORY_EVENTS.syncTask,
  },
  { state: 'Wait', events: 'WaitStateEntered, WaitStateExited', count: HISTORY_EVENTS.wait },
  { state: 'Choice', events: 'ChoiceStateEntered, ChoiceStateExited', count: HISTORY_EVENTS.choice },
  { state: 'Pass', events: 'PassStateEntered, PassStateExited', count: HISTORY_EVENTS.pass },
  { state: 'Succeed', events: 'SucceedStateEntered, SucceedStateExited', count: HISTORY_EVENTS.succeed },
  { state: 'Fail', events: 'FailStateEntered', count: HISTORY_EVENTS.fail },
  {
    state: 'Map (inline)',
    events: 'MapStateEntered, MapStateStarted, MapStateSucceeded, MapStateExited',
    count: HISTORY_EVENTS.map,
  },
  {
    state: '  + each iteration',
    events: 'MapIterationStarted, MapIterationSucceeded',
    count: HISTORY_EVENTS.mapIteration,
  },
  {
    state: 'Execution',
    events: 'ExecutionStarted, ExecutionSucceeded (or ExecutionFailed)',
    count: HISTORY_EVENTS.execution,
  },
];

/** Step Functions Standard list price, us-east-1: USD per state transition ($0.025 per 1,000). */
export const USD_PER_STATE_TRANSITION = 0.025 / 1000;

/** AWS's hard quota of history events per execution. */
export const HISTORY_EVENT_QUOTA = 25_000;

/** The subset of an interpreter event this module reads. */
export interface InterpreterEvent {
  readonly type: string;
  readonly state?: { readonly name: string; readonly type: string };
}

/** What one execution cost, as AWS would count it. */
export interface ExecutionAccount {
  /** History events AWS would record (see {@link HISTORY_EVENTS}). */
  historyEvents: number;
  /** Billed state transitions: states entered plus retries. */
  stateTransitions: number;
  /** Lambda invocations, retries included. */
  lambdaInvocations: number;
  /** History events by the kind of state that produced them (Task, Wait, Choice, Pass, Execution, …). */
  eventsByStateType: Record<string, number>;
  /** How often each state was entered, by state name. */
  entered: Record<string, number>;
  retries: number;
}

type TaskKind = 'lambda' | 'sync';

/** Task state name → whether it invokes a Lambda or starts a child execution synchronously. */
function taskKinds(machine: StateMachineName): Map<string, TaskKind> {
  const kinds = new Map<string, TaskKind>();
  const visit = (states: Record<string, Record<string, unknown>>): void => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') {
        kinds.set(name, String(state.Resource).includes(':states:::states:') ? 'sync' : 'lambda');
      }
      const processor = (state.ItemProcessor ?? state.Iterator) as
        | { States: Record<string, Record<string, unknown>> }
        | undefined;
      if (processor) visit(processor.States);
    }
  };
  visit(substitutedDefinition(machine).States as Record<string, Record<string, unknown>>);
  return kinds;
}

const taskKindCache = new Map<StateMachineName, Map<string, TaskKind>>();

function taskKindOf(machine: StateMachineName, state: string): TaskKind | undefined {
  let kinds = taskKindCache.get(machine);
  if (!kinds) {
    kinds = taskKinds(machine);
    taskKindCache.set(machine, kinds);
  }
  return kinds.get(state);
}

/** An empty account, to add events to. */
export function emptyAccount(): ExecutionAccount {
  return {
    historyEvents: 0,
    stateTransitions: 0,
    lambdaInvocations: 0,
    eventsByStateType: {},
    entered: {},
    retries: 0,
  };
}

function addEvents(account: ExecutionAccount, kind: string, events: number): void {
  account.historyEvents += events;
  account.eventsByStateType[kind] = (account.eventsByStateType[kind] ?? 0) + events;
}

/** Adds one interpreter event of an execution of `machine` to its account. */
export function accountEvent(
  account: ExecutionAccount,
  machine: StateMachineName,
  event: InterpreterEvent,
): void {
  switch (event.type) {
    case 'ExecutionStarted':
      addEvents(account, 'Execution', HISTORY_EVENTS.execution);
      return;
    case 'MapIterationStarted':
      addEvents(account, 'Map', HISTORY_EVENTS.mapIteration);
      return;
    case 'StateEntered':
      if (event.state) enterState(account, machine, event.state);
      return;
    case 'StateRetried': {
      if (!event.state) return;
      const kind = taskKindOf(machine, event.state.name);
      account.retries += 1;
      account.stateTransitions += 1;
      addEvents(account, 'Task', kind === 'sync' ? HISTORY_EVENTS.syncRetry : HISTORY_EVENTS.lambdaRetry);
      if (kind === 'lambda') account.lambdaInvocations += 1;
      return;
    }
    default:
      return;
  }
}

function enterState(
  account: ExecutionAccount,
  machine: StateMachineName,
  state: { readonly name: string; readonly type: string },
): void {
  account.entered[state.name] = (account.entered[state.name] ?? 0) + 1;
  account.stateTransitions += 1;
  switch (state.type) {
    case 'Task': {
      const kind = taskKindOf(machine, state.name) ?? 'lambda';
      addEvents(account, 'Task', kind === 'sync' ? HISTORY_EVENTS.syncTask : HISTORY_EVENTS.lambdaTask);
      if (kind === 'lambda') account.lambdaInvocations += 1;
      return;
    }
    case 'Wait':
      addEvents(account, 'Wait', HISTORY_EVENTS.wait);
      return;
    case 'Choice':
      addEvents(account, 'Choice', HISTORY_EVENTS.choice);
      return;
    case 'Pass':
      addEvents(account, 'Pass', HISTORY_EVENTS.pass);
      return;
    case 'Succeed':
      addEvents(account, 'Succeed', HISTORY_EVENTS.succeed);
      return;
    case 'Fail':
      addEvents(account, 'Fail', HISTORY_EVENTS.fail);
      return;
    case 'Map':
      addEvents(account, 'Map', HISTORY_EVENTS.map);
      return;
    default:
      // Parallel and other types do not occur in our definitions; count them as a Pass would be.
      addEvents(account, state.type, HISTORY_EVENTS.pass);
  }
}

/** Step Functions' charge for `transitions` state transitions at list price, in USD. */
export function stepFunctionsCostUsd(transitions: number): number {
  return transitions * USD_PER_STATE_TRANSITION;
}
