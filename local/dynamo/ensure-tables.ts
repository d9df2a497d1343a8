import {
  CreateTableCommand,
  DescribeTableCommand,
  type DescribeTableCommandOutput,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CATALOG_TABLE, LOCKS_TABLE, type TableDefinition, toCreateTableInput } from '#domain/tables.ts';
import { TableSchemaMismatchError } from './errors.ts';

/** How long a table may stay CREATING before we give up (dynalite: milliseconds; DynamoDB Local: seconds). */
const ACTIVE_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 25;

/**
 * Creates the locks and catalog tables from the shared definitions when they are missing, then waits until
 * both (and their indexes) are ACTIVE. Safe when several runs start at once: losing the CreateTable race
 * (ResourceInUseException) is fine. An existing table with other keys or without our indexes is refused.
 */
export async function ensureTables(options: {
  client: DynamoDBDocumentClient;
  locksTableName: string;
  catalogTableName: string;
}): Promise<void> {
  await Promise.all([
    ensureTable(options.client, LOCKS_TABLE, options.locksTableName),
    ensureTable(options.client, CATALOG_TABLE, options.catalogTableName),
  ]);
}

async function ensureTable(
  client: DynamoDBDocumentClient,
  def: TableDefinition,
  tableName: string,
): Promise<void> {
  const existing = await describe(client, tableName);
  if (existing === undefined) {
    try {
      await client.send(new CreateTableCommand(toCreateTableInput(def, tableName)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException || (error as Error).name === 'ResourceInUseException'))
        throw error;
    }
  }
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const table = await describe(client, tableName);
    if (table !== undefined) {
      checkSchema(def, tableName, table);
      const indexesActive = (table.GlobalSecondaryIndexes ?? []).every(
        (index) => index.IndexStatus === 'ACTIVE',
      );
      if (table.TableStatus === 'ACTIVE' && indexesActive) return;
    }
    if (Date.now() > deadline)
      throw new Error(`table ${tableName} did not become ACTIVE within ${ACTIVE_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

async function describe(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<NonNullable<DescribeTableCommandOutput['Table']> | undefined> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return out.Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException') {
      return undefined;
    }
    throw error;
  }
}

function checkSchema(
  def: TableDefinition,
  tableName: string,
  table: NonNullable<DescribeTableCommandOutput['Table']>,
): void {
  const expected = toCreateTableInput(def, tableName);
  const keys = (
    schema: readonly { AttributeName?: string | undefined; KeyType?: string | undefined }[] | undefined,
  ) => (schema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
  const problems: string[] = [];
  if (keys(table.KeySchema) !== keys(expected.KeySchema)) {
    problems.push(`key schema is ${keys(table.KeySchema)}, expected ${keys(expected.KeySchema)}`);
  }
  for (const index of expected.GlobalSecondaryIndexes ?? []) {
    const found = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === index.IndexName);
    if (found === undefined) problems.push(`index ${index.IndexName} is missing`);
    else if (keys(found.KeySchema) !== keys(index.KeySchema))
      problems.push(`index ${index.IndexName} has other keys`);
  }
  if (problems.length > 0) {
    throw new TableSchemaMismatchError(
      `table ${tableName} exists but does not match the ${def.logicalName} definition: ${problems.join('; ')}`,
    );
  }
}
