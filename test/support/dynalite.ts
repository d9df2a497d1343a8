import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#local/dynamo/client.ts';
import { startEmbeddedDynamo } from '#local/dynamo/embedded.ts';
import { ensureTables } from '#local/dynamo/ensure-tables.ts';

/** A dynalite server for one test file, with the locks and catalog tables created. */
export interface TestDynamo {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** A DocumentClient on the endpoint (dummy credentials, removeUndefinedValues). */
  readonly client: DynamoDBDocumentClient;
  readonly locksTableName: string;
  readonly catalogTableName: string;
  /** Destroys the client and stops the server. */
  close(): Promise<void>;
}

/**
 * Starts dynalite over real HTTP on 127.0.0.1, port 0, in memory (or persisted under `stateDir`), and creates
 * the tables from the shared definitions. Use one per test file (about 30 ms) and close it in `afterAll`.
 */
export async function startTestDynamo(
  options: { stateDir?: string; locksTableName?: string; catalogTableName?: string } = {},
): Promise<TestDynamo> {
  const dynamo = await startEmbeddedDynamo(
    options.stateDir === undefined ? {} : { stateDir: options.stateDir },
  );
  const client = createDocumentClient(dynamo.endpoint);
  const locksTableName = options.locksTableName ?? 'sr-backup-locks';
  const catalogTableName = options.catalogTableName ?? 'sr-backup-catalog';
  try {
    await ensureTables({ client, locksTableName, catalogTableName });
  } catch (error) {
    client.destroy();
    await dynamo.close();
    throw error;
  }
  return {
    endpoint: dynamo.endpoint,
    client,
    locksTableName,
    catalogTableName,
    async close() {
      client.destroy();
      await dynamo.close();
    },
  };
}
