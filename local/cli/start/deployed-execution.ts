/**
 * Starting a deployed state machine by hand and following the execution to its end, with Ctrl-C stopping the
 * following (never the execution): what `start --wait` and `drill --stack` share.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Clock } from '#domain/clock.ts';
import type { WorkflowEvent } from '#local/runner/local-workflow.ts';
import type { StateMachineName } from '#statemachines/definitions.ts';
import { type FollowOutcome, followExecution } from './follow-execution.ts';
import type { StateMachineArn } from './start-execution.ts';

/** How following waits; tests give a virtual clock's sleep and their own interrupt. */
export interface FollowControl {
  /** Waits `ms`; resolves early (or rejects) when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Aborted on Ctrl-C (by default: the process's SIGINT). */
  readonly interrupt?: AbortSignal;
}

/** Real time, and the process's SIGINT. */
export const DEFAULT_FOLLOW_CONTROL: FollowControl = {
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
};

/** An execution to follow. */
export interface FollowTarget {
  readonly executionArn: string;
  /** Which state machine it is of (which children it starts). */
  readonly stateMachine: StateMachineName;
  /** Between two reads of the history. */
  readonly pollMs: number;
  readonly onEvent: (event: WorkflowEvent) => void;
}

/**
 * Follows an execution to its end; Ctrl-C (`control.interrupt`, or SIGINT when none is given) stops following and
 * resolves `{kind: 'interrupted'}`. The execution goes on either way.
 */
export async function followUntilInterrupted(
  target: FollowTarget,
  deps: { readonly sfn: Pick<SFNClient, 'send'>; readonly control: FollowControl },
): Promise<FollowOutcome> {
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  const external = deps.control.interrupt;
  external?.addEventListener('abort', onInterrupt, { once: true });
  // An interrupt that came while the execution was being started fires no event any more.
  if (external?.aborted === true) stop.abort();
  if (external === undefined) process.once('SIGINT', onInterrupt);
  try {
    return await followExecution(
      { ...target, signal: stop.signal },
      { sfn: deps.sfn, sleep: deps.control.sleep },
    );
  } finally {
    external?.removeEventListener('abort', onInterrupt);
    if (external === undefined) process.off('SIGINT', onInterrupt);
  }
}

/** An execution started by hand. */
export interface StartedExecution<Input> {
  readonly executionArn: string;
  readonly name: string;
  /** ISO 8601. */
  readonly startDate: string;
  readonly input: Input;
}

/** What to start and how to follow it. */
export interface StartAndFollowRequest<Input> {
  readonly stateMachine: StateMachineArn;
  /** Which state machine it is (which children its executions start). */
  readonly kind: StateMachineName;
  /** A valid execution name (see `manualExecutionName`). */
  readonly name: string;
  readonly input: Input;
  readonly pollMs: number;
  /** Called once StartExecution answered, before the first read of the history. */
  readonly onStarted?: (started: StartedExecution<Input>) => void;
  readonly onEvent: (event: WorkflowEvent) => void;
}

/** What starting and following need. */
export interface StartAndFollowDeps {
  readonly sfn: Pick<SFNClient, 'send'>;
  readonly clock: Clock;
  readonly control: FollowControl;
}

/** Calls StartExecution with the input as JSON; SDK errors are thrown as they come. */
export async function startExecution<Input>(
  request: Pick<StartAndFollowRequest<Input>, 'stateMachine' | 'name' | 'input'>,
  deps: Pick<StartAndFollowDeps, 'sfn' | 'clock'>,
): Promise<StartedExecution<Input>> {
  const output = await deps.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: request.stateMachine.arn,
      name: request.name,
      input: JSON.stringify(request.input),
    }),
  );
  if (!output.executionArn) throw new Error('StartExecution returned no executionArn');
  return {
    executionArn: output.executionArn,
    name: request.name,
    startDate: (output.startDate ?? new Date(deps.clock.now())).toISOString(),
    input: request.input,
  };
}

/**
 * Starts an execution of a deployed state machine and follows it to its end (or Ctrl-C). StartExecution's
 * errors are thrown as they come (`explainAwsError` tells them); an execution that started is always returned
 * with how following ended.
 */
export async function startAndFollow<Input>(
  request: StartAndFollowRequest<Input>,
  deps: StartAndFollowDeps,
): Promise<{ readonly started: StartedExecution<Input>; readonly outcome: FollowOutcome }> {
  const started = await startExecution(request, deps);
  request.onStarted?.(started);
  const outcome = await followUntilInterrupted(
    {
      executionArn: started.executionArn,
      stateMachine: request.kind,
      pollMs: request.pollMs,
      onEvent: request.onEvent,
    },
    deps,
  );
  return { started, outcome };
}
