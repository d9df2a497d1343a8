/**
 * A deployed stack as the CLI's target: its tables and state machines, read from the stack's outputs
 * (CloudFormation DescribeStacks) with the user's AWS credentials, in the region the SDK resolves or `--region`.
 */
import type { Stack } from '@aws-sdk/client-cloudformation';
import { usageError } from './cli-error.ts';

/** `--stack` may come from this variable. */
export const STACK_VARIABLE = 'SR_BACKUP_STACK';

/** The outputs of the stack the CLI uses (cdk/backup-scheduler-stack.ts names them). */
export interface StackOutputs {
  readonly stackName: string;
  readonly region: string | undefined;
  readonly catalogTableName: string;
  readonly locksTableName: string;
  readonly nightlyBackupStateMachineArn: string | undefined;
  readonly backupDatabaseStateMachineArn: string | undefined;
  readonly restoreDrillStateMachineArn: string | undefined;
  /** Absent on a stack deployed before the on-demand Restore machine existed. */
  readonly restoreStateMachineArn: string | undefined;
}

/** The stack named by `--stack` or SR_BACKUP_STACK, or undefined when neither names one. */
export function stackNameOf(
  options: { readonly stack?: string | undefined },
  env: NodeJS.ProcessEnv,
): string | undefined {
  const name = options.stack ?? env[STACK_VARIABLE];
  return name === undefined || name.trim() === '' ? undefined : name.trim();
}

/** Reads the outputs of `stackName`; a missing stack or output is a usage error naming what to pass instead. */
export async function readStackOutputs(stackName: string, region: string | undefined): Promise<StackOutputs> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient({
    ...(region === undefined ? {} : { region }),
    // A person is waiting: fail within seconds, not after the SDK's default retries against a wrong region.
    maxAttempts: 2,
  });
  try {
    let stack: Stack | undefined;
    try {
      stack = (await client.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    } catch (error) {
      // DescribeStacks answers an unknown stack with a ValidationError "Stack with id … does not exist".
      if (
        error instanceof Error &&
        error.name === 'ValidationError' &&
        /does not exist/.test(error.message)
      ) {
        stack = undefined;
      } else {
        throw error;
      }
    }
    const resolvedRegion = await client.config.region().catch(() => region);
    if (stack === undefined) {
      throw usageError(`no stack ${stackName} in ${resolvedRegion ?? 'this region'}`, {
        hint: 'pass the stack name `cdk deploy` printed, and its region with --region (or AWS_REGION)',
      });
    }
    const outputs = new Map((stack.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
    const required = (key: string): string => {
      const value = outputs.get(key);
      if (value === undefined || value === '') {
        throw usageError(
          `stack ${stackName} has no output ${key}: is it a starrocks-backup-scheduler stack?`,
          {
            hint: 'pass --catalog-table and --locks-table instead, or the stack `cdk deploy` created',
          },
        );
      }
      return value;
    };
    return {
      stackName,
      region: resolvedRegion,
      catalogTableName: required('CatalogTableName'),
      locksTableName: required('LocksTableName'),
      nightlyBackupStateMachineArn: outputs.get('NightlyBackupStateMachineArn'),
      backupDatabaseStateMachineArn: outputs.get('BackupDatabaseStateMachineArn'),
      restoreDrillStateMachineArn: outputs.get('RestoreDrillStateMachineArn'),
      restoreStateMachineArn: outputs.get('RestoreStateMachineArn'),
    };
  } finally {
    client.destroy();
  }
}
