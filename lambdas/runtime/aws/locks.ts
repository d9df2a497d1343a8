import { SFNClient } from '@aws-sdk/client-sfn';
import { systemClock } from '#domain/clock.ts';
import { createLockStore, type LockStore } from '#domain/lock/index.ts';
import { createExecutionLiveness } from '../liveness.ts';
import { traced } from '../tracer.ts';
import { awsDocumentClient } from './dynamo.ts';
import { awsEnv } from './env.ts';

let sfn: Promise<SFNClient> | undefined;
let locks: Promise<LockStore> | undefined;

/** Step Functions, traced, for DescribeExecution on lock holders. */
export function awsStepFunctions(): Promise<SFNClient> {
  sfn ??= traced(new SFNClient({}));
  return sfn;
}

/** The lock and slot store; a holder's liveness is its execution's status. */
export function awsLocks(): Promise<LockStore> {
  locks ??= awsDocumentClient().then((client) =>
    createLockStore({
      client,
      tableName: awsEnv().locksTableName,
      clock: systemClock,
      livenessOf: createExecutionLiveness(awsStepFunctions),
    }),
  );
  return locks;
}
