import type { TaskFunctionName } from '#statemachines/definitions.ts';

/** A DynamoDB data-plane action as IAM names it. */
export type DynamoAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:Query'
  | 'dynamodb:BatchWriteItem';

/** What one Task function touches: the source of every grant and of its network placement. */
export interface FunctionAccess {
  /** What the function does, for its description. */
  readonly purpose: string;
  /** Talks to the StarRocks FE over MySQL: runs in the configured VPC and reads the FE password secrets. */
  readonly reachesFrontEnd: boolean;
  /** Actions on the locks table (lock and slot items; never DeleteItem or Scan). */
  readonly locks: readonly DynamoAction[];
  /** Actions on the catalog table (base table only, unless queriesCatalogIndexes). */
  readonly catalog: readonly DynamoAction[];
  /**
   * Actions on the catalog table's manifest partitions only (partition key `MANIFEST#…`, enforced with the
   * `dynamodb:LeadingKeys` condition key). @default []
   */
  readonly manifests?: readonly DynamoAction[];
  /** Its Query (in `catalog`) also reads the catalog's indexes (a cluster's attempts by time). @default false */
  readonly queriesCatalogIndexes?: boolean;
  /** Reads the Slack webhook secret. */
  readonly slackWebhook: boolean;
  /** Calls states:DescribeExecution on BackupDatabase executions (is a lock or slot holder still alive?). */
  readonly describesBackupExecutions: boolean;
  /**
   * Throws typed errors as control flow (a busy slot, a held lock, a job already running) that the ASL
   * retries by design: its Lambda Errors metric is not a failure signal, so it gets no Errors alarm.
   */
  readonly throwsForControlFlow: boolean;
}

const GET = 'dynamodb:GetItem';
const PUT = 'dynamodb:PutItem';
const UPDATE = 'dynamodb:UpdateItem';
const QUERY = 'dynamodb:Query';
const BATCH_WRITE = 'dynamodb:BatchWriteItem';

/**
 * Each Task function's needs, read from the code (lambdas/domain/lock, lambdas/domain/catalog and each core):
 * - lock store: acquire = Query (slots) + UpdateItem + GetItem (current holder); renew (which is also the fence,
 *   a conditional write on the token) and release = UpdateItem;
 * - catalog store: recordAttempt = PutItem (+ GetItem after a lost condition); listAttemptsAt, recentDurations
 *   and listRun = Query; the alert budget = UpdateItem + GetItem.
 */
