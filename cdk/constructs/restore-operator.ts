import { ArnFormat, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeNag, nagText } from './nag.ts';
import { executionArnPattern } from './state-machine-from-file.ts';

/** What the restore operators' policy covers. */
export interface RestoreOperatorProps {
  readonly catalogTable: dynamodb.TableV2;
  /** The Restore and RestoreDrill state machines. */
  readonly machines: readonly sfn.StateMachine[];
  /** The Task functions' log groups, which `sr-backup logs <run> --stack` searches. */
  readonly logGroups: readonly logs.ILogGroup[];
}

/**
 * A managed policy for the people who run `sr-backup restore --stack … --execute` and `drill --stack …`: read the
 * stack's outputs and resources, read the catalog (to choose the snapshot), start, follow and stop executions of
 * the Restore and RestoreDrill machines, and read what their functions logged (`sr-backup logs`), nothing else. The actions are the ones the CLI calls (Step Functions API
 * reference: StartExecution, DescribeExecution, GetExecutionHistory, StopExecution).
 */
export class RestoreOperator extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: RestoreOperatorProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const executions = props.machines.map((machine) => executionArnPattern(machine));
    const indexes = `${props.catalogTable.tableArn}/index/*`;
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description:
        'sr-backup restore / drill against the deployed scheduler: read the catalog, start, follow and stop restores and drills',
      statements: [
        new iam.PolicyStatement({
          actions: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'],
          resources: [
            stack.formatArn({
              service: 'cloudformation',
              resource: 'stack',
              resourceName: `${stack.stackName}/*`,
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          ],
        }),
        new iam.PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:Query'],
          resources: [props.catalogTable.tableArn, indexes],
        }),
        new iam.PolicyStatement({
          actions: ['states:StartExecution'],
          resources: props.machines.map((machine) => machine.stateMachineArn),
        }),
        new iam.PolicyStatement({
          actions: ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:StopExecution'],
          resources: executions,
        }),
        new iam.PolicyStatement({
          actions: ['logs:FilterLogEvents'],
          resources: props.logGroups.map((group) => group.logGroupArn),
        }),
      ],
    });
    acknowledgeNag(
      this.policy,
      `IAM5[Resource::${nagText(this, indexes)}]`,
      "The catalog's indexes (its snapshots by cluster and time); read-only.",
    );
    for (const pattern of executions) {
      acknowledgeNag(
        this.policy,
        `IAM5[Resource::${nagText(this, pattern)}]`,
        'The executions the operator starts have names known only at run time; limited to executions of the Restore and RestoreDrill machines.',
      );
    }
    acknowledgeNag(
      this.policy,
      `IAM5[Resource::${nagText(this, stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${stack.stackName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }))}]`,
      "This stack's id suffix is unknown until it is created; DescribeStacks and ListStackResources only.",
    );
  }
}
