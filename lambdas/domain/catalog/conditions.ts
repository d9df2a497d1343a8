import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** True for DynamoDB's "condition not met" answer, however the SDK wrapped it. */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}
