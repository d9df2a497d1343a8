import { describe, expect, it } from 'vitest';
import { FUNCTION_ACCESS } from '#cdk/constructs/function-access.ts';
import { TASK_FUNCTION_NAMES } from '#statemachines/definitions.ts';
import { exampleConfig, logicalIdByPath, resourcesOfType, synthStack } from './support.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const { template } = synthStack({ config: exampleConfig() });
const catalogArn = { 'Fn::GetAtt': [logicalIdByPath(template, '/Scheduler/CatalogTable/Resource'), 'Arn'] };

describe('pause permissions', () => {
  it('gives the pause operators a managed policy that reaches only the pause items of the catalog', () => {
    // Act
    const policies = Object.values(resourcesOfType(template, 'AWS::IAM::ManagedPolicy')).filter((policy) =>
      String(policy.Properties.Description).includes('sr-backup pause'),
    );

    // Assess
    expect(policies).toHaveLength(1);
    const document = policies[0]?.Properties.PolicyDocument as { Statement: Statement[] } | undefined;
    expect(document?.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
        Resource: catalogArn,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PAUSE#*'] } },
      },
    ]);
    expect(policies[0]?.Properties.Roles).toBeUndefined();
  });

  it('lets ResolveDatabases read pauses (Query on the catalog) before any run', () => {
    expect(FUNCTION_ACCESS.ResolveDatabases.catalog).toContain('dynamodb:Query');
    const role = logicalIdByPath(template, '/Scheduler/ResolveDatabases/Role/Resource');
    const statements = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as Array<{ Ref: string }>).some((ref) => ref.Ref === role))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    expect(
      statements.some(
        (s) =>
          (Array.isArray(s.Action) ? s.Action : [s.Action]).includes('dynamodb:Query') &&
          JSON.stringify(s.Resource) === JSON.stringify(catalogArn),
      ),
    ).toBe(true);
  });

  it('lets no function delete a pause: only an operator resumes', () => {
    const stems = [...TASK_FUNCTION_NAMES];
    const deleting = stems.filter((stem) =>
      [...FUNCTION_ACCESS[stem].catalog, ...FUNCTION_ACCESS[stem].locks].some(
        (action) => (action as string) === 'dynamodb:DeleteItem',
      ),
    );
    expect(deleting).toEqual([]);
  });
});
