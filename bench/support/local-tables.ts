import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, ensureTables, startEmbeddedDynamo } from '#local/dynamo/index.ts';
import type { LocalTables } from '#local/runner/run-nightly.ts';

/** An in-memory dynalite with the locks and catalog tables, for one benchmark. */
export interface BenchTables extends LocalTables {
  readonly client: DynamoDBDocumentClient;
  close(): Promise<void>;
}

/** Starts dynalite over real HTTP on 127.0.0.1 (port 0) and creates the project's two tables. */
export async function startBenchTables(): Promise<BenchTables> {
  const dynamo = await startEmbeddedDynamo();
  const client = createDocumentClient(dynamo.endpoint);
  const locksTableName = 'bench-locks';
  const catalogTableName = 'bench-catalog';
  try {
    await ensureTables({ client, locksTableName, catalogTableName });
  } catch (error) {
    client.destroy();
    await dynamo.close();
    throw error;
  }
  return {
    endpoint: dynamo.endpoint,
    locksTableName,
    catalogTableName,
    client,
    async close() {
      client.destroy();
      await dynamo.close();
    },
  };
}
