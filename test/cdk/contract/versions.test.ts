import { describe, expect, it } from 'vitest';
import { STATE_MACHINE_FILES, TASK_FUNCTION_NAMES } from '#statemachines/definitions.ts';
import { exampleConfig, resourcesOfType, synthStack, type TemplateResource } from '../support.ts';
import { DOCS, rule } from './rules.ts';

const { template } = synthStack({ config: exampleConfig() });
const resources = template.toJSON().Resources as Record<string, TemplateResource>;
const machines = Object.entries(resourcesOfType(template, 'AWS::StepFunctions::StateMachine'));

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** The function substitutions of a state machine (placeholders `${…FunctionArn}`), by placeholder. */
function functionSubstitutions(machine: TemplateResource): Array<[string, unknown]> {
  return Object.entries((machine.Properties.DefinitionSubstitutions ?? {}) as Record<string, unknown>).filter(
    ([placeholder]) => placeholder.endsWith('FunctionArn'),
  );
}

describe(
  rule(
    'A running execution keeps the definition it started with, but an unqualified function ARN runs whatever code was deployed last: each Task names a published version, kept after the next deploy, and the role may invoke every version',
    DOCS.updateStateMachine,
    DOCS.lambdaVersions,
  ),
  () => {
    it('substitutes a published version, never $LATEST, for every Task function', () => {
      const unversioned = machines.flatMap(([id, machine]) =>
        functionSubstitutions(machine)
          .filter(
            ([, value]) => resources[(value as { Ref?: string }).Ref ?? '']?.Type !== 'AWS::Lambda::Version',
          )
          .map(([placeholder]) => `${id}: ${placeholder}`),
      );
      expect(machines.length).toBe(Object.keys(STATE_MACHINE_FILES).length);
      expect(unversioned).toEqual([]);
    });

    it('retains a version when a deploy publishes the next one, so a running execution can still invoke it', () => {
      const versions = Object.values(resourcesOfType(template, 'AWS::Lambda::Version'));
      // Every Task function; the schedule sync is no Task (CloudFormation invokes it, and it keeps no state).
      expect(versions.length).toBe(TASK_FUNCTION_NAMES.length);
      expect(versions.filter((version) => version.DeletionPolicy !== 'Retain')).toEqual([]);
    });

    it('lets each state machine invoke every version of the functions it names, and nothing else', () => {
      const problems = machines.flatMap(([id, machine]) => {
        const roleId = (machine.Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        const invokable = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
          .filter((policy) =>
            (policy.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref === roleId),
          )
          .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
          .filter((statement) => [statement.Action].flat().includes('lambda:InvokeFunction'))
          .flatMap((statement) => [statement.Resource].flat())
          .map((resource) => JSON.stringify(resource));
        return functionSubstitutions(machine).flatMap(([placeholder, value]) => {
          const version = resources[(value as { Ref?: string }).Ref ?? ''];
          const functionId = (version?.Properties.FunctionName as { Ref?: string } | undefined)?.Ref;
          const everyVersion = JSON.stringify({
            'Fn::Join': ['', [{ 'Fn::GetAtt': [functionId, 'Arn'] }, ':*']],
          });
          return invokable.includes(everyVersion) ? [] : [`${id}: ${placeholder}`];
        });
      });
      expect(problems).toEqual([]);
    });
  },
);
