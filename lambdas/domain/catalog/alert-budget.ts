import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/clock.ts';
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
  /** Per-database alerts sent (distinct claimants granted). */
  readonly claimed: number;
  /** Distinct claimants refused because the budget was spent: alerts the run summary must mention. */
  readonly heldBack: number;
}

/** The per-run limit on per-database Slack alerts. */
export interface AlertBudget {
  /**
   * Claims one alert of the run for `claimant` (the database): true for the first `limit` distinct claimants,
   * false after that (and the refusal is counted as held back). Idempotent per claimant, so a retried alert
   * step neither spends a second slot nor counts twice. Atomic across concurrent executions: one conditional
   * update of one item.
   */
  claimAlertSlot(request: { runId: string; claimant: string; limit: number }): Promise<boolean>;
  /** The counters of a run (zeros when nothing was claimed). */
  readAlertBudget(runId: string): Promise<AlertBudgetUsage>;
  /**
   * Notes that `claimant`'s failure in the run has been handled by NotifyFailure (posted, held back, or shown
   * locally without a webhook), and says whether it was the first time: a settler re-sending an ended holder's
   * alert sends it only then, so that alert goes out at most once.
   */
  noteNotified(request: { runId: string; claimant: string }): Promise<boolean>;
}

/** Builds the alert budget over the catalog table. */
export function createAlertBudget(deps: AlertBudgetDeps): AlertBudget {
  const { client, tableName, clock } = deps;
  const expiresAt = () => Math.floor(clock.now() / 1000) + ALERT_BUDGET_RETENTION_DAYS * 86_400;

  async function readItem(runId: string) {
    const out = await client.send(
      new GetCommand({ TableName: tableName, Key: alertBudgetKey(runId), ConsistentRead: true }),
    );
    return {
      granted: new Set<string>((out.Item?.granted as Set<string> | undefined) ?? []),
      refused: new Set<string>((out.Item?.refused as Set<string> | undefined) ?? []),
    };
  }

  async function countHeldBack(runId: string, claimant: string): Promise<void> {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: alertBudgetKey(runId),
        UpdateExpression: 'ADD refused :claimant SET runId = :runId, expiresAtEpochSeconds = :expires',
        ExpressionAttributeValues: {
          ':claimant': new Set([claimant]),
          ':runId': runId,
          ':expires': expiresAt(),
        },
      }),
    );
  }

  return {
    async claimAlertSlot({ runId, claimant, limit }) {
      if (!Number.isInteger(limit) || limit < 1) {
        await countHeldBack(runId, claimant);
        return false;
      }
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: alertBudgetKey(runId),
            UpdateExpression:
              'ADD granted :claimant, claimed :one SET runId = :runId, expiresAtEpochSeconds = :expires',
            ConditionExpression:
              '(attribute_not_exists(claimed) OR claimed < :limit) AND NOT contains(granted, :name)',
            ExpressionAttributeValues: {
              ':claimant': new Set([claimant]),
              ':name': claimant,
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
        if ((await readItem(runId)).granted.has(claimant)) return true;
        await countHeldBack(runId, claimant);
        return false;
      }
    },

    async readAlertBudget(runId) {
      const { granted, refused } = await readItem(runId);
      return { claimed: granted.size, heldBack: refused.size };
    },

    async noteNotified({ runId, claimant }) {
      const out = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: alertBudgetKey(runId),
          UpdateExpression: 'ADD notified :claimant SET runId = :runId, expiresAtEpochSeconds = :expires',
          ExpressionAttributeValues: {
            ':claimant': new Set([claimant]),
            ':runId': runId,
            ':expires': expiresAt(),
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const before = (out.Attributes?.notified as Set<string> | undefined) ?? new Set<string>();
      return !before.has(claimant);
    },
  };
}
