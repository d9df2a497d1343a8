import { describe, expect, it } from 'vitest';
import { readDefinitionText } from '#statemachines/definitions.ts';
import { STATE_PATHS } from '#test/support/fault-matrix.ts';

/** States no path of the machine reaches by design (see test/support/fault-matrix.ts). */
const UNREACHABLE = ['UnknownPhase', 'NotifyOrphanFailed'];

type States = Record<string, { ItemProcessor?: { States: States } }>;

function stateNames(states: States): string[] {
  return Object.entries(states).flatMap(([name, state]) => [
    name,
    ...(state.ItemProcessor ? stateNames(state.ItemProcessor.States) : []),
  ]);
}

describe('the fault matrix', () => {
  it('covers every state of backup-database.asl.json that a path can reach', () => {
    // Prepare
    const states = stateNames(
      (JSON.parse(readDefinitionText('backupDatabase')) as { States: States }).States,
    );

    // Assess: a new state must join the matrix (or be argued unreachable here).
    expect(states.filter((name) => !UNREACHABLE.includes(name)).sort()).toEqual(
      Object.keys(STATE_PATHS).sort(),
    );
  });
});
