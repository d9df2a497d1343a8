import { readDefinitionText, type StateMachineName } from '#statemachines/definitions.ts';

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** A plausible value for a DefinitionSubstitutions placeholder, from its name alone. */
function placeholderValue(name: string): string {
  if (name === 'Partition') return 'aws';
  if (name.endsWith('FunctionArn')) {
    return `arn:aws:lambda:us-east-1:000000000000:function:sr-backup-${name.slice(0, -'FunctionArn'.length)}`;
  }
  if (name.endsWith('StateMachineArn')) {
    const machine = name.slice(0, -'StateMachineArn'.length);
    return `arn:aws:states:us-east-1:000000000000:stateMachine:${machine.charAt(0).toLowerCase()}${machine.slice(1)}`;
  }
  return `bench-${name}`;
}

/**
 * A state machine definition with every placeholder filled in with a plausible value (for reading its states
 * and for timing the interpreter's validation; never for running it).
 */
export function substitutedDefinition(machine: StateMachineName): Record<string, unknown> {
  const text = readDefinitionText(machine).replace(PLACEHOLDER, (_match, name: string) =>
    placeholderValue(name),
  );
  return JSON.parse(text) as Record<string, unknown>;
}
