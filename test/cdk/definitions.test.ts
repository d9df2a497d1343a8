import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import {
  functionPlaceholder,
  placeholdersIn,
  readDefinitionText,
  type StateMachineName,
  TASK_FUNCTION_NAMES,
} from '#statemachines/definitions.ts';
import { deployedDefinitionText, exampleConfig, logicalIdByPath, synthStack } from './support.ts';

const { template } = synthStack({ config: exampleConfig() });

const MACHINES: Array<[StateMachineName, string]> = [
  ['nightlyBackup', '/NightlyBackup/StateMachine/Resource'],
  ['backupDatabase', '/BackupDatabase/StateMachine/Resource'],
];

const deployed = (path: string) => deployedDefinitionText(template, logicalIdByPath(template, path));

interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ItemProcessor?: { States: Record<string, AslState> };
}

function taskResources(states: Record<string, AslState>): Array<[string, string]> {
  return Object.entries(states).flatMap(
    ([name, state]): Array<[string, string]> => [
      ...(state.Type === 'Task' && state.Resource !== undefined
        ? [[name, state.Resource] as [string, string]]
        : []),
      ...(state.ItemProcessor ? taskResources(state.ItemProcessor.States) : []),
    ],
  );
}

describe.each(MACHINES)('the deployed %s definition', (name, path) => {
  it('uses placeholders (so this test has something to check)', () => {
    expect(placeholdersIn(readDefinitionText(name)).length).toBeGreaterThan(0);
  });

  it('has every placeholder substituted', () => {
    expect(deployed(path).match(/\$\{[^}]*\}/g) ?? []).toEqual([]);
  });

  it('is valid JSON once substituted', () => {
    expect(() => JSON.parse(deployed(path))).not.toThrow();
  });

  it('passes asl-validator once substituted', () => {
    const result = aslValidator(JSON.parse(deployed(path)));
    expect(result.isValid ? 'valid' : result.errorsText('\n')).toBe('valid');
  });

  it('points each Lambda Task at a published version of the function built from the folder its placeholder names', () => {
    const definition = JSON.parse(deployed(path)) as { States: Record<string, AslState> };
    const raw = JSON.parse(readDefinitionText(name)) as { States: Record<string, AslState> };
    const rawResources = new Map(taskResources(raw.States));
    const lambdaTasks = taskResources(definition.States).filter(([, resource]) =>
      resource.includes(':lambda:'),
    );
    const mismatches = lambdaTasks.filter(([state, resource]) => {
      const stem = [...TASK_FUNCTION_NAMES].find(
        (candidate) => rawResources.get(state) === `\${${functionPlaceholder(candidate)}}`,
      );
      if (stem === undefined) return true;
      const expected = logicalIdByPath(template, `/Scheduler/${stem}/Function/Resource`);
      return resource !== `arn:aws:lambda:us-east-1:123456789012:function:${expected}:1`;
    });
    expect(mismatches).toEqual([]);
  });
});

describe('the deployed NightlyBackup definition', () => {
  it('starts lanes from NightlyBackup and BackupDatabase executions from lanes, with .sync:2 in the stack partition', () => {
    const nightly = JSON.parse(deployed('/NightlyBackup/StateMachine/Resource')) as {
      States: { BackupEach: { ItemProcessor: { States: { RunLane: AslState } } } };
    };
    const lane = JSON.parse(deployed('/BackupLane/StateMachine/Resource')) as {
      States: { StartBackup: AslState };
    };
    const runLane = nightly.States.BackupEach.ItemProcessor.States.RunLane;
    const startBackup = lane.States.StartBackup;
    const arnOf = (path: string) =>
      `arn:aws:states:us-east-1:123456789012:stateMachine:${logicalIdByPath(template, path)}`;
    expect([
      { resource: runLane.Resource, machine: runLane.Parameters?.StateMachineArn },
      { resource: startBackup.Resource, machine: startBackup.Parameters?.StateMachineArn },
    ]).toEqual([
      {
        resource: 'arn:aws:states:::states:startExecution.sync:2',
        machine: arnOf('/BackupLane/StateMachine/Resource'),
      },
      {
        resource: 'arn:aws:states:::states:startExecution.sync:2',
        machine: arnOf('/BackupDatabase/StateMachine/Resource'),
      },
    ]);
  });
});
