/**
 * The shape of what a function's host gives its handler: the clock, logging and metrics, the stores, the StarRocks
 * FE, Slack and S3. Deployed, lambdas/runtime/aws/* build it over the AWS SDK (one module per SDK client, so a
 * function's bundle loads only what it uses; aws.ts assembles the whole); locally, local/runtime.ts builds the same
 * shape over dynalite, environment secrets and the runner's registry. Handlers take a `Pick` of it and hand plain
 * dependencies to their cores, so no Lambda module can tell which host it runs in.
 *
 * Stores and clients are built on first use (the SDK clients wrapped by the tracer, which is loaded then too): a
 * function's initialisation evaluates only its own code.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { AlertBudget, CatalogStore, ClusterSnapshotRecords } from '#domain/catalog/index.ts';
import type { ManifestStore } from '#domain/catalog/manifest-store.ts';
import type { Clock } from '#domain/clock.ts';
import type { ClusterSettings } from '#domain/config/index.ts';
import type { IncidentStore } from '#domain/incidents/incident-store.ts';
import type { SlackRouting } from '#domain/incidents/slack-routing.ts';
import type { LockStore } from '#domain/lock/index.ts';
import type { AppLogger } from '#domain/logger.ts';
import type { SlackNotifier } from '#domain/notify/slack-notifier.ts';
import type { PauseStore } from '#domain/pause/pause-store.ts';
import type { RetentionSettings } from '#domain/prune/retention-policy.ts';
import type { SnapshotObjectStore } from '#domain/prune/s3-snapshot-objects.ts';
import type { ReportAssets } from '#domain/report/render.ts';
import type { PlanStore } from '#domain/run-plan/plan-store.ts';
import type { FullStarRocksClient } from '#domain/starrocks/index.ts';

/** A built Slack message, as a host that shows alerts sees it. */
export interface ObservedAlert {
  readonly kind: 'backup-failure' | 'run-summary' | 'alert';
  readonly text: string;
  readonly delivered: boolean;
}

/**
 * Runs `work` over one session with a cluster's FE (every client operation: backups, restores, maintenance). The
 * password comes from the cluster's secret; a refused login re-reads it once (it may have been rotated).
 */
export type StarRocksAccess = <T>(
  cluster: ClusterSettings,
  work: (client: FullStarRocksClient) => Promise<T>,
) => Promise<T>;

/** Everything a handler may take from its host. */
export interface LambdaRuntime {
  /** The clock every core reads. */
  readonly clock: Clock;
  /** The structured logger of one function, built once per handler. */
  logger(serviceName: string): Logger;
  /**
   * The function's one Metrics instance, flushed by the pipeline after every invocation. Absent where nothing
   * collects metrics (a host whose stdout is not a log): the cores then emit none.
   */
  readonly metrics?: ((logger: Logger) => Metrics) | undefined;
  /** The lock and slot store. */
  locks(): Promise<LockStore>;
  /** The snapshot catalog. */
  catalog(): Promise<CatalogStore>;
  /** The partition manifests of differential schedules' snapshots (in the catalog table). */
  manifests(): Promise<ManifestStore>;
  /** The per-run alert budget. */
  alerts(): Promise<AlertBudget>;
  /** The run plans (queues of databases). */
  plans(): Promise<PlanStore>;
  /** Pauses of clusters and schedules. */
  pauses(): Promise<PauseStore>;
  /** Open and resolved incidents (freshness, size anomalies). */
  incidents(): Promise<IncidentStore>;
  /** Shared-data clusters' automated snapshots, as the freshness check records them. */
  clusterSnapshots(): Promise<ClusterSnapshotRecords>;
  /** Sessions with a cluster's FE. */
  readonly withStarRocks: StarRocksAccess;
  /**
   * The Slack notifier: the deployment's webhook, or, given a cluster's routing (incidents), its webhook and the
   * Web API with its bot token.
   */
  slack(logger: AppLogger, routing?: SlackRouting): SlackNotifier;
  /** The objects of a repository's snapshots for `retention.s3`, or undefined when S3 removal is not configured. */
  snapshotObjects(retention: RetentionSettings | undefined): Promise<SnapshotObjectStore | undefined>;
  /** EventBridge Scheduler, for the schedule sync (one attempt per call: its caller paces and retries). */
  scheduler(): Promise<SchedulerClient>;
  /** S3 in the function's own Region (the schedule set asset, the weekly report). */
  s3(): Promise<S3Client>;
  /** The files the HTML report inlines (stylesheet, chart library, page script). */
  reportAssets(): ReportAssets;
  /** Sees every Slack message the handlers build, delivered or not; absent where nobody watches. */
  readonly observeAlert?: ((alert: ObservedAlert) => void) | undefined;
}
