import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../shared/clock.ts';
import { isConditionFailure } from './conditions.ts';
import { alertBudgetKey } from './keys.ts';

/** Budget items expire (DynamoDB TTL on the catalog table) this long after their last write. */
export const ALERT_BUDGET_RETENTION_DAYS = 90;

/** What the alert budget needs from its environment. */
export interface AlertBudgetDeps {
  readonly client: DynamoDBDocumentClient;
  /** Physical name of the catalog table (the budget lives there, keyed by run). */
  readonly tableName: string;
  readonly clock: Clock;
}

/** How much of a run's alert budget was used. */
export interface AlertBudgetUsage {
  /** Per-database alerts sent (claims that returned true). */
  readonly claimed: number;
  /** Claims refused because the budget was spent: alerts the run summary must mention. */
  readonly heldBack: number;
}

/** The per-run limit on per-database Slack alerts. */
export interface AlertBudget {
  /**
   * Claims one alert of the run: true for the first `limit` claims, false after that (and the refusal is
   * counted as held back). Atomic across concurrent executions: one conditional ADD on one item.
   */
  claimAlertSlot(request: { runId: string; limit: number }): Promise<boolean>;
  /** The counters of a run (zeros when nothing was claimed). */
  readAlertBudget(runId: string): Promise<AlertBudgetUsage>;
}

/** Builds the alert budget over the catalog table. */
export function createAlertBudget(deps: AlertBudgetDeps): AlertBudget {
  const { client, tableName, clock } = deps;
  const expiresAt = () => Math.floor(clock.now() / 1000) + ALERT_BUDGET_RETENTION_DAYS * 86_400;

  async function countHeldBack(runId: string): Promise<void> {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: alertBudgetKey(runId),
        UpdateExpression: 'ADD heldBack :one SET runId = :runId, expiresAtEpochSeconds = :expires',
        ExpressionAttributeValues: { ':one': 1, ':runId': runId, ':expires': expiresAt() },
      }),
    );
  }

  return {
    async claimAlertSlot({ runId, limit }) {
      if (!Number.isInteger(limit) || limit < 1) {
        await countHeldBack(runId);
        return false;
      }
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: alertBudgetKey(runId),
            UpdateExpression: 'ADD claimed :one SET runId = :runId, expiresAtEpochSeconds = :expires',
            ConditionExpression: 'attribute_not_exists(claimed) OR claimed < :limit',
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': limit,
              ':runId': runId,
              ':expires': expiresAt(),
            },
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        await countHeldBack(runId);
        return false;
      }
    },

    async readAlertBudget(runId) {
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: alertBudgetKey(runId), ConsistentRead: true }),
      );
      return { claimed: Number(out.Item?.claimed ?? 0), heldBack: Number(out.Item?.heldBack ?? 0) };
    },
  };
}
