import { ArnFormat, type CfnResource, type Duration, Names, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  functionPlaceholder,
  placeholdersIn,
  readDefinitionText,
  type StateMachineName,
  TASK_FUNCTION_NAMES,
  type TaskFunctionName,
} from '#statemachines/definitions.ts';
import { FUNCTION_ACCESS } from './function-access.ts';
import { acknowledgeNag, nagText } from './nag.ts';
import type { NodeFunction } from './node-function.ts';

/** Properties of a state machine loaded from one of the project's ASL files. */
export interface StateMachineFromFileProps {
  /** Which ASL file (see statemachines/definitions.ts). */
  readonly definition: StateMachineName;
  /**
   * Every Task function by placeholder stem; the machine invokes the current version of those its definition names
   * (published by each deploy) and may invoke any of their versions.
   */
  readonly functions: Readonly<Record<TaskFunctionName, lambda.Function>>;
  /** Substitutions for the placeholders that are not function ARNs (e.g. `Partition`). */
  readonly substitutions?: Readonly<Record<string, string>>;
  /** Written into the definition as its top-level `TimeoutSeconds`. */
  readonly timeout: Duration;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * A Standard state machine whose definition is an ASL file of this project, loaded with
 * `DefinitionBody.fromString` and CloudFormation `DefinitionSubstitutions`, with its execution timeout set,
 * logging ALL (with execution data: inputs carry no secrets) to its own log group, X-Ray tracing, and
 * `lambda:InvokeFunction` on every version of exactly the functions its definition references. Each Task invokes
 * the version the deploy published, never `$LATEST`: an execution keeps the definition it started with, so a
 * deploy during a long backup leaves that execution on the code it started with.
 */
export class StateMachineFromFile extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** The Task functions the definition references, by stem. */
  readonly invokedFunctions: readonly TaskFunctionName[];

  constructor(scope: Construct, id: string, props: StateMachineFromFileProps) {
    super(scope, id);

    const text = readDefinitionText(props.definition);
    const placeholders = placeholdersIn(text);
    const stems = [...TASK_FUNCTION_NAMES];
    this.invokedFunctions = stems.filter((stem) => placeholders.includes(functionPlaceholder(stem)));

    const substitutions: Record<string, string> = { ...props.substitutions };
    for (const stem of this.invokedFunctions) {
      substitutions[functionPlaceholder(stem)] = props.functions[stem].currentVersion.functionArn;
    }
    const missing = placeholders.filter((name) => substitutions[name] === undefined);
    if (missing.length > 0) {
      throw new Error(
        `${props.definition}: no substitution for ${missing.map((name) => `\${${name}}`).join(', ')}`,
      );
    }
    const unused = Object.keys(substitutions).filter((name) => !placeholders.includes(name));
    if (unused.length > 0) {
      throw new Error(`${props.definition}: substitutions not used by the definition: ${unused.join(', ')}`);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The vended-logs prefix keeps Step Functions from growing the account's CloudWatch Logs resource policy.
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 400, separator: '-' })}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromString(withTimeout(text, props.timeout)),
      definitionSubstitutions: substitutions,
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });

    acknowledgeNag(
      this.stateMachine.role.node.findChild('DefaultPolicy'),
      'IAM5[Resource::*]',
      'Step Functions logging and tracing: the CloudWatch Logs delivery actions (logs:CreateLogDelivery, logs:PutResourcePolicy, …) and the X-Ray actions support no resource-level permissions.',
    );

    if (this.invokedFunctions.length > 0) {
      // Every version, not only the current one: the role is shared by executions started before the last deploy,
      // which still invoke the (retained) versions their definition names.
      const everyVersion = this.invokedFunctions.map((stem) => `${props.functions[stem].functionArn}:*`);
      this.stateMachine.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: everyVersion }),
      );
      const policy = this.stateMachine.role.node.findChild('DefaultPolicy');
      for (const arn of everyVersion) {
        acknowledgeNag(
          policy,
          `IAM5[Resource::${nagText(this, arn)}]`,
          'Versions of one Task function: each deploy publishes one, and executions started earlier still invoke theirs.',
        );
      }
    }
  }

  /** Tells cfn-lint to skip these checks on this state machine's resource (say why where you call it). */
  ignoreCfnLintChecks(checks: readonly string[]): void {
    (this.stateMachine.node.defaultChild as CfnResource).addMetadata('cfn-lint', {
      config: { ignore_checks: [...checks] },
    });
  }

  /** Lets this machine run `child` with `states:startExecution.sync` (start, describe, stop, and the managed rule). */
  allowSyncStartOf(child: sfn.StateMachine): void {
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [child.stateMachineArn] }),
    );
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [executionArnPattern(child)],
      }),
    );
    acknowledgeNag(
      this.stateMachine.role.node.findChild('DefaultPolicy'),
      `IAM5[Resource::${nagText(this, executionArnPattern(child))}]`,
      'Child executions are named at run time (one per database or lane); the pattern is limited to executions of that one child state machine.',
    );
    // `.sync` waits on an EventBridge rule Step Functions manages in the account; without these every run fails.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [
          this.stateMachine.stack.formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: 'StepFunctionsGetEventsForStepFunctionsExecutionRule',
          }),
        ],
      }),
    );
  }
}

/** `arn:<partition>:states:<region>:<account>:execution:<machine name>:*`: every execution of `machine`. */
export function executionArnPattern(machine: sfn.StateMachine): string {
  return machine.stack.formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${machine.stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * The roles that ask whether a lease holder's execution still runs (AcquireSlot, AcquireLock, SettleOrphans: every
 * function whose access row says `describesBackupExecutions`): each lease-holding machine grants all of them, or a
 * settlement after StopExecution would read "unknown" and leave the ended holder's lock and job alone.
 */
export function holderLivenessRoles(
  functions: Readonly<Record<TaskFunctionName, NodeFunction>>,
): iam.IRole[] {
  return (Object.keys(FUNCTION_ACCESS) as TaskFunctionName[])
    .filter((stem) => FUNCTION_ACCESS[stem].describesBackupExecutions)
    .map((stem) => functions[stem].role);
}

/**
 * Lets `roles` ask whether an execution of `machine` still runs (`states:DescribeExecution`): AcquireSlot,
 * AcquireLock and SettleOrphans do before they take over a lease whose holder is such an execution. A policy of its own (construct
 * id `HolderLiveness`): the functions' default policies would make the machine (which names the functions) and
 * the functions (which would name the machine) depend on each other. `why` acknowledges the execution wildcard.
 */
export function grantHolderLiveness(
  scope: Construct,
  roles: readonly iam.IRole[],
  machine: sfn.StateMachine,
  why: string,
): iam.Policy {
  const pattern = executionArnPattern(machine);
  const policy = new iam.Policy(scope, 'HolderLiveness', {
    roles: [...roles],
    statements: [new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [pattern] })],
  });
  acknowledgeNag(policy, `IAM5[Resource::${nagText(scope, pattern)}]`, why);
  return policy;
}

/** The definition text with its top-level `TimeoutSeconds` set (whole seconds). */
export function withTimeout(definitionText: string, timeout: Duration): string {
  const document = JSON.parse(definitionText) as Record<string, unknown>;
  return JSON.stringify({ ...document, TimeoutSeconds: timeout.toSeconds({ integral: true }) });
}
