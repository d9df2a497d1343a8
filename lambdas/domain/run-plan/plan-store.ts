import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '#domain/catalog/conditions.ts';
import type { Clock } from '#domain/clock.ts';
import type { PlannedDatabase } from '#domain/workflow/run-state.ts';

/**
 * A run's plan, kept in the catalog table instead of the execution's state, so that nothing in a state grows with
 * the number of databases (Step Functions refuses states over 256 KiB with States.DataLimitExceeded, which nothing
 * catches: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). The plan is a queue in
 * longest-expected-first order, cut into pages of PLAN_PAGE_SIZE entries; lanes take the next entry one at a time.
 *
 * | item | pk | sk |
 * |---|---|---|
 * | head (total, claim counter, each lane's last claim) | `PLAN#<runId>` | `HEAD` |
 * | a page of entries | `PLAN#<runId>` | `PAGE#<n>` (zero-padded) |
 *
 * Plan items expire (the table's TTL attribute) a week after the run: the catalog's attempt items are the record.
 */

/** Entries per page item: 100 entries of about 250 bytes stay far below DynamoDB's 400 KB item size. */
export const PLAN_PAGE_SIZE = 100;
const PLAN_RETENTION_SECONDS = 7 * 86_400;
const BATCH_WRITE_LIMIT = 25;

/**
 * One database of the plan, as the lane that takes it passes it to its BackupDatabase execution (with `problem`
 * when planning found one of this database alone: its execution records and alerts it without the FE).
 */
export type PlanEntry = PlannedDatabase;

/** What a lane's claim found: the next entry, or that the queue is drained. */
export type Claim =
  | { readonly done: false; readonly index: number; readonly iteration: number; readonly entry: PlanEntry }
  | { readonly done: true; readonly index: null; readonly iteration: number };

/** The plan store's needs. */
export interface PlanStoreDeps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}

/** The run plans of the catalog table. */
export interface PlanStore {
  /** Writes the plan of a run once (a retried write rewrites the same items). */
  writePlan(request: {
    runId: string;
    scheduledTime: string;
    entries: readonly PlanEntry[];
    /** Entries per page item (PLAN_PAGE_SIZE unless a test asks for more pages). */
    pageSize?: number;
  }): Promise<void>;
  /**
   * Takes the next entry of the queue for `lane`'s `iteration`-th claim. Idempotent: a retried claim of the same lane
   * and iteration (its first answer lost) gets the same entry, and a claim never skips or repeats an entry. A claim
   * number the lane already passed (an earlier generation went further) claims after it; the answer says which
   * number was used, and the lane counts on from there.
   */
  claimNext(request: { runId: string; lane: number; iteration: number }): Promise<Claim>;
  /** Every entry of the plan, in queue order (for the run's summary). */
  readEntries(runId: string): Promise<PlanEntry[]>;
}