export const FUNCTION_ACCESS: Readonly<Record<TaskFunctionName, FunctionAccess>> = {
  ResolveDatabases: {
    purpose: "Checks pauses and the cluster, lists the databases to back up, writes the run's queue",
    reachesFrontEnd: true,
    locks: [],
    // Query: the pause items and the latest good backups of the cluster (one partition each); BatchWriteItem +
    // UpdateItem: the queue's pages and head (lambdas/domain/run-plan).
    catalog: [GET, QUERY, BATCH_WRITE, UPDATE],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  ClaimDatabase: {
    purpose: "Takes the next database of a run's queue for one lane",
    reachesFrontEnd: false,
    locks: [],
    // UpdateItem: the queue's claim counter; GetItem: the page holding the claimed entry.
    catalog: [UPDATE, GET],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  AcquireSlot: {
    purpose: "Takes one of the cluster's backup slots",
    reachesFrontEnd: false,
    locks: [QUERY, UPDATE, GET],
    catalog: [],
    slackWebhook: false,
    describesBackupExecutions: true,
    throwsForControlFlow: true,
  },
  AcquireLock: {
    purpose: 'Takes the per-database lock',
    reachesFrontEnd: false,
    locks: [UPDATE, GET],
    catalog: [],
    slackWebhook: false,
    describesBackupExecutions: true,
    throwsForControlFlow: true,
  },
  SettleOrphans: {
    purpose: 'Settles what an ended lock or slot holder left: its StarRocks job, its record, its leases',
    reachesFrontEnd: true,
    // Query: the leases an ended execution still holds; GetItem + UpdateItem: take them over and release them.
    locks: [QUERY, GET, UPDATE],
    // Query: the slot's recorded attempts; PutItem + GetItem: record the inherited attempt.
    catalog: [QUERY, PUT, GET],
    slackWebhook: false,
    describesBackupExecutions: true,
    throwsForControlFlow: false,
  },
  SubmitBackup: {
    purpose: 'Submits BACKUP SNAPSHOT or adopts an earlier attempt of the same slot',
    reachesFrontEnd: true,
    // GetItem: this execution's own earlier submission, noted on its lock. UpdateItem on the catalog: the lostAt
    // mark of a recorded snapshot the repository no longer holds.
    locks: [UPDATE, GET],
    catalog: [QUERY, UPDATE],
    // A differential schedule's manifests (lambdas/domain/catalog/manifest-store.ts): BatchWriteItem (chunks in,
    // stale chunks out) and PutItem (the head), only on MANIFEST# partitions.
    manifests: [BATCH_WRITE, PUT],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: true,
  },
  CheckBackup: {
    purpose: 'Polls SHOW BACKUP and renews the leases',
    reachesFrontEnd: true,
    locks: [UPDATE],
    catalog: [],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  CancelBackup: {
    purpose: 'Cancels a backup past its deadline',
    reachesFrontEnd: true,
    locks: [UPDATE],
    catalog: [],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  CancelIfOurs: {
    purpose: 'Cancels our StarRocks job after an error, only if it is still ours',
    reachesFrontEnd: true,
    locks: [UPDATE],
    catalog: [],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  VerifySnapshot: {
    purpose: "Checks that SHOW SNAPSHOT lists the finished snapshot (and a differential's full)",
    reachesFrontEnd: true,
    locks: [UPDATE],
    // Query + UpdateItem: markLost on a differential's full the repository no longer holds.
    catalog: [QUERY, UPDATE],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  RecordResult: {
    purpose: 'Writes the outcome of a backup attempt to the catalog',
    reachesFrontEnd: false,
    locks: [UPDATE],
    // UpdateItem: the latest-good pointer's unchangedThrough after a differential schedule's unchanged night.
    catalog: [PUT, GET, UPDATE],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  ReleaseLeases: {
    purpose: 'Frees the lock and the slot',
    reachesFrontEnd: false,
    locks: [UPDATE],
    catalog: [],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  NotifyFailure: {
    purpose: 'Posts the Slack alert of a failed backup',
    reachesFrontEnd: false,
    locks: [],
    catalog: [UPDATE, GET],
    slackWebhook: true,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  SummarizeRun: {
    purpose: 'Summarizes a nightly run from the catalog',
    reachesFrontEnd: false,
    locks: [],
    // PutItem: the "warned once" marker of a size anomaly (lambdas/domain/size-anomaly); Query: earlier sizes.
    catalog: [QUERY, GET, PUT],
    slackWebhook: true,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  PlanDrill: {
    purpose: 'Checks pauses, chooses the snapshot and the scratch database of a restore drill',
    reachesFrontEnd: false,
    locks: [],
    // Query: the pause items of the cluster, the latest-good pointers and earlier drills, and (a chain drill) the
    // manifests of a differential and its full (manifest-store.ts readManifest); the table-wide Query covers them.
    catalog: [QUERY],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  PlanRestore: {
    purpose: "Chooses the snapshot and checks the names of an operator's on-demand restore",
    reachesFrontEnd: false,
    locks: [],
    // Query: the database's snapshots (by label, by time, the latest-good pointers) and earlier drills.
    catalog: [QUERY],
    slackWebhook: false,
    describesBackupExecutions: false,
    // Its errors answer the operator's request (an unknown label, a refused name) and end that execution, which
    // the CLI reports: they are not a failure of the deployment.
    throwsForControlFlow: true,
  },
  SubmitRestore: {
    purpose: "Submits a restore drill's or an on-demand restore's RESTORE",
    reachesFrontEnd: true,
    // UpdateItem: renewals and the submission noted on the lock; GetItem: the submission an earlier attempt noted
    // (lock-store.ts noteSubmission reads the lease first), which an on-demand restore reads.
    locks: [UPDATE, GET],
    catalog: [],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: true,
  },
  CheckRestore: {
    purpose: 'Polls SHOW RESTORE and renews the leases',
    reachesFrontEnd: true,
    locks: [UPDATE],
    catalog: [],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  NextRestoreStep: {
    purpose: "Drops the partitions of a chain drill's step between two RESTOREs and names the next one",
    reachesFrontEnd: true,
    // UpdateItem: renews both leases, the fence before any DROP PARTITION.
    locks: [UPDATE],
    catalog: [],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  CancelRestore: {
    purpose: 'Cancels a RESTORE at its deadline or after an error, only if it is ours',
    reachesFrontEnd: true,
    locks: [UPDATE],
    catalog: [],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  VerifyRestore: {
    purpose: 'Checks the tables and rows a restore or drill restored',
    reachesFrontEnd: true,
    locks: [UPDATE],
    catalog: [],
    // Query: a chain drill's differential manifest, compared with the restored partitions (readManifest).
    manifests: [QUERY],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  DropScratch: {
    purpose: "Drops a drill's scratch database, or the empty database a failed restore created",
    reachesFrontEnd: true,
    locks: [UPDATE],
    catalog: [],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  RecordDrill: {
    purpose: 'Writes a restore drill to the catalog',
    reachesFrontEnd: false,
    locks: [],
    catalog: [PUT],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  NotifyDrill: {
    purpose: 'Posts the Slack alert of a restore drill that did not prove the restore',
    reachesFrontEnd: false,
    locks: [],
    catalog: [],
    slackWebhook: true,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  PruneSnapshots: {
    purpose: "Applies the cluster's snapshot retention after a nightly run (DROP SNAPSHOT or S3)",
    reachesFrontEnd: true,
    // Query: the locks of the cluster (a restore or drill reading a snapshot holds one with its label).
    locks: [QUERY],
    // Query: latest-good pointers and a database's attempts; UpdateItem: the prunedAt mark.
    catalog: [QUERY, UPDATE],
    // BatchWriteItem: a pruned snapshot's manifest deleted (manifest-store.ts deleteManifest).
    manifests: [BATCH_WRITE],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  NotifyPruneFailure: {
    purpose: 'Posts the Slack warning of a failed or incomplete prune',
    reachesFrontEnd: false,
    locks: [],
    catalog: [],
    slackWebhook: true,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  CheckFreshness: {
    purpose: 'Checks that every selected database has a recent good snapshot and that a schedule covers it',
    reachesFrontEnd: true,
    // Query: the locks of the cluster (a lock held far past our deadline is a stuck run).
    locks: [QUERY],
    // Query: latest-good pointers, the attempts of a slot, pauses, incidents and first sightings;
    // PutItem: a new incident, sighting or cluster snapshot record; UpdateItem: an incident's state.
    catalog: [QUERY, PUT, UPDATE],
    slackWebhook: false,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
  NotifyIncidents: {
    purpose: 'Posts the Slack alerts and recovery notices of freshness and coverage incidents',
    reachesFrontEnd: false,
    locks: [],
    // Query: the cluster's incidents; UpdateItem: what became of each message.
    catalog: [QUERY, UPDATE],
    slackWebhook: true,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
};

/** The functions no state machine invokes that read the tables (an EventBridge Scheduler schedule invokes them). */
export type ScheduledFunctionName = 'WriteReport';

/** Each scheduled function's needs, as FUNCTION_ACCESS for the Tasks. */
export const SCHEDULED_FUNCTION_ACCESS: Readonly<Record<ScheduledFunctionName, FunctionAccess>> = {
  WriteReport: {
    purpose: "Writes the past week's backup report to S3 and posts its Slack digest",
    reachesFrontEnd: false,
    locks: [],
    // Query only (lambdas/domain/report/collect.ts): the period's attempts and a cluster's drills (the byClusterTime
    // index), the latest-good pointers and each database's attempts, pauses, paused slots and incidents. It
    // writes nothing to the catalog.
    catalog: [QUERY],
    queriesCatalogIndexes: true,
    slackWebhook: true,
    describesBackupExecutions: false,
    throwsForControlFlow: false,
  },
};
