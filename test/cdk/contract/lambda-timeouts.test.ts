import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AFTER_STATEMENT_SECONDS } from '#cdk/constructs/connection-checks.ts';
import { FUNCTION_ACCESS } from '#cdk/constructs/function-access.ts';
import { type BackupConfig, DEFAULTS } from '#domain/config/index.ts';
import { LAMBDA_TRANSIENT_ERRORS } from '#domain/retry-policy.ts';
import type { TaskFunctionName } from '#statemachines/definitions.ts';
import { isLambdaTask } from '#statemachines/retry-policy.ts';
import {
  configFrom,
  deployedDefinitionText,
  exampleConfig,
  logicalIdByPath,
  resourcesOfType,
  synthStack,
  type TemplateResource,
} from '../support.ts';
import { DOCS, rule } from './rules.ts';

const config = exampleConfig();
const { template } = synthStack({ config });
const resources = template.toJSON().Resources as Record<string, TemplateResource>;

interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
  readonly Retry?: ReadonlyArray<{ readonly ErrorEquals: readonly string[] }>;
  readonly ItemProcessor?: { readonly States: Readonly<Record<string, State>> };
}

/** Every Lambda Task of every deployed machine, with the function it invokes (the version's function). */
const lambdaTasks = Object.keys(resourcesOfType(template, 'AWS::StepFunctions::StateMachine')).flatMap(
  (id) => {
    const visit = (states: Readonly<Record<string, State>>): Array<{ task: string; state: State }> =>
      Object.entries(states).flatMap(([name, state]) => [
        ...(isLambdaTask(state) ? [{ task: `${id}.${name}`, state }] : []),
        ...(state.ItemProcessor ? visit(state.ItemProcessor.States) : []),
      ]);
    return visit(
      (JSON.parse(deployedDefinitionText(template, id)) as { States: Record<string, State> }).States,
    );
  },
);

/** The function logical id a deployed Resource names: `arn:aws:lambda:…:function:<id>:<version>`. */
const functionOf = (resource: string | undefined): string => resource?.split(':')[6] ?? '';
const timeoutOf = (functionId: string): number => resources[functionId]?.Properties.Timeout as number;

/** Lambda's Init phase may take up to 10 s before the function's own timer starts; the Task's timer runs through it. */
const INIT_PHASE_SECONDS = 10;

const frontEndFunctions = (Object.keys(FUNCTION_ACCESS) as TaskFunctionName[])
  .filter((stem) => FUNCTION_ACCESS[stem].reachesFrontEnd)
  .map((stem) => [stem, logicalIdByPath(template, `/Scheduler/${stem}/Function/Resource`)] as const);

describe(
  rule(
    "A function whose own timeout is not below its Task's TimeoutSeconds can be cut off by Step Functions first, or fail with Sandbox.Timedout / Lambda.Unknown where nothing retries it: each function times out well before its Task, and every Lambda Task retries the transient Lambda errors AWS names",
    DOCS.lambdaServiceExceptions,
    DOCS.lambdaExecutionEnvironment,
    `${DOCS.lambdaInvocationTroubleshooting} (Sandbox.Timedout is named there for the Init phase; for the invoke phase UNVERIFIED)`,
    DOCS.stepFunctionsTaskTimeouts,
  ),
  () => {
    it('finds the Lambda Tasks of every machine (so the checks below have something to read)', () => {
      expect(lambdaTasks.length).toBeGreaterThanOrEqual(30);
    });

    it("sets every function's timeout more than Lambda's Init phase below its Task's TimeoutSeconds", () => {
      const tooLate = lambdaTasks
        .map(({ task, state }) => ({
          task,
          taskTimeout: state.TimeoutSeconds,
          functionTimeout: timeoutOf(functionOf(state.Resource)),
        }))
        .filter(
          ({ taskTimeout, functionTimeout }) =>
            taskTimeout === undefined || !(functionTimeout + INIT_PHASE_SECONDS < taskTimeout),
        );
      expect(tooLate).toEqual([]);
    });

    it('retries the same transient Lambda errors in every Lambda Task', () => {
      const missing = lambdaTasks.flatMap(({ task, state }) => {
        const listed = new Set((state.Retry ?? []).flatMap((retrier) => retrier.ErrorEquals));
        const absent = LAMBDA_TRANSIENT_ERRORS.filter((error) => !listed.has(error));
        return absent.length === 0 ? [] : [`${task}: ${absent.join(', ')}`];
      });
      expect(missing).toEqual([]);
    });
  },
);

/** What synth says about a configuration's statement timeouts: its warnings, or the error that stopped it. */
function statementTimeoutComplaints(candidate: BackupConfig): string[] {
  try {
    const { stack } = synthStack({ config: candidate });
    return Annotations.fromStack(stack)
      .findWarning('*', Match.anyValue())
      .map((warning) => String(warning.entry.data))
      .filter((text) => text.includes('statementTimeoutSeconds'));
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

describe(
  rule(
    "A statement still running when Lambda stops the function leaves no time to release the leases or report the error: connect and statement timeouts together stay 10 s below every FE-facing function's timeout",
    DOCS.lambdaExecutionEnvironment,
  ),
  () => {
    it('leaves at least 10 s after the statement', () => {
      expect(AFTER_STATEMENT_SECONDS).toBeGreaterThanOrEqual(10);
    });

    it('holds for the configuration defaults and the example configuration in every FE-facing function', () => {
      const settings = [
        {
          name: 'defaults',
          connect: DEFAULTS.connectTimeoutSeconds,
          statement: DEFAULTS.statementTimeoutSeconds,
        },
        ...config.clusters.map((cluster) => ({
          name: cluster.name,
          connect: cluster.connectTimeoutSeconds,
          statement: cluster.statementTimeoutSeconds,
        })),
      ];
      const tooTight = frontEndFunctions.flatMap(([stem, id]) =>
        settings
          .filter(
            ({ connect, statement }) => !(connect + statement + AFTER_STATEMENT_SECONDS < timeoutOf(id)),
          )
          .map(
            ({ name, connect, statement }) =>
              `${stem} (${timeoutOf(id)} s): ${name} ${connect} + ${statement} s`,
          ),
      );
      expect(frontEndFunctions.length).toBeGreaterThanOrEqual(13);
      expect(tooTight).toEqual([]);
    });

    it('is refused at synth (a warning or an error) when a cluster leaves less than that', () => {
      const shortest = Math.min(...frontEndFunctions.map(([, id]) => timeoutOf(id)));
      const tight = configFrom({
        clusters: [
          {
            name: 'prod',
            host: 'fe.internal',
            repository: 'repo',
            connectTimeoutSeconds: 10,
            statementTimeoutSeconds: shortest - 10 - AFTER_STATEMENT_SECONDS + 5,
          },
        ],
      });
      expect(statementTimeoutComplaints(tight)).not.toEqual([]);
    });
  },
);
