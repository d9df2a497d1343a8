// The layout's rules that a reader relies on (ARCHITECTURE.md): one folder per function, named as the ASL names it.
// Reads the file tree and the ASL files only: well under a second.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  placeholdersIn,
  readDefinitionText,
  STATE_MACHINE_FILES,
  type StateMachineName,
  TASK_FUNCTION_NAMES,
} from '#statemachines/definitions.ts';

const FUNCTIONS_DIR = fileURLToPath(new URL('../../../lambdas/functions/', import.meta.url));

/**
 * The functions that are no Task of any state machine: the schedule sync behind the stack's custom resource, and
 * the weekly report its own schedule invokes.
 */
const CUSTOM_RESOURCE_FUNCTIONS = ['SyncSchedules', 'WriteReport'];

/** Every `${<Name>FunctionArn}` of every ASL file, as `<Name>`. */
function functionsNamedByTheAsl(): string[] {
  const names = new Set<string>();
  for (const machine of Object.keys(STATE_MACHINE_FILES) as StateMachineName[]) {
    for (const placeholder of placeholdersIn(readDefinitionText(machine))) {
      const match = /^(.+)FunctionArn$/.exec(placeholder);
      if (match) names.add(match[1] as string);
    }
  }
  return [...names].sort();
}

describe('the layout of lambdas/functions', () => {
  it('has one folder per function the ASL names, called exactly as the ASL calls it, and nothing else', () => {
    const folders = readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual([...functionsNamedByTheAsl(), ...CUSTOM_RESOURCE_FUNCTIONS].sort());
  });

  it('lists in TASK_FUNCTION_NAMES exactly the functions the ASL names', () => {
    expect([...TASK_FUNCTION_NAMES].sort()).toEqual(functionsNamedByTheAsl());
  });

  it('gives every function folder a handler.ts', () => {
    for (const name of [...TASK_FUNCTION_NAMES, ...CUSTOM_RESOURCE_FUNCTIONS]) {
      expect(existsSync(`${FUNCTIONS_DIR}${name}/handler.ts`), name).toBe(true);
    }
  });
});
