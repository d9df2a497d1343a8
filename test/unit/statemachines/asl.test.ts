import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { ERROR_NAMES } from '#domain/errors.ts';
import {
  placeholdersIn,
  readDefinitionText,
  STATE_MACHINE_FILES,
  type StateMachineName,
  substitute,
  TASK_FUNCTION_NAMES,
} from '#statemachines/definitions.ts';

type State = {
  Type: string;
  Error?: string;
  Next?: string;
  Default?: string;
  End?: boolean;
  Resource?: string;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Choices?: { Next: string }[];
  ItemProcessor?: Machine;
};
type Machine = { StartAt: string; States: Record<string, State> };

/** Every machine of the project: a new ASL file is checked as soon as definitions.ts names it. */
const MACHINES = Object.keys(STATE_MACHINE_FILES) as StateMachineName[];
const KNOWN_PLACEHOLDERS = new Set([
  ...TASK_FUNCTION_NAMES.map((stem) => `${stem}FunctionArn`),
  'BackupDatabaseStateMachineArn',
  'BackupLaneStateMachineArn',
  'Partition',
]);
/** Names AWS itself raises: a Retry or Catch may match these without a class of ours. */
const AWS_ERROR_PREFIXES = ['States.', 'Lambda.', 'Sandbox.', 'StepFunctions.'];

function substituted(name: StateMachineName): Machine {
  const values = Object.fromEntries(
    [...KNOWN_PLACEHOLDERS].map((key) => [
      key,
      key === 'Partition' ? 'aws' : `arn:aws:lambda:us-east-1:123456789012:function:${key}`,
    ]),
  );
  values.BackupDatabaseStateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:backupDatabase';
  values.BackupLaneStateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:backupLane';
  return JSON.parse(substitute(readDefinitionText(name), values)) as Machine;
}

function* scopes(machine: Machine): Generator<Machine> {
  yield machine;
  for (const state of Object.values(machine.States))
    if (state.ItemProcessor) yield* scopes(state.ItemProcessor);
}

function* states(machine: Machine): Generator<[string, State, Machine]> {
  for (const scope of scopes(machine))
    for (const [name, state] of Object.entries(scope.States)) yield [name, state, scope];
}

const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;

type ChoiceRule = Record<string, unknown> & { And?: ChoiceRule[]; Or?: ChoiceRule[]; Not?: ChoiceRule };

/** Every rule of a Choice state, nested ones included. */
function* choiceRules(state: State): Generator<ChoiceRule> {
  const visit = function* (rule: ChoiceRule): Generator<ChoiceRule> {
    yield rule;
    for (const inner of [...(rule.And ?? []), ...(rule.Or ?? []), ...(rule.Not ? [rule.Not] : [])])
      yield* visit(inner);
  };
  for (const rule of (state.Choices ?? []) as ChoiceRule[]) yield* visit(rule);
}

function targets(state: State): string[] {
  return [
    ...(state.Next ? [state.Next] : []),
    ...(state.Default ? [state.Default] : []),
    ...(state.Choices ?? []).map((choice) => choice.Next),
    ...(state.Catch ?? []).map((catcher) => catcher.Next),
  ];
}

describe.each(MACHINES)('the %s definition', (name) => {
  const machine = substituted(name);

  it('passes asl-validator once its placeholders are substituted', () => {
    const result = aslValidator(machine);
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses only placeholders the CDK stack and the local runner substitute', () => {
    const unknown = placeholdersIn(readDefinitionText(name)).filter((key) => !KNOWN_PLACEHOLDERS.has(key));
    expect(unknown).toEqual([]);
  });

  it('sends every Next, Default and Catch to a state of the same scope, and reaches every state', () => {
    for (const scope of scopes(machine)) {
      const reached = new Set([scope.StartAt]);
      for (const [stateName, state] of Object.entries(scope.States)) {
        for (const target of targets(state)) {
          expect(scope.States, `${stateName} → ${target}`).toHaveProperty([target]);
          reached.add(target);
        }
      }
      expect([...reached].sort()).toEqual(Object.keys(scope.States).sort());
    }
  });

  it('matches only error names that exist as error classes (or that AWS raises)', () => {
    for (const [, state] of states(machine)) {
      for (const rule of [...(state.Retry ?? []), ...(state.Catch ?? [])]) {
        for (const errorName of rule.ErrorEquals) {
          const fromAws = AWS_ERROR_PREFIXES.some((prefix) => errorName.startsWith(prefix));
          expect(fromAws || ERROR_NAMES.has(errorName), errorName).toBe(true);
        }
      }
    }
  });

  it('fails only with error names that exist as error classes', () => {
    for (const [stateName, state] of states(machine)) {
      if (state.Type !== 'Fail' || state.Error === undefined) continue;
      expect(ERROR_NAMES.has(state.Error), `${stateName}: ${state.Error}`).toBe(true);
    }
  });

  it('writes no type test as `false` (IsNull, IsPresent, …): aws-local-stepfunctions 3.0.0 never matches those, so the local run would take another branch than AWS', () => {
    // The interpreter evaluates `IsNull: false` as `false && …`; `Not` around the `true` form means the same on AWS
    // (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html) and works in both.
    const negative = [...states(machine)].flatMap(([stateName, state]) =>
      [...choiceRules(state)]
        .filter((rule) => TYPE_TESTS.some((test) => rule[test] === false))
        .map((rule) => `${stateName}: ${JSON.stringify(rule)}`),
    );
    expect(negative).toEqual([]);
  });

  it('gives every Task a Retry and a Catch, so no failure can skip the cleanup', () => {
    for (const [stateName, state] of states(machine)) {
      if (state.Type !== 'Task') continue;
      expect(state.Retry?.length, `${stateName} Retry`).toBeGreaterThan(0);
      expect(state.Catch?.length, `${stateName} Catch`).toBeGreaterThan(0);
    }
  });

  it('points every Lambda Task at a handler that exists', () => {
    for (const stem of TASK_FUNCTION_NAMES) {
      const handler = fileURLToPath(
        new URL(`../../../lambdas/functions/${stem}/handler.ts`, import.meta.url),
      );
      expect(existsSync(handler), stem).toBe(true);
    }
  });
});
