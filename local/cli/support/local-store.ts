/**
 * The DynamoDB the local commands use: the embedded dynalite persisted under the state directory (default), in
 * memory (the demo), or any DynamoDB-compatible endpoint (`--dynamodb-endpoint`), with the tables created when
 * missing.
 */
import { existsSync } from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createDocumentClient,
  type EmbeddedDynamo,
  ensureTables,
  publishedEndpoint,
  StateDirBusyError,
  startEmbeddedDynamo,
} from '#local/dynamo/index.ts';
import type { LocalTables } from '#local/runtime.ts';

/** Table names in local mode. */
export const LOCAL_TABLE_NAMES = {
  locksTableName: 'sr-backup-locks',
  catalogTableName: 'sr-backup-catalog',
} as const;

/** The default `--state-dir`. */
export { DEFAULT_STATE_DIR } from './defaults.ts';

import { DEFAULT_STATE_DIR } from './defaults.ts';

/** Where the local DynamoDB is. */
export type StoreLocation =
  | { readonly kind: 'state-dir'; readonly stateDir: string }
  | { readonly kind: 'endpoint'; readonly endpoint: string }
  | { readonly kind: 'memory' };

/** An open local store. */
export interface LocalStore {
  readonly tables: LocalTables;
  readonly client: DynamoDBDocumentClient;
  /** Human description: `.sr-backup/` or `http://…`. */
  readonly description: string;
  close(): Promise<void>;
}

/** The location from `--dynamodb-endpoint` / `--state-dir`. */
export function storeLocation(options: {
  dynamodbEndpoint?: string | undefined;
  stateDir?: string | undefined;
}): StoreLocation {
  if (options.dynamodbEndpoint !== undefined) return { kind: 'endpoint', endpoint: options.dynamodbEndpoint };
  return { kind: 'state-dir', stateDir: options.stateDir ?? DEFAULT_STATE_DIR };
}

/** True when reading from this location would find nothing (a state directory that does not exist yet). */
export function storeIsAbsent(location: StoreLocation): boolean {
  return location.kind === 'state-dir' && !existsSync(location.stateDir);
}

/**
 * Opens the store and makes sure both tables exist. Throws StateDirBusyError when another process uses the
 * state directory (unless `shareWithRunning` and that process publishes its server), and the SDK's error when the
 * endpoint cannot be reached.
 *
 * @param options.shareWithRunning a command that only reads (snapshots, status, plan) uses the server of the
 *   command holding the state directory, so it works while a local run is going.
 */
export async function openLocalStore(
  location: StoreLocation,
  options: { readonly shareWithRunning?: boolean } = {},
): Promise<LocalStore> {
  let embedded: EmbeddedDynamo | undefined;
  let endpoint: string;
  let description: string;
  if (location.kind === 'endpoint') {
    endpoint = location.endpoint;
    description = endpoint;
  } else if (location.kind === 'memory') {
    embedded = await startEmbeddedDynamo({});
    endpoint = embedded.endpoint;
    description = 'memory';
  } else {
    description = `${location.stateDir.replace(/\/+$/, '')}/`;
    try {
      embedded = await startEmbeddedDynamo({ stateDir: location.stateDir });
      endpoint = embedded.endpoint;
    } catch (error) {
      const shared = options.shareWithRunning ? await publishedEndpoint(location.stateDir) : undefined;
      if (!(error instanceof StateDirBusyError) || shared === undefined) throw error;
      endpoint = shared;
      description = `${description} (through the running command's server)`;
    }
  }
  const client = createDocumentClient(endpoint);
  const close = async (): Promise<void> => {
    client.destroy();
    await embedded?.close();
  };
  try {
    await ensureTables({ client, ...LOCAL_TABLE_NAMES });
  } catch (error) {
    await close();
    throw error;
  }
  return { tables: { endpoint, ...LOCAL_TABLE_NAMES }, client, description, close };
}