/** Builds the plan store over the catalog table. */
export function createPlanStore(deps: PlanStoreDeps): PlanStore {
  const { client, tableName, clock } = deps;
  const expiresAt = () => Math.floor(clock.now() / 1000) + PLAN_RETENTION_SECONDS;

  async function readPage(runId: string, page: number): Promise<readonly PlanEntry[]> {
    const out = await client.send(
      new GetCommand({ TableName: tableName, Key: pageKey(runId, page), ConsistentRead: true }),
    );
    return (out.Item?.entries as PlanEntry[] | undefined) ?? [];
  }

  type Claimed = { index: number; pageSize: number; iteration: number };

  async function claimedIndex(runId: string, lane: number, requested: number): Promise<Claimed> {
    let iteration = requested;
    for (let round = 0; round < 3; round++) {
      const claimed = await claimOnce(runId, lane, iteration);
      if ('index' in claimed) return claimed;
      iteration = claimed.behind + 1;
    }
    throw new Error(`lane ${lane} of run ${runId} could not claim past claim ${iteration}`);
  }

  async function claimOnce(
    runId: string,
    lane: number,
    iteration: number,
  ): Promise<Claimed | { behind: number }> {
    const names = {
      '#claimed': 'claimed',
      '#iteration': `lane${lane}Iteration`,
      '#index': `lane${lane}Index`,
    };
    try {
      const out = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: headKey(runId),
          // The right-hand `#claimed` is the value before this update: the index this claim takes.
          UpdateExpression: 'SET #claimed = #claimed + :one, #iteration = :iteration, #index = #claimed',
          ConditionExpression:
            'attribute_exists(#claimed) AND (attribute_not_exists(#iteration) OR #iteration < :iteration)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':one': 1, ':iteration': iteration },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return {
        index: Number(out.Attributes?.[names['#index']]),
        pageSize: Number(out.Attributes?.pageSize ?? PLAN_PAGE_SIZE),
        iteration,
      };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // The same claim again (its first answer was lost): it keeps the index it took.
    const head = await client.send(
      new GetCommand({ TableName: tableName, Key: headKey(runId), ConsistentRead: true }),
    );
    if (head.Item === undefined) throw new Error(`run ${runId} has no plan`);
    const stored = Number(head.Item[names['#iteration']]);
    if (stored !== iteration) return { behind: stored };
    return {
      index: Number(head.Item[names['#index']]),
      pageSize: Number(head.Item.pageSize ?? PLAN_PAGE_SIZE),
      iteration,
    };
  }

  return {
    async writePlan({ runId, scheduledTime, entries, pageSize = PLAN_PAGE_SIZE }) {
      const expires = expiresAt();
      const pages = Math.ceil(entries.length / pageSize);
      const items: Record<string, unknown>[] = [];
      for (let page = 0; page < pages; page++) {
        const slice = entries.slice(page * pageSize, (page + 1) * pageSize);
        items.push({ ...pageKey(runId, page), entries: slice, expiresAtEpochSeconds: expires });
      }
      for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
        await writeBatch(client, tableName, items.slice(start, start + BATCH_WRITE_LIMIT));
      }
      // The head last: a lane can only claim once every page is written. A rewritten head keeps its counter.
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: headKey(runId),
          UpdateExpression:
            'SET #total = :total, #scheduledTime = :scheduledTime, pageSize = :pageSize, #claimed = if_not_exists(#claimed, :zero), expiresAtEpochSeconds = :expires',
          ExpressionAttributeNames: {
            '#total': 'total',
            '#scheduledTime': 'scheduledTime',
            '#claimed': 'claimed',
          },
          ExpressionAttributeValues: {
            ':total': entries.length,
            ':scheduledTime': scheduledTime,
            ':zero': 0,
            ':pageSize': pageSize,
            ':expires': expires,
          },
        }),
      );
    },

    async claimNext({ runId, lane, iteration }) {
      const claimed = await claimedIndex(runId, lane, iteration);
      const { index, pageSize } = claimed;
      const entry = (await readPage(runId, Math.floor(index / pageSize)))[index % pageSize];
      return entry === undefined
        ? { done: true, index: null, iteration: claimed.iteration }
        : { done: false, index, iteration: claimed.iteration, entry };
    },

    async readEntries(runId) {
      const entries: PlanEntry[] = [];
      let startKey: QueryCommandOutput['LastEvaluatedKey'];
      do {
        const out: QueryCommandOutput = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :page)',
            ExpressionAttributeValues: { ':pk': planPartitionKey(runId), ':page': 'PAGE#' },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of out.Items ?? [])
          entries.push(...((item.entries as PlanEntry[] | undefined) ?? []));
        startKey = out.LastEvaluatedKey;
      } while (startKey !== undefined);
      return entries;
    },
  };
}

/** Writes up to 25 items, retrying what DynamoDB left unprocessed (it may, under load). */
async function writeBatch(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
): Promise<void> {
  let requests = items.map((item) => ({ PutRequest: { Item: item } }));
  for (let round = 0; requests.length > 0; round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** round)));
    if (round > 8) throw new Error(`DynamoDB left ${requests.length} plan items unwritten`);
    const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
    requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
  }
}

function planPartitionKey(runId: string): string {
  return `PLAN#${runId.replaceAll('%', '%25').replaceAll('#', '%23')}`;
}

function headKey(runId: string): { pk: string; sk: string } {
  return { pk: planPartitionKey(runId), sk: 'HEAD' };
}

function pageKey(runId: string, page: number): { pk: string; sk: string } {
  return { pk: planPartitionKey(runId), sk: `PAGE#${String(page).padStart(6, '0')}` };
}
