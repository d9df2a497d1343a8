import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { BackupSchedulerError, DependencyUnavailableError, InvalidInputError } from '#domain/errors.ts';
import { runIdOfTaskInput } from '#domain/workflow/run-id.ts';

/** What a Task's core receives besides its parsed input. */
export interface TaskInvocation {
  readonly context: Context;
}

/** The options every Task handler is built from. */
export interface TaskHandlerOptions<Schema extends z.ZodType, Result> {
  /** The function's structured logger (built once per handler). */
  readonly logger: Logger;
  /** The function's metrics, flushed after every invocation (failed ones too); none where nothing collects them. */
  readonly metrics?: Metrics | undefined;
  /** The zod schema of the event Step Functions sends this Task. */
  readonly input: Schema;
  /** The Task's logic: parsed input in, result out; throws typed errors. */
  readonly run: (input: z.output<Schema>, invocation: TaskInvocation) => Promise<Result>;
}

/**
 * The one middy pipeline every Task handler uses: logger context (with the invocation's `runId`, so that
 * `sr-backup logs <run>` finds every line of a run), metrics flushing, input parsing with zod, then the core.
 * Errors propagate (the ASL's Retry/Catch decide); unknown transient AWS SDK failures become
 * `DependencyUnavailableError` so the ASL can retry them by one name.
 */
export function taskHandler<Schema extends z.ZodType, Result>(options: TaskHandlerOptions<Schema, Result>) {
  const pipeline = middy<unknown, Result, Error, Context>()
    .use(injectLambdaContext(options.logger, { resetKeys: true }))
    .use(tagRunId(options.logger));
  if (options.metrics !== undefined) pipeline.use(logMetrics(options.metrics));
  return pipeline
    .use(parseInput(options.input))
    .use(reportErrors(options.logger))
    .handler((event, context) => options.run(event as z.output<Schema>, { context }));
}

/**
 * Adds the run id of the raw input to every line of this invocation, failed ones too; injectLambdaContext's
 * resetKeys removes it when the invocation ends, so it never reaches the next invocation's lines.
 */
function tagRunId(logger: Logger): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    before: (request) => {
      const runId = runIdOfTaskInput(request.event);
      // A reused environment whose previous invocation timed out before its reset may still carry that run's id.
      if (runId === undefined) logger.removeKeys(['runId']);
      else logger.appendKeys({ runId });
    },
  };
}

function parseInput(schema: z.ZodType): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    before: (request) => {
      const parsed = schema.safeParse(request.event);
      if (!parsed.success) {
        const problems = parsed.error.issues.map(
          (issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`,
        );
        throw new InvalidInputError(`invalid task input: ${problems.join('; ')}`);
      }
      request.event = parsed.data;
    },
  };
}

/** Errors a Task throws by design, which the ASL retries or records as SKIPPED: not worth a warning. */
const CONTROL_FLOW: ReadonlySet<string> = new Set([
  'SlotUnavailableError',
  'LockHeldError',
  'BackupAlreadyRunningError',
  'BackupSubmitBusyError',
  'EmptyDatabaseError',
]);

function reportErrors(logger: Logger): MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    onError: (request) => {
      const error = asTaskError(request.error);
      request.error = error;
      // Control flow the ASL retries or turns into SKIPPED (a busy slot, a held lock, an empty database): info.
      // Our other typed errors are outcomes the workflow handles (a cancelled job, a refused login): warn.
      // Anything else is a bug or an unclassified failure: error.
      const level = CONTROL_FLOW.has(error.name)
        ? 'info'
        : error instanceof BackupSchedulerError
          ? 'warn'
          : 'error';
      logger[level]('task failed', { errorType: error.name, errorMessage: error.message });
    },
  };
}

/** Maps a thrown value to the error the ASL sees: ours unchanged, transient AWS SDK failures made retryable. */
export function asTaskError(error: unknown): Error {
  if (error instanceof BackupSchedulerError) return error;
  if (isTransientAwsError(error)) {
    return new DependencyUnavailableError(`${error.name}: ${error.message}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

interface AwsSdkErrorShape extends Error {
  readonly $fault?: 'client' | 'server';
  readonly $retryable?: { throttling?: boolean };
  readonly $metadata?: { httpStatusCode?: number };
}

const TRANSIENT_AWS_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

function isTransientAwsError(error: unknown): error is AwsSdkErrorShape {
  if (!(error instanceof Error)) return false;
  const shaped = error as AwsSdkErrorShape;
  if (TRANSIENT_AWS_NAMES.has(shaped.name)) return true;
  if (shaped.$retryable !== undefined) return true;
  if (shaped.$fault === 'server') return true;
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT';
}
