/**
 * Following a deployed execution from this machine: its Step Functions history and its children's (for a nightly
 * run, the lanes and each database's BackupDatabase execution), told as the local runner's events so that the
 * local progress displays read them unchanged.
 */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { EventLog, WorkflowEvent } from '#local/runner/local-workflow.ts';
import type { StateMachineName } from '#statemachines/definitions.ts';

/** How a followed run ended, or that following stopped first. */
export type FollowOutcome =
  | {
      readonly kind: 'ended';
      readonly status: string;
      readonly error: string | null;
      readonly cause: string | null;
      /** The execution's output (parsed JSON), or null when it has none (a failed execution). */
      readonly output: unknown;
    }
  | { readonly kind: 'interrupted' };

/** What following needs. */
export interface FollowDeps {
  readonly sfn: Pick<SFNClient, 'send'>;
  /** Waits `ms`; resolves early (or rejects) when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** What to follow and how. */
export interface FollowRequest {
  readonly executionArn: string;
  /** Which state machine the execution is of (which children it starts); `nightlyBackup` by default. */
  readonly stateMachine?: StateMachineName;
  /** Between two reads of the histories. */
  readonly pollMs: number;
  readonly onEvent: (event: WorkflowEvent) => void;
  /** Aborting it stops following (never the run). */
  readonly signal: AbortSignal;
}

/** What the parent of each kind of execution starts (`.sync:2`). */
const CHILD_OF: Partial<Record<StateMachineName, StateMachineName>> = {
  nightlyBackup: 'backupLane',
  backupLane: 'backupDatabase',
};

const ENDED = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

interface Followed {
  readonly arn: string;
  readonly stateMachine: StateMachineName;
  lastEventId: number;
  ended: boolean;
}

type Json = Extract<EventLog, { type: 'ExecutionStarted' }>['input'];
type StateType = Extract<EventLog, { type: 'StateEntered' }>['state']['type'];

function parseJson(text: string | undefined): Json {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** One history event as the local interpreter's event, or undefined for events the display does not read. */
export function toEventLog(event: HistoryEvent): EventLog | undefined {
  const timestamp = event.timestamp?.getTime() ?? 0;
  const type = event.type ?? '';
  switch (type) {
    case 'ExecutionStarted':
      return { type, timestamp, input: parseJson(event.executionStartedEventDetails?.input) };
    case 'ExecutionSucceeded':
      return { type, timestamp, output: parseJson(event.executionSucceededEventDetails?.output) };
    case 'ExecutionFailed':
      return {
        type,
        timestamp,
        Error: event.executionFailedEventDetails?.error ?? 'States.Unknown',
        Cause: event.executionFailedEventDetails?.cause ?? null,
      };
    case 'ExecutionAborted':
      return { type, timestamp };
    case 'ExecutionTimedOut':
      return { type: 'ExecutionTimeout', timestamp };
    default:
      break;
  }
  if (type.endsWith('StateEntered') && event.stateEnteredEventDetails) {
    return {
      type: 'StateEntered',
      timestamp,
      state: {
        name: event.stateEnteredEventDetails.name ?? '',
        type: type.slice(0, -'StateEntered'.length) as StateType,
        input: parseJson(event.stateEnteredEventDetails.input),
      },
    };
  }
  if (type.endsWith('StateExited') && event.stateExitedEventDetails) {
    return {
      type: 'StateExited',
      timestamp,
      state: {
        name: event.stateExitedEventDetails.name ?? '',
        type: type.slice(0, -'StateExited'.length) as StateType,
        input: null,
        output: parseJson(event.stateExitedEventDetails.output),
      },
    };
  }
  return undefined;
}

/** The child execution a `.sync` task started, from its TaskSubmitted event. */
function startedChild(event: HistoryEvent): string | undefined {
  const details = event.taskSubmittedEventDetails;
  if (event.type !== 'TaskSubmitted' || details?.resourceType !== 'states') return undefined;
  if (!details.resource?.startsWith('startExecution')) return undefined;
  const output = parseJson(details.output) as { ExecutionArn?: unknown } | null;
  return typeof output?.ExecutionArn === 'string' ? output.ExecutionArn : undefined;
}

async function readNewEvents(sfn: FollowDeps['sfn'], followed: Followed): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: followed.arn,
        maxResults: 1000,
        includeExecutionData: true,
        ...(nextToken === undefined ? {} : { nextToken }),
      }),
    );
    events.push(...(page.events ?? []).filter((event) => (event.id ?? 0) > followed.lastEventId));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

/**
 * Reads the run's history and its children's every `pollMs` and hands each new event to `onEvent` (children
 * after the event that started them), until the run ends (its status from DescribeExecution) or `signal` aborts.
 */
export async function followExecution(request: FollowRequest, deps: FollowDeps): Promise<FollowOutcome> {
  const followed: Followed[] = [
    {
      arn: request.executionArn,
      stateMachine: request.stateMachine ?? 'nightlyBackup',
      lastEventId: 0,
      ended: false,
    },
  ];
  const known = new Set([request.executionArn]);
  const root = followed[0] as Followed;
  while (!request.signal.aborted) {
    for (let index = 0; index < followed.length && !request.signal.aborted; index += 1) {
      const current = followed[index] as Followed;
      if (current.ended) continue;
      for (const event of await readNewEvents(deps.sfn, current)) {
        current.lastEventId = Math.max(current.lastEventId, event.id ?? 0);
        if (ENDED.has(event.type ?? '')) current.ended = true;
        const child = startedChild(event);
        const childKind = CHILD_OF[current.stateMachine];
        if (child !== undefined && childKind !== undefined && !known.has(child)) {
          known.add(child);
          followed.push({ arn: child, stateMachine: childKind, lastEventId: 0, ended: false });
        }
        const converted = toEventLog(event);
        if (converted === undefined) continue;
        request.onEvent({
          executionArn: current.arn,
          executionName: current.arn.split(':').at(-1) ?? current.arn,
          stateMachine: current.stateMachine,
          event: converted,
        });
      }
    }
    // Children are read after their parent in each pass, so the pass that saw the run end saw theirs too.
    if (root.ended || request.signal.aborted) break;
    await deps.sleep(request.pollMs, request.signal).catch(() => undefined);
  }
  if (request.signal.aborted) return { kind: 'interrupted' };
  const described = await deps.sfn.send(new DescribeExecutionCommand({ executionArn: request.executionArn }));
  return {
    kind: 'ended',
    status: described.status ?? 'UNKNOWN',
    error: described.error ?? null,
    cause: described.cause ?? null,
    output: parseJson(described.output),
  };
}
