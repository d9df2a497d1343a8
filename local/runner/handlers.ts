import type { Context } from 'aws-lambda';
import type { TaskFunctionName } from '#statemachines/definitions.ts';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

const loaded = new Map<TaskFunctionName, Promise<LambdaHandler>>();
let requestCounter = 0;

/** Imports a Task's handler module once, as a Lambda cold start would. */
function handlerOf(name: TaskFunctionName): Promise<LambdaHandler> {
  let handler = loaded.get(name);
  if (!handler) {
    handler = import(`../../lambdas/functions/${name}/handler.ts`).then(
      (module: { handler: LambdaHandler }) => module.handler,
    );
    loaded.set(name, handler);
  }
  return handler;
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
 * Invokes a Task's real handler (the whole middy pipeline) in process, with the event Step Functions would
 * send it. A structuredClone stands in for the JSON round trip of a real invocation.
 */
export async function invokeTaskHandler(name: TaskFunctionName, event: unknown): Promise<unknown> {
  const handler = await handlerOf(name);
  const result = await handler(structuredClone(event), lambdaContext(name));
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}
