import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LockTableKey } from './keys.ts';

/**
 * Lease primitives on one item of the locks table. A database lock and each backup slot are the same
 * thing underneath: an item with a holder, a lease expiry and a fencing token.
 *
 * Rules shared by locks and slots:
 * - `token` is incremented by every successful acquisition (free, expired, re-entrant or takeover) and
 *   never reset: items are never deleted and there is no TTL on this table.
 * - Release clears `holder`, `leaseExpiresAt` and `label` and keeps the token.
 * - Every write is a single conditional UpdateItem; DynamoDB (and dynalite) apply it atomically per item.
 */

/** The stored form of a lease item (attributes beyond the key). */
export interface LeaseItem {
  readonly pk: string;
  readonly sk: string;
  readonly holder?: string;
  readonly token?: number;
  readonly leaseExpiresAt?: number;
  readonly label?: string;
  readonly acquiredAt?: number;
  readonly renewedAt?: number;
  readonly lastCheckedAt?: number;
  readonly releasedAt?: number;
  readonly [attribute: string]: unknown;
}

/** A lease just granted. */
export interface GrantedLease {
  readonly token: number;
  readonly leaseExpiresAt: number;
  readonly acquiredAt: number;
}

/** Where the lease primitives write. */
export interface LeaseTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** Attributes written with every acquisition besides the lease itself (kind, cluster, database, slot...). */
export type DescriptiveAttributes = Readonly<Record<string, string | number>>;

/** True when the item has no live lease at `now` (never held, released, or expired). */
export function isFree(item: LeaseItem | undefined, now: number): boolean {
  return item?.holder === undefined || (item.leaseExpiresAt ?? 0) <= now;
}

/** True for DynamoDB's "condition not met" answer, however the SDK wrapped it. */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

/** Strongly consistent read of one lease item. */
export async function readLease(table: LeaseTable, key: LockTableKey): Promise<LeaseItem | undefined> {
  const out = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }),
  );
  return out.Item as LeaseItem | undefined;
}

interface AcquireRequest {
  readonly key: LockTableKey;
  readonly holder: string;
  readonly now: number;
  readonly leaseExpiresAt: number;
  readonly label: string | undefined;
  readonly attributes: DescriptiveAttributes;
}

/**
 * Takes the lease when it is free, expired, or already held by `holder` (re-entrant: a new token).
 * Returns undefined when someone else holds a live lease.
 */
export function acquireIfFreeOrOwn(
  table: LeaseTable,
  request: AcquireRequest,
): Promise<GrantedLease | undefined> {
  return conditionalAcquire(table, request, {
    condition: 'attribute_not_exists(#holder) OR #lease <= :now OR #holder = :holder',
    values: {},
  });
}

/**
 * Takes the lease over from `observed` (a holder whose execution has ended), conditioned on the holder and
 * token that were read, so of two concurrent takeovers exactly one succeeds. Returns undefined when the
 * item changed since it was read.
 */
export function takeOver(
  table: LeaseTable,
  request: AcquireRequest,
  observed: { readonly holder: string; readonly token: number },
): Promise<GrantedLease | undefined> {
  return conditionalAcquire(table, request, {
    condition: '#holder = :observedHolder AND #token = :observedToken',
    values: { ':observedHolder': observed.holder, ':observedToken': observed.token },
  });
}

async function conditionalAcquire(
  table: LeaseTable,
  request: AcquireRequest,
  guard: { condition: string; values: Record<string, unknown> },
): Promise<GrantedLease | undefined> {
  const names: Record<string, string> = {
    '#holder': 'holder',
    '#token': 'token',
    '#lease': 'leaseExpiresAt',
    '#acquiredAt': 'acquiredAt',
    '#label': 'label',
  };
  const values: Record<string, unknown> = {
    ':holder': request.holder,
    ':now': request.now,
    ':expires': request.leaseExpiresAt,
    ':one': 1,
    ...guard.values,
  };
  const sets = ['#holder = :holder', '#lease = :expires', '#acquiredAt = :now'];
  for (const [index, [name, value]] of Object.entries(request.attributes).entries()) {
    names[`#a${index}`] = name;
    values[`:a${index}`] = value;
    sets.push(`#a${index} = :a${index}`);
  }
  let remove = ' REMOVE #label';
  if (request.label !== undefined) {
    values[':label'] = request.label;
    sets.push('#label = :label');
    remove = '';
  }
  // ':now' is referenced by the SET clause even when the guard does not use it.
  try {
    const out = await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: request.key,
        UpdateExpression: `SET ${sets.join(', ')}${remove} ADD #token :one`,
        ConditionExpression: guard.condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    const item = out.Attributes as LeaseItem;
    return { token: Number(item.token), leaseExpiresAt: request.leaseExpiresAt, acquiredAt: request.now };
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Moves the lease expiry of the holder with the current token; false when the token is not current. */
export async function renewLease(
  table: LeaseTable,
  request: { key: LockTableKey; holder: string; token: number; now: number; leaseExpiresAt: number },
): Promise<boolean> {
  return conditionalWrite(table, request.key, {
    update: 'SET #lease = :expires, #renewedAt = :now',
    // Expiry is deliberately not checked: a lapsed lease nobody took over still carries the current token,
    // and any acquisition by someone else would have changed it.
    condition: '#holder = :holder AND #token = :token',
    names: { '#holder': 'holder', '#token': 'token', '#lease': 'leaseExpiresAt', '#renewedAt': 'renewedAt' },
    values: {
      ':holder': request.holder,
      ':token': request.token,
      ':now': request.now,
      ':expires': request.leaseExpiresAt,
    },
  });
}

/** Clears the holder and lease when `holder` still holds `token`; false otherwise (never throws on that). */
export async function releaseLease(
  table: LeaseTable,
  request: { key: LockTableKey; holder: string; token: number; now: number },
): Promise<boolean> {
  return conditionalWrite(table, request.key, {
    update: 'SET #releasedAt = :now REMOVE #holder, #lease, #label',
    condition: '#holder = :holder AND #token = :token',
    names: {
      '#holder': 'holder',
      '#token': 'token',
      '#lease': 'leaseExpiresAt',
      '#label': 'label',
      '#releasedAt': 'releasedAt',
    },
    values: { ':holder': request.holder, ':token': request.token, ':now': request.now },
  });
}

/**
 * The fencing check: true only when `holder` holds `token` AND the lease has not expired. Records
 * `lastCheckedAt` so the check is a write, serialised with acquisitions of the same item.
 */
export async function checkLeaseCurrent(
  table: LeaseTable,
  request: { key: LockTableKey; holder: string; token: number; now: number },
): Promise<boolean> {
  return conditionalWrite(table, request.key, {
    update: 'SET #lastCheckedAt = :now',
    condition: '#holder = :holder AND #token = :token AND #lease > :now',
    names: {
      '#holder': 'holder',
      '#token': 'token',
      '#lease': 'leaseExpiresAt',
      '#lastCheckedAt': 'lastCheckedAt',
    },
    values: { ':holder': request.holder, ':token': request.token, ':now': request.now },
  });
}

async function conditionalWrite(
  table: LeaseTable,
  key: LockTableKey,
  write: {
    update: string;
    condition: string;
    names: Record<string, string>;
    values: Record<string, unknown>;
  },
): Promise<boolean> {
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: key,
        UpdateExpression: write.update,
        // attribute_exists(pk) stops a conditional write from creating an item that was never acquired.
        ConditionExpression: `attribute_exists(pk) AND (${write.condition})`,
        ExpressionAttributeNames: write.names,
        ExpressionAttributeValues: write.values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
