import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Builds the DocumentClient for a local DynamoDB-compatible endpoint (dynalite, DynamoDB Local).
 * Region and credentials are fixed dummies so local mode never needs AWS settings in the environment
 * (the SDK refuses to sign a request without them, even for a local endpoint).
 */
export function createDocumentClient(endpoint: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
