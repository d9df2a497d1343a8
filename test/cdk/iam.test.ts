import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { FUNCTION_ACCESS } from '#cdk/constructs/function-access.ts';
import {
  placeholdersIn,
  readDefinitionText,
  type StateMachineName,
  TASK_FUNCTION_NAMES,
  type TaskFunctionName,
} from '#statemachines/definitions.ts';
import {
  configFrom,
  everyVersionOf,
  exampleConfig,
  logicalIdByPath,
  resourcesOfType,
  synthConstruct,
  synthStack,
  type TemplateResource,
} from './support.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const config = exampleConfig();
const { template } = synthStack({ config });
const policies = resourcesOfType(template, 'AWS::IAM::Policy');
const roles = resourcesOfType(template, 'AWS::IAM::Role');

const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** The statements of every policy attached to a role (its default policy and shared ones), and inline ones. */
function statementsOfRole(roleId: string): Statement[] {
  const attached = Object.values(policies).filter((policy) =>
    (policy.Properties.Roles as Array<{ Ref: string }>).some((ref) => ref.Ref === roleId),
  );
  const inline = (roles[roleId]?.Properties.Policies ?? []) as Array<{
    PolicyDocument: { Statement: Statement[] };
  }>;
  return [
    ...attached.flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    ),
    ...inline.flatMap((policy) => policy.PolicyDocument.Statement),
  ];
}

const functionRole = (stem: TaskFunctionName) =>
  logicalIdByPath(template, `/Scheduler/${stem}/Role/Resource`);
const functionStatements = (stem: TaskFunctionName) => statementsOfRole(functionRole(stem));
const tableActions = (
  stem: TaskFunctionName,
  table: 'LocksTable' | 'CatalogTable',
  scope: 'whole table' | 'manifest partitions' = 'whole table',
) =>
  functionStatements(stem)
    .filter((statement) => JSON.stringify(statement.Resource).includes(`Scheduler${table}`))
    .filter((statement) => (statement.Condition !== undefined) === (scope === 'manifest partitions'))
    .flatMap(actionsOf)
    .sort();
const stateMachineStatements = (name: 'NightlyBackup' | 'BackupLane' | 'BackupDatabase') =>
  statementsOfRole(logicalIdByPath(template, `/${name}/StateMachine/Role/Resource`));
const stems = [...TASK_FUNCTION_NAMES];

/** The functions a definition's `${<Stem>FunctionArn}` placeholders name, in TASK_FUNCTION_NAMES order. */
function namedFunctions(machine: StateMachineName) {
  const named = new Set(placeholdersIn(readDefinitionText(machine)));
  return stems
    .filter((stem) => named.has(`${stem}FunctionArn`))
    .map((stem) => everyVersionOf(logicalIdByPath(template, `/Scheduler/${stem}/Function/Resource`)));
}

