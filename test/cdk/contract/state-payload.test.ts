import { describe, expect, it } from 'vitest';
import { deployedDefinitionText, exampleConfig, resourcesOfType, synthStack } from '../support.ts';
import { DOCS, rule } from './rules.ts';

const { template } = synthStack({ config: exampleConfig() });
const machines = Object.keys(resourcesOfType(template, 'AWS::StepFunctions::StateMachine')).map(
  (id) => [id, JSON.parse(deployedDefinitionText(template, id)) as Scope] as const,
);

interface State {
  readonly Type: string;
  readonly ResultPath?: string | null;
  readonly ItemProcessor?: Scope;
  readonly Iterator?: Scope;
  readonly Branches?: readonly Scope[];
}

interface Scope {
  readonly States: Readonly<Record<string, State>>;
}

function* statesOf(scope: Scope): Generator<[string, State]> {
  for (const [name, state] of Object.entries(scope.States)) {
    yield [name, state];
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) yield* statesOf(processor);
    for (const branch of state.Branches ?? []) yield* statesOf(branch);
  }
}

describe(
  rule(
    'A state whose data passes 256 KiB fails the execution with States.DataLimitExceeded, which no Catch (not even States.ALL) can handle: no state may keep data that grows with the number of items it iterates',
    DOCS.stepFunctionsQuotas,
    DOCS.stepFunctionsErrorNames,
  ),
  () => {
    it('deploys every state machine (so the checks below have something to read)', () => {
      expect(machines.length).toBeGreaterThanOrEqual(5);
    });

    it('discards the result of every Map state (ResultPath null): its array has one entry per item', () => {
      // The run's outcomes live in the catalog (SummarizeRun and the CLI read them there), so nothing needs the
      // Map output; keeping it made a run of ~1,000 databases fail before its summary, prune and alerts.
      const kept = machines.flatMap(([id, definition]) =>
        [...statesOf(definition)]
          .filter(([, state]) => state.Type === 'Map' && state.ResultPath !== null)
          .map(([name, state]) => `${id}.${name}: ResultPath ${JSON.stringify(state.ResultPath ?? '$')}`),
      );
      expect(kept).toEqual([]);
    });
  },
);
