import { describe, expect, it } from 'vitest';
import { LAMBDA_TRANSIENT_ERRORS } from '#domain/retry-policy.ts';
import {
  readDefinitionText,
  STATE_MACHINE_FILES,
  type StateMachineName,
} from '#statemachines/definitions.ts';
import { applyRetryPolicy, isLambdaTask, retryPolicyDrift } from '#statemachines/retry-policy.ts';

type Retrier = { ErrorEquals: string[]; MaxDelaySeconds?: number };
type State = { Type: string; Resource?: string; Retry?: Retrier[]; ItemProcessor?: Machine };
type Machine = { States: Record<string, State> };

const MACHINES = Object.keys(STATE_MACHINE_FILES) as StateMachineName[];
const parsed = (name: StateMachineName) => JSON.parse(readDefinitionText(name)) as Machine;

function lambdaTasks(machine: Machine): Array<[string, State]> {
  return Object.entries(machine.States).flatMap(
    ([name, state]): Array<[string, State]> => [
      ...(isLambdaTask(state) ? ([[name, state]] as Array<[string, State]>) : []),
      ...(state.ItemProcessor ? lambdaTasks(state.ItemProcessor) : []),
    ],
  );
}

describe('the shared Lambda retry policy (statemachines/retry-policy.ts)', () => {
  it("lists what Step Functions recommends retrying, plus throttling, the function's own timeout and Lambda.Unknown", () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
    expect(LAMBDA_TRANSIENT_ERRORS).toEqual(
      expect.arrayContaining([
        'Lambda.ClientExecutionTimeoutException',
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
        'Sandbox.Timedout',
        'Lambda.Unknown',
      ]),
    );
  });

  it.each(MACHINES)(
    'is what every Lambda Task of %s retries (npm run asl:retry-policy rewrites drift)',
    (name) => {
      expect(retryPolicyDrift(parsed(name))).toEqual([]);
    },
  );

  it('covers every Lambda Task of every machine with exactly one transient Retrier', () => {
    const tasks = MACHINES.flatMap((name) =>
      lambdaTasks(parsed(name)).map(([task, state]) => ({ name, task, state })),
    );
    expect(tasks.length).toBeGreaterThanOrEqual(30);
    for (const { name, task, state } of tasks) {
      const transient = (state.Retry ?? []).filter((retrier) =>
        LAMBDA_TRANSIENT_ERRORS.every((error) => retrier.ErrorEquals.includes(error)),
      );
      expect(transient, `${name}.${task}`).toHaveLength(1);
    }
  });

  it("keeps a state's own error names, States.Timeout, timing and domain Retriers as they are", () => {
    // Prepare
    const definition = {
      StartAt: 'AcquireSlot',
      States: {
        AcquireSlot: {
          Type: 'Task',
          Resource: `\${AcquireSlotFunctionArn}`,
          Retry: [
            {
              ErrorEquals: ['SlotUnavailableError'],
              IntervalSeconds: 30,
              MaxAttempts: 100,
              MaxDelaySeconds: 300,
            },
            {
              ErrorEquals: ['StarRocksUnavailableError', 'Lambda.ServiceException', 'States.Timeout'],
              IntervalSeconds: 2,
              MaxDelaySeconds: 60,
            },
          ],
          End: true,
        },
      },
    };

    // Act
    const applied = applyRetryPolicy(definition);

    // Assess
    expect(applied.States.AcquireSlot.Retry).toEqual([
      { ErrorEquals: ['SlotUnavailableError'], IntervalSeconds: 30, MaxAttempts: 100, MaxDelaySeconds: 300 },
      {
        ErrorEquals: ['StarRocksUnavailableError', ...LAMBDA_TRANSIENT_ERRORS, 'States.Timeout'],
        IntervalSeconds: 2,
        MaxDelaySeconds: 60,
      },
    ]);
  });

  it('refuses a Lambda Task without a transient Retrier rather than guess which one is', () => {
    const definition = {
      States: { Work: { Type: 'Task', Resource: `\${WorkFunctionArn}`, Retry: [{ ErrorEquals: ['Busy'] }] } },
    };
    expect(() => applyRetryPolicy(definition)).toThrow(/Work: a Lambda Task needs exactly one Retrier/);
  });

  it('reports an error of ours that a Retrier names although the domain policy does not call it so', () => {
    // Prepare: a terminal error retried as transient, and a transient one retried as contention.
    const definition = {
      States: {
        Work: {
          Type: 'Task',
          Resource: `\${WorkFunctionArn}`,
          Retry: [
            { ErrorEquals: ['StarRocksUnavailableError'] },
            { ErrorEquals: ['StarRocksAuthError', ...LAMBDA_TRANSIENT_ERRORS] },
          ],
        },
      },
    };

    // Act
    const drift = retryPolicyDrift(definition);

    // Assess
    expect(drift).toEqual([
      'Work: retries StarRocksUnavailableError as contention, which lambdas/domain/retry-policy.ts does not list so',
      'Work: retries StarRocksAuthError as transient, which lambdas/domain/retry-policy.ts does not list so',
    ]);
  });

  it('leaves the .sync:2 child starts alone (their errors are Step Functions API errors)', () => {
    const nightly = parsed('nightlyBackup') as unknown as {
      States: { BackupEach: { ItemProcessor: Machine } };
    };
    const lane = parsed('backupLane') as unknown as Machine;
    for (const start of [
      nightly.States.BackupEach.ItemProcessor.States.RunLane as State,
      lane.States.StartBackup as State,
    ]) {
      expect(isLambdaTask(start)).toBe(false);
      expect(
        start.Retry?.flatMap((retrier) => retrier.ErrorEquals).some((name) => name.startsWith('Lambda.')),
      ).toBe(false);
    }
  });
});