describe('Task function roles', () => {
  it.each(stems)('%s acts on the locks table exactly as FUNCTION_ACCESS declares', (stem) => {
    expect(tableActions(stem, 'LocksTable')).toEqual([...FUNCTION_ACCESS[stem].locks].sort());
  });

  it.each(stems)('%s acts on the catalog table exactly as FUNCTION_ACCESS declares', (stem) => {
    expect(tableActions(stem, 'CatalogTable')).toEqual([...FUNCTION_ACCESS[stem].catalog].sort());
    expect(tableActions(stem, 'CatalogTable', 'manifest partitions')).toEqual(
      [...(FUNCTION_ACCESS[stem].manifests ?? [])].sort(),
    );
  });

  it('confines manifest actions to MANIFEST# partitions: writes for SubmitBackup and PruneSnapshots, reads for VerifyRestore', () => {
    const conditioned = stems.flatMap((stem) =>
      functionStatements(stem)
        .filter(
          (statement) =>
            statement.Condition !== undefined && actionsOf(statement)[0]?.startsWith('dynamodb:'),
        )
        .map((statement) => ({ stem, condition: statement.Condition })),
    );
    const manifestsOnly = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MANIFEST#*'] } };
    expect(conditioned).toEqual([
      { stem: 'SubmitBackup', condition: manifestsOnly },
      { stem: 'VerifyRestore', condition: manifestsOnly },
      { stem: 'PruneSnapshots', condition: manifestsOnly },
    ]);
  });

  it('grants no function DeleteItem, Scan or a wildcard DynamoDB action', () => {
    const dynamoActions = stems.flatMap((stem) =>
      functionStatements(stem)
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('dynamodb:')),
    );
    expect(
      dynamoActions.filter(
        (action) => ['dynamodb:DeleteItem', 'dynamodb:Scan'].includes(action) || action.includes('*'),
      ),
    ).toEqual([]);
  });

  it('grants no function access to a table index', () => {
    const resources = stems.flatMap((stem) =>
      functionStatements(stem).map((s) => JSON.stringify(s.Resource)),
    );
    expect(resources.filter((resource) => resource.includes('/index/'))).toEqual([]);
  });

  it('lets no function invoke anything', () => {
    const invokes = stems.flatMap((stem) =>
      functionStatements(stem)
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('lambda:') || action.startsWith('states:Start')),
    );
    expect(invokes).toEqual([]);
  });

  it('attaches no AWS managed policy to any role', () => {
    expect(Object.values(roles).filter((role) => role.Properties.ManagedPolicyArns !== undefined)).toEqual(
      [],
    );
  });

  it('gives the FE-facing functions the cluster password secrets and no one else', () => {
    const secret = config.clusters[0]?.passwordSecretArn as string;
    const holders = stems.filter((stem) =>
      functionStatements(stem).some((statement) =>
        JSON.stringify(statement.Resource).includes(`"${secret}"`),
      ),
    );
    expect(holders.sort()).toEqual(stems.filter((stem) => FUNCTION_ACCESS[stem].reachesFrontEnd).sort());
  });

  it('gives only the functions that post to Slack the Slack webhook secret', () => {
    const webhook = config.slack.webhookSecretArn as string;
    const holders = stems.filter((stem) =>
      functionStatements(stem).some((statement) =>
        JSON.stringify(statement.Resource).includes(`"${webhook}"`),
      ),
    );
    expect(holders.sort()).toEqual([
      'NotifyDrill',
      'NotifyFailure',
      'NotifyIncidents',
      'NotifyPruneFailure',
      'SummarizeRun',
    ]);
  });

  it('reads a secret given without its random suffix through the -?????? wildcard, and only GetSecretValue', () => {
    const secret = config.clusters[0]?.passwordSecretArn as string;
    expect(
      functionStatements('SubmitBackup').filter((s) =>
        actionsOf(s).some((a) => a.startsWith('secretsmanager:')),
      ),
    ).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [secret, `${secret}-??????`] },
    ]);
  });

  it('lets only the functions that take leases over (AcquireSlot, AcquireLock, SettleOrphans) describe executions', () => {
    const describers = stems.filter((stem) =>
      functionStatements(stem).some((statement) => actionsOf(statement).includes('states:DescribeExecution')),
    );
    expect(describers.sort()).toEqual(['AcquireLock', 'AcquireSlot', 'SettleOrphans']);
  });

  it('scopes the holder liveness check to executions of the BackupDatabase state machine', () => {
    const [statement] = functionStatements('AcquireLock').filter((s) =>
      actionsOf(s).includes('states:DescribeExecution'),
    );
    expect(JSON.stringify(statement?.Resource)).toContain(
      `":execution:",{"Fn::GetAtt":["${logicalIdByPath(template, '/BackupDatabase/StateMachine/Resource')}","Name"]},":*"`,
    );
  });

  it('lets every function that takes leases over describe the executions of every machine whose end the settlement rule catches', () => {
    // A StopExecution'd Restore or RestoreDrill is settled only when SettleOrphans can tell its holder has ended:
    // without DescribeExecution it reads "unknown", keeps off an unexpired lease and leaves the RESTORE running.
    const rules = Object.values(resourcesOfType(template, 'AWS::Events::Rule'));
    const settled = rules.flatMap((rule) =>
      (
        (rule.Properties.EventPattern as { detail?: { stateMachineArn?: Array<{ Ref: string }> } }).detail
          ?.stateMachineArn ?? []
      ).map((ref) => ref.Ref),
    );
    expect(settled).toHaveLength(3);
    for (const stem of ['AcquireSlot', 'AcquireLock', 'SettleOrphans'] as const) {
      const described = JSON.stringify(
        functionStatements(stem).filter((s) => actionsOf(s).includes('states:DescribeExecution')),
      );
      for (const machine of settled) expect(described, `${stem} describes ${machine}`).toContain(machine);
    }
  });

  it('gives restore operators a policy of exactly what restore and drill --stack call, on this stack only', () => {
    const [policy] = Object.values(resourcesOfType(template, 'AWS::IAM::ManagedPolicy')).filter((candidate) =>
      String(candidate.Properties.Description).startsWith('sr-backup restore / drill'),
    );
    const statements = (
      (policy?.Properties.PolicyDocument ?? { Statement: [] }) as { Statement: Statement[] }
    ).Statement;
    expect(statements.map(actionsOf)).toEqual([
      ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'],
      ['dynamodb:GetItem', 'dynamodb:Query'],
      'states:StartExecution'.split(' '),
      ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:StopExecution'],
      ['logs:FilterLogEvents'],
    ]);
    expect(JSON.stringify(statements[4]?.Resource)).toContain(
      logicalIdByPath(template, '/Scheduler/SubmitRestore/Logs/Resource'),
    );
    const started = JSON.stringify(statements[2]?.Resource);
    expect(started).toContain(
      logicalIdByPath(template, '/Scheduler/Restore/StateMachine/StateMachine/Resource'),
    );
    expect(started).toContain(logicalIdByPath(template, '/RestoreDrill/StateMachine/StateMachine/Resource'));
    expect(started).not.toContain(
      logicalIdByPath(template, '/Scheduler/NightlyBackup/StateMachine/Resource'),
    );
    expect(JSON.stringify(statements)).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem)|secretsmanager/);
  });

  it('lets each function write only to its own log group', () => {
    const stem = 'CheckBackup';
    const logStatements = functionStatements(stem).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('logs:')),
    );
    expect(logStatements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logicalIdByPath(template, `/Scheduler/${stem}/Logs/Resource`), 'Arn'] },
      },
    ]);
  });

  it('uses a * resource in function roles only for X-Ray', () => {
    const starActions = stems.flatMap((stem) =>
      functionStatements(stem)
        .filter((statement) => statement.Resource === '*')
        .flatMap(actionsOf),
    );
    expect(new Set(starActions)).toEqual(new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
  });
});

