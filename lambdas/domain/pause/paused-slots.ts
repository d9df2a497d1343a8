import { type DynamoDBDocumentClient, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keySegment } from '#domain/catalog/keys.ts';
import type { Clock } from '#domain/clock.ts';
import { z } from '#domain/zod.ts';

/**
 * One slot a pause stopped: the run started, found the pause and planned nothing. Without this record a paused
 * slot leaves no trace once the pause is lifted (`resume` deletes the pause), and a report could not tell it from
 * a slot that was missed.
 */
export interface PausedSlot {
  readonly cluster: string;
  /** The schedule whose slot it was. */
  readonly schedule: string;
  /** The slot, ISO 8601 UTC. */
  readonly scheduledTime: string;
  /** The schedule the pause named, or null for a pause of the whole cluster. */
  readonly pausedSchedule: string | null;
  readonly reason: string;
  readonly since: string;
  readonly until: string | null;
  readonly by: string | null;
  /** The run that found the pause. */
  readonly runId: string;
  readonly recordedAt: string;
}

/** The record of paused slots, in the catalog table. */
export interface PausedSlotLog {
  /** Records that a pause stopped this slot; a second run of the same slot overwrites the record. */
  recordPausedSlot(slot: Omit<PausedSlot, 'recordedAt'>): Promise<void>;
  /** The paused slots of the cluster whose time is in [`from`, `to`), oldest first. */
  listPausedSlots(request: { cluster: string; from: Date; to: Date }): Promise<PausedSlot[]>;
}

/** A paused slot's record expires (DynamoDB TTL) this long after its slot: reports look back a year at most. */
export const PAUSED_SLOT_RETENTION_DAYS = 400;

/** Partition of one cluster's paused slots (not `PAUSE#`: the pause store reads that whole partition). */
export function pausedSlotPartitionKey(cluster: string): string {
  return `PAUSEDSLOT#${keySegment(cluster)}`;
}

const PausedSlotSchema = z.object({
  cluster: z.string().min(1),
  schedule: z.string().min(1),
  scheduledTime: z.iso.datetime(),
  pausedSchedule: z.string().min(1).nullable(),
  reason: z.string(),
  since: z.iso.datetime(),
  until: z.iso.datetime().nullable(),
  by: z.string().nullable(),
  runId: z.string().min(1),
  recordedAt: z.iso.datetime(),
});

/** The paused-slot half of the pause store. */
export function createPausedSlotLog(deps: {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}): PausedSlotLog {
  const { client, tableName, clock } = deps;
  return {
    async recordPausedSlot(slot) {
      const scheduledTime = new Date(slot.scheduledTime).toISOString();
      const record: PausedSlot = {
        ...slot,
        scheduledTime,
        recordedAt: new Date(clock.now()).toISOString(),
      };
      const fields = Object.entries({
        ...record,
        kind: 'paused-slot',
        expiresAtEpochSeconds:
          Math.floor(Date.parse(scheduledTime) / 1000) + PAUSED_SLOT_RETENTION_DAYS * 86_400,
      });
      // UpdateItem, not PutItem: ResolveDatabases, which records it, already holds UpdateItem on the table.
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: {
            pk: pausedSlotPartitionKey(slot.cluster),
            sk: `${scheduledTime}#${keySegment(slot.schedule)}`,
          },
          UpdateExpression: `SET ${fields.map((_, index) => `#f${index} = :v${index}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(fields.map(([name], index) => [`#f${index}`, name])),
          ExpressionAttributeValues: Object.fromEntries(
            fields.map(([, value], index) => [`:v${index}`, value]),
          ),
        }),
      );
    },

    async listPausedSlots({ cluster, from, to }) {
      const slots: PausedSlot[] = [];
      const pages = paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': pausedSlotPartitionKey(cluster),
            ':from': from.toISOString(),
            ':to': to.toISOString(),
          },
        },
      );
      for await (const page of pages)
        for (const item of page.Items ?? []) slots.push(PausedSlotSchema.parse(item));
      return slots;
    },
  };
}
