// Every log line of a Task invocation carries the run id of its input, and only that invocation's lines do.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LockHeldError } from '#domain/errors.ts';
import { runIdOfTaskInput } from '#domain/workflow/run-id.ts';
import { taskHandler } from '#runtime/middleware.ts';

const RUN = 'arn:aws:states:eu-west-1:123456789012:execution:NightlyBackup:prod-nightly-20261124T1800-a1b2c3';

/** A logger whose printed lines are parsed into `lines`. */
function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = new Logger({ serviceName: 'TestTask', logLevel: 'INFO' });
  const sink = (text: string) => lines.push(JSON.parse(text) as Record<string, unknown>);
  (logger as unknown as { console: Partial<Console> }).console = {
    debug: sink,
    info: sink,
    warn: sink,
    error: sink,
    log: sink,
  };
  return { logger, lines };
}

const context = {
  functionName: 'TestTask',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:TestTask',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

describe('the run id on Task log lines', () => {
  it('tags every line of an invocation, and not the lines of the next one', async () => {
    // Prepare
    const { logger, lines } = capturingLogger();
    const handler = taskHandler({
      logger,
      input: z.looseObject({ database: z.string().optional() }),
      run: async (input) => {
        logger.info('working', { database: input.database });
        return null;
      },
    });

    // Act
    await handler({ runId: RUN, database: 'sales' }, context);
    await handler({ database: 'crm' }, context);

    // Assess
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ message: 'working', database: 'sales', runId: RUN });
    expect(lines[1]).toMatchObject({ message: 'working', database: 'crm' });
    expect(lines[1]).not.toHaveProperty('runId');
  });

  it('tags the failure line of a failed invocation, and drops the key after it too', async () => {
    // Prepare
    const { logger, lines } = capturingLogger();
    const handler = taskHandler({
      logger,
      input: z.looseObject({}),
      run: async () => {
        throw new LockHeldError('held', 'someone', 1);
      },
    });
    const quiet = taskHandler({
      logger,
      input: z.looseObject({}),
      run: async () => {
        logger.warn('after');
        return null;
      },
    });

    // Act
    await expect(handler({ execution: { id: RUN, name: 'x' } }, context)).rejects.toThrow('held');
    await quiet({}, context);

    // Assess
    expect(lines[0]).toMatchObject({ message: 'task failed', errorType: 'LockHeldError', runId: RUN });
    expect(lines[1]).toMatchObject({ message: 'after' });
    expect(lines[1]).not.toHaveProperty('runId');
  });

  it('reads the run id as the state machines carry it: runId, else run.id, else execution.id', () => {
    expect(runIdOfTaskInput({ runId: 'r1', run: { id: 'r2' }, execution: { id: 'e1' } })).toBe('r1');
    expect(runIdOfTaskInput({ run: { id: 'r2' }, execution: { id: 'e1' } })).toBe('r2');
    expect(runIdOfTaskInput({ runId: '', execution: { id: 'e1' } })).toBe('e1');
    expect(runIdOfTaskInput({ execution: { name: 'no id' } })).toBeUndefined();
    expect(runIdOfTaskInput('not an object')).toBeUndefined();
    expect(runIdOfTaskInput(null)).toBeUndefined();
  });

  it('files a settlement under the run it settles: the ended execution input runId, else its ARN', () => {
    const ended = (input: string | undefined, executionArn: string) => ({
      event: { 'detail-type': 'Step Functions Execution Status Change', detail: { executionArn, input } },
      settler: 'arn:aws:states:eu-west-1:123456789012:execution:SettleExecution:s1',
    });
    const database = 'arn:aws:states:eu-west-1:123456789012:execution:BackupDatabase:d1';
    const restore = 'arn:aws:states:eu-west-1:123456789012:execution:Restore:restore-sales-1';
    expect(runIdOfTaskInput(ended(JSON.stringify({ runId: 'nightly-run-1' }), database))).toBe(
      'nightly-run-1',
    );
    expect(runIdOfTaskInput(ended(JSON.stringify({ cluster: {}, request: {} }), restore))).toBe(restore);
    expect(runIdOfTaskInput(ended('not json', restore))).toBe(restore);
    expect(runIdOfTaskInput(ended(undefined, restore))).toBe(restore);
  });
});
