/**
 * DynamoDB for deployed functions: one traced document client per cold start, and the stores over the two tables,
 * each built on first use. The lock store lives in locks.ts (it also needs Step Functions).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type AlertBudget,
  type CatalogStore,
  type ClusterSnapshotRecords,
  createAlertBudget,
  createCatalogStore,
  createClusterSnapshotRecords,
} from '#domain/catalog/index.ts';
import { createManifestStore, type ManifestStore } from '#domain/catalog/manifest-store.ts';
import { type Clock, systemClock } from '#domain/clock.ts';
import { createIncidentStore, type IncidentStore } from '#domain/incidents/incident-store.ts';
import { createPauseStore, type PauseStore } from '#domain/pause/pause-store.ts';
import { createPlanStore, type PlanStore } from '#domain/run-plan/plan-store.ts';
import { traced } from '../tracer.ts';
import { awsEnv } from './env.ts';

let documentClient: Promise<DynamoDBDocumentClient> | undefined;

/** The DynamoDB document client, traced, built once per cold start. */
export function awsDocumentClient(): Promise<DynamoDBDocumentClient> {
  documentClient ??= traced(new DynamoDBClient({})).then((client) =>
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
  );
  return documentClient;
}

type CatalogTableStore<Store> = (deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
}) => Store;

async function overCatalogTable<Store>(create: CatalogTableStore<Store>): Promise<Store> {
  return create({
    client: await awsDocumentClient(),
    tableName: awsEnv().catalogTableName,
    clock: systemClock,
  });
}

let catalog: Promise<CatalogStore> | undefined;
let alerts: Promise<AlertBudget> | undefined;
let plans: Promise<PlanStore> | undefined;
let pauses: Promise<PauseStore> | undefined;
let incidents: Promise<IncidentStore> | undefined;
let clusterSnapshots: Promise<ClusterSnapshotRecords> | undefined;

/** The snapshot catalog. */
export function awsCatalog(): Promise<CatalogStore> {
  catalog ??= overCatalogTable(createCatalogStore);
  return catalog;
}

let manifests: Promise<ManifestStore> | undefined;

/** The partition manifests of differential snapshots. */
export function awsManifests(): Promise<ManifestStore> {
  manifests ??= overCatalogTable(createManifestStore);
  return manifests;
}

/** The per-run alert budget. */
export function awsAlerts(): Promise<AlertBudget> {
  alerts ??= overCatalogTable(createAlertBudget);
  return alerts;
}

/** The run plans (queues of databases). */
export function awsPlans(): Promise<PlanStore> {
  plans ??= overCatalogTable(createPlanStore);
  return plans;
}

/** Pauses of clusters and schedules. */
export function awsPauses(): Promise<PauseStore> {
  pauses ??= overCatalogTable(createPauseStore);
  return pauses;
}

/** Open and resolved incidents. */
export function awsIncidents(): Promise<IncidentStore> {
  incidents ??= overCatalogTable(createIncidentStore);
  return incidents;
}

/** Shared-data clusters' automated snapshots. */
export function awsClusterSnapshots(): Promise<ClusterSnapshotRecords> {
  clusterSnapshots ??= overCatalogTable(createClusterSnapshotRecords);
  return clusterSnapshots;
}
