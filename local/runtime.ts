/**
 * The Lambdas' runtime on this machine: the same {@link LambdaRuntime} shape the deployed functions get from
 * lambdas/runtime/aws/, built over the local DynamoDB (dynalite, or any endpoint), secrets from environment
 * variables, lock holders' liveness from this process's execution registry, S3 or an S3-compatible server for
 * retention, and logs on stderr. The local runner hands it to each handler's `createHandler`; nothing in lambdas/
 * knows which host it runs in.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createAlertBudget,
  createCatalogStore,
  createClusterSnapshotRecords,
} from '#domain/catalog/index.ts';
import { createManifestStore } from '#domain/catalog/manifest-store.ts';
import { type Clock, systemClock } from '#domain/clock.ts';
import { createIncidentStore } from '#domain/incidents/incident-store.ts';
import { createLockStore, type HolderLiveness } from '#domain/lock/index.ts';
import { buildAlertMessage } from '#domain/notify/alert-message.ts';
import { renderMessageAsText } from '#domain/notify/render-text.ts';
import type { SlackNotifier } from '#domain/notify/slack-notifier.ts';
import { createPauseStore } from '#domain/pause/pause-store.ts';
import { loadReportAssets } from '#domain/report/assets.ts';
import { createPlanStore } from '#domain/run-plan/plan-store.ts';
import type { EnvironmentVariables } from '#runtime/env.ts';
import type { LambdaRuntime, ObservedAlert } from '#runtime/runtime.ts';
import { createS3Client } from '#runtime/s3-client.ts';
import { createSlack } from '#runtime/slack.ts';
import { createStarRocksAccess } from '#runtime/starrocks.ts';
import { createDocumentClient } from './dynamo/index.ts';
import { localExecutionLiveness } from './runner/execution-registry.ts';
import { createEnvSecretResolver, envWebApiSource } from './runtime/env-secrets.ts';
import type { RunLog } from './runtime/run-log.ts';
import { localS3Settings, localSnapshotObjects } from './runtime/s3-settings.ts';
import { stderrLogger } from './runtime/stderr-logger.ts';

/** Where the local runs keep their locks and catalog. */
export interface LocalTables {
  readonly endpoint: string;
  readonly locksTableName: string;
  readonly catalogTableName: string;
}

/** What a local runtime is built from besides the tables. */
export interface LocalRuntimeOptions {
  readonly clock?: Clock | undefined;
  /**
   * The command's environment: STARROCKS_PASSWORD…, SLACK_WEBHOOK_URL, SLACK_BOT_TOKEN, SLACK_CHANNEL,
   * SLACK_API_URL and the SR_BACKUP_S3_* settings; process.env by default.
   */
  readonly secretEnv?: EnvironmentVariables | undefined;
  /** Sees every Slack message the handlers build, delivered or not. */
  readonly onAlert?: ((alert: ObservedAlert) => void) | undefined;
  /** Whether a lock holder still runs; this process's execution registry by default. */
  readonly livenessOf?: ((holder: string) => Promise<HolderLiveness>) | undefined;
  /** Keeps the handlers' log lines per run as well (`sr-backup logs`); stderr only when undefined. */
  readonly runLog?: RunLog | undefined;
}

/** A local runtime, with what it opened closed by {@link LocalRuntime.close} when the run is over. */
export interface LocalRuntime extends LambdaRuntime {
  /** Closes the clients the runtime opened (the DynamoDB and S3 connections). */
  close(): void;
}

/** Builds `value` on the first call and hands out the same one after. */
function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

/** The runtime of the local runs over `tables`. */
export function createLocalRuntime(tables: LocalTables, options: LocalRuntimeOptions = {}): LocalRuntime {
  const clock = options.clock ?? systemClock;
  const env = options.secretEnv ?? process.env;
  const secrets = createEnvSecretResolver(env);
  const opened: Array<{ destroy(): void }> = [];
  const client = once(() => {
    const documentClient = createDocumentClient(tables.endpoint);
    opened.push(documentClient);
    return documentClient;
  });
  const s3 = once(async () => {
    const s3Client = createS3Client(localS3Settings(undefined, env));
    opened.push(s3Client);
    return s3Client;
  });
  const snapshotObjects = localSnapshotObjects(env);
  const overCatalog = <Store>(
    create: (deps: { client: DynamoDBDocumentClient; tableName: string; clock: Clock }) => Store,
  ) => once(async () => create({ client: client(), tableName: tables.catalogTableName, clock }));

  return {
    clock,
    logger: (serviceName) => stderrLogger(serviceName, options.runLog),
    // No metrics: there is no CloudWatch here, and stdout belongs to the CLI.
    locks: once(async () =>
      createLockStore({
        client: client(),
        tableName: tables.locksTableName,
        clock,
        livenessOf: options.livenessOf ?? localExecutionLiveness,
      }),
    ),
    catalog: overCatalog(createCatalogStore),
    manifests: overCatalog(createManifestStore),
    alerts: overCatalog(createAlertBudget),
    plans: overCatalog(createPlanStore),
    pauses: overCatalog(createPauseStore),
    incidents: overCatalog(createIncidentStore),
    clusterSnapshots: overCatalog(createClusterSnapshotRecords),
    withStarRocks: createStarRocksAccess(secrets),
    slack: (logger, routing) =>
      observed(
        createSlack({
          secrets,
          // Generic alerts go to the webhook, as deployed; an incident's routing may add the Web API.
          webApi: routing === undefined ? undefined : envWebApiSource(routing, env),
          clock,
          logger,
        }),
        options.onAlert,
      ),
    snapshotObjects: snapshotObjects.objects,
    scheduler: () => Promise.reject(new Error('EventBridge Scheduler is not reached from local runs')),
    s3,
    reportAssets: loadReportAssets,
    observeAlert: options.onAlert,
    close() {
      for (const each of opened.splice(0)) each.destroy();
      snapshotObjects.close();
    },
  };
}

/** Generic alerts (size warnings, drills, prune failures) are also shown to `observe`, delivered or not. */
function observed(base: SlackNotifier, observe: ((alert: ObservedAlert) => void) | undefined): SlackNotifier {
  if (observe === undefined) return base;
  return {
    ...base,
    async postAlert(alert, postOptions) {
      const delivery = await base.postAlert(alert, postOptions);
      observe({
        kind: 'alert',
        text: renderMessageAsText(buildAlertMessage(alert)),
        delivered: delivery.delivered,
      });
      return delivery;
    },
  };
}
