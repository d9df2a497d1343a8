import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type AlertBudget,
  type CatalogStore,
  createAlertBudget,
  createCatalogStore,
} from '#domain/catalog/index.ts';
import { createLockStore, type LockStore } from '#domain/lock/index.ts';
import { createPlanStore, type PlanStore } from '#domain/run-plan/plan-store.ts';
import { onRuntimeReset, runtimeClock, runtimeEnv } from './context.ts';
import { executionLiveness } from './liveness.ts';

let documentClient: DynamoDBDocumentClient | undefined;
let lockStore: LockStore | undefined;
let catalogStore: CatalogStore | undefined;
let alertBudget: AlertBudget | undefined;
let planStore: PlanStore | undefined;

onRuntimeReset(() => {
  documentClient?.destroy();
  documentClient = undefined;
  lockStore = undefined;
  catalogStore = undefined;
  alertBudget = undefined;
  planStore = undefined;
});

/** The DynamoDB document client, built once per cold start. */
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  if (documentClient) return documentClient;
  const endpoint = runtimeEnv().dynamodbEndpoint;
  const client = endpoint
    ? // A local DynamoDB-compatible server (dynalite) needs a region and some credentials, never real ones.
      new DynamoDBClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      })
    : new DynamoDBClient({});
  documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return documentClient;
}

/** The lock and slot store. */
export function locks(): LockStore {
  lockStore ??= createLockStore({
    client: dynamoDocumentClient(),
    tableName: runtimeEnv().locksTableName,
    clock: runtimeClock(),
    livenessOf: executionLiveness,
  });
  return lockStore;
}

/** The snapshot catalog. */
export function catalog(): CatalogStore {
  catalogStore ??= createCatalogStore({
    client: dynamoDocumentClient(),
    tableName: runtimeEnv().catalogTableName,
    clock: runtimeClock(),
  });
  return catalogStore;
}

/** The per-run alert budget. */
export function alerts(): AlertBudget {
  alertBudget ??= createAlertBudget({
    client: dynamoDocumentClient(),
    tableName: runtimeEnv().catalogTableName,
    clock: runtimeClock(),
  });
  return alertBudget;
}

/** The run plans (queues of databases) in the catalog table. */
export function plans(): PlanStore {
  planStore ??= createPlanStore({
    client: dynamoDocumentClient(),
    tableName: runtimeEnv().catalogTableName,
    clock: runtimeClock(),
  });
  return planStore;
}
