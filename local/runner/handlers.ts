import type { Context } from 'aws-lambda';
import { runIdOfTaskInput } from '#domain/workflow/run-id.ts';
import type { LambdaRuntime } from '#runtime/runtime.ts';
import type { TaskFunctionName } from '#statemachines/definitions.ts';
import { withInvocationRun } from '../runtime/run-log.ts';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** What every handler module exports besides its deployed entry point. */
interface HandlerModule {
  createHandler(runtime: LambdaRuntime): LambdaHandler;
}

/** Invokes a Task by its ASL name with the event Step Functions would send it; resolves with its JSON result. */
export type TaskInvoker = (name: TaskFunctionName, event: unknown) => Promise<unknown>;

const modules = new Map<TaskFunctionName, Promise<HandlerModule>>();
let requestCounter = 0;

function moduleOf(name: TaskFunctionName): Promise<HandlerModule> {
  let loaded = modules.get(name);
  if (!loaded) {
    loaded = import(`../../lambdas/functions/${name}/handler.ts`) as Promise<HandlerModule>;
    modules.set(name, loaded);
  }
  return loaded;
}

/** A Lambda context good enough for our handlers (they read the request id and function name for logs). */
function lambdaContext(name: TaskFunctionName): Context {
  requestCounter += 1;
  const functionName = `sr-backup-${name}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `local-${process.pid}-${requestCounter}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Invokes the Tasks' real handlers (the whole middy pipeline) in process, each built over `runtime` on its first
 * invocation, as a Lambda cold start builds it over AWS. A structuredClone stands in for the JSON round trip of a
 * real invocation. Each invocation runs in its run's async context, so its log lines reach that run's log.
 */
export function localTaskInvoker(runtime: LambdaRuntime): TaskInvoker {
  const handlers = new Map<TaskFunctionName, Promise<LambdaHandler>>();
  return async (name, event) => {
    let handler = handlers.get(name);
    if (!handler) {
      handler = moduleOf(name).then((module) => module.createHandler(runtime));
      handlers.set(name, handler);
    }
    const invoke = await handler;
    const result = await withInvocationRun(runIdOfTaskInput(event), () =>
      invoke(structuredClone(event), lambdaContext(name)),
    );
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  };
}