describe('state machine roles', () => {
  it('lets BackupDatabase invoke exactly the functions its definition names', () => {
    const invoke = stateMachineStatements('BackupDatabase').filter((s) =>
      actionsOf(s).includes('lambda:InvokeFunction'),
    );
    expect(invoke).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: namedFunctions('backupDatabase') },
    ]);
  });

  it('lets NightlyBackup invoke exactly the functions its definition names', () => {
    const invoke = stateMachineStatements('NightlyBackup').filter((s) =>
      actionsOf(s).includes('lambda:InvokeFunction'),
    );
    expect(invoke).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: namedFunctions('nightlyBackup') },
    ]);
  });

  it.each([
    ['NightlyBackup', 'BackupLane'],
    ['BackupLane', 'BackupDatabase'],
  ] as const)('lets %s start only %s', (parent, child) => {
    const start = stateMachineStatements(parent).filter((s) =>
      actionsOf(s).includes('states:StartExecution'),
    );
    expect(start).toEqual([
      {
        Effect: 'Allow',
        Action: 'states:StartExecution',
        Resource: { Ref: logicalIdByPath(template, `/${child}/StateMachine/Resource`) },
      },
    ]);
  });

  it.each([
    ['NightlyBackup', 'BackupLane'],
    ['BackupLane', 'BackupDatabase'],
  ] as const)('lets %s describe and stop only %s executions (.sync)', (parent, child) => {
    const [statement] = stateMachineStatements(parent).filter((s) =>
      actionsOf(s).includes('states:StopExecution'),
    );
    expect({ actions: statement?.Action, resource: JSON.stringify(statement?.Resource) }).toEqual({
      actions: ['states:DescribeExecution', 'states:StopExecution'],
      resource: expect.stringContaining(
        `":execution:",{"Fn::GetAtt":["${logicalIdByPath(template, `/${child}/StateMachine/Resource`)}","Name"]},":*"`,
      ),
    });
  });

  it('lets NightlyBackup manage the EventBridge rule that .sync needs, and no other rule', () => {
    const [statement] = stateMachineStatements('NightlyBackup').filter((s) =>
      actionsOf(s).includes('events:PutRule'),
    );
    expect({ actions: statement?.Action, resource: JSON.stringify(statement?.Resource) }).toEqual({
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resource: expect.stringMatching(/:rule\/StepFunctionsGetEventsForStepFunctionsExecutionRule"\]\]\}$/),
    });
  });

  it('lets BackupDatabase start no execution', () => {
    expect(
      stateMachineStatements('BackupDatabase')
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('states:')),
    ).toEqual([]);
  });
});

describe('scheduler role', () => {
  const roleId = logicalIdByPath(template, '/Schedules/Role/Resource');

  it('may only start the nightly state machine and write to its dead-letter queue', () => {
    expect(statementsOfRole(roleId)).toEqual([
      {
        Effect: 'Allow',
        Action: 'states:StartExecution',
        Resource: { Ref: logicalIdByPath(template, '/Scheduler/NightlyBackup/StateMachine/Resource') },
      },
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [logicalIdByPath(template, '/Schedules/DeadLetterQueue/Resource'), 'Arn'] },
      },
    ]);
  });

  it('can be assumed only by Scheduler on behalf of our schedule group in our account', () => {
    const trust = (roles[roleId] as TemplateResource).Properties.AssumeRolePolicyDocument as {
      Statement: Statement[];
    };
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Condition: {
          StringEquals: {
            'aws:SourceAccount': { Ref: 'AWS::AccountId' },
            'aws:SourceArn': {
              'Fn::GetAtt': [logicalIdByPath(template, '/Schedules/Group/Resource'), 'Arn'],
            },
          },
        },
      }),
    ]);
  });
});

describe('secrets encrypted with a customer key', () => {
  const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/0f4c4a6e-1111-2222-3333-444455556666';
  const { template: withKey } = synthConstruct((stack) => ({
    config: configFrom({
      clusters: [
        {
          name: 'prod',
          host: 'fe.internal',
          repository: 'repo',
          passwordSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod-pw',
        },
      ],
    }),
    secretsEncryptionKeys: [kms.Key.fromKeyArn(stack, 'SecretsKey', keyArn)],
  }));

  it('grants kms:Decrypt on the key only through Secrets Manager of the secret’s Region', () => {
    const statements = Object.values(resourcesOfType(withKey, 'AWS::IAM::Policy')).flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const decrypt = statements.filter((statement) => actionsOf(statement).includes('kms:Decrypt'));
    expect(decrypt[0]).toEqual({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: keyArn,
      Condition: {
        StringEquals: {
          'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com',
        },
      },
    });
  });
});
