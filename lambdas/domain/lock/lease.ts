import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LockTableKey } from './keys.ts';

/**
 * Lease primitives on one item of the locks table. A database lock and each backup slot are the same
 * thing underneath: an item with a holder, a lease expiry and a fencing token.
 *
 * Rules shared by locks and slots (docs/locking.md has the whole rule and why):
 * - `token` is incremented by every successful acquisition (free, re-entrant or takeover) and never reset:
 *   items are never deleted and there is no TTL on this table.
 * - A direct acquisition takes only a free item (no holder) or the caller's own; an item held by someone else,
 *   expired or not, changes hands only by a takeover conditioned on the holder and token that were read, after
 *   the caller decided the holder is gone (lock-store.ts).
 * - A holder's writes are fenced by its token alone: expiry never makes a live holder's write fail.
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
  /** The item as it was before this acquisition (undefined when it did not exist). */
  readonly previous: LeaseItem | undefined;
}

/** Where the lease primitives write. */
export interface LeaseTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * Attributes written with every acquisition besides the lease itself (kind, cluster, database, slot, purpose; and
 * `inherited`, the unsettled work of an ended holder, as a map).
 */
export type DescriptiveAttributes = Readonly<
  Record<string, string | number | Readonly<Record<string, string | number>>>
>;

/** True when nobody holds the item (never held, or released). An expired lease still has its holder. */
export function isUnheld(item: LeaseItem | undefined): boolean {
  return item?.holder === undefined;
}

/** True when the item's lease has run out at `now` (it may still have a holder). */
export function isExpired(item: LeaseItem | undefined, now: number): boolean {
  return (item?.leaseExpiresAt ?? 0) <= now;
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
 * Takes the lease when nobody holds it or `holder` already does (re-entrant: a new token). Returns undefined when
 * someone else is recorded as holder, whether or not their lease has expired: only a takeover may move it.
 */
export function acquireIfFreeOrOwn(
  table: LeaseTable,
  request: AcquireRequest,
): Promise<GrantedLease | undefined> {
  return conditionalAcquire(table, request, {
    condition: 'attribute_not_exists(#holder) OR #holder = :holder',
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
    '#renewedAt': 'renewedAt',
  };
  const values: Record<string, unknown> = {
    ':holder': request.holder,
    ':expires': request.leaseExpiresAt,
    ':one': 1,
    ...guard.values,
  };
  // The time is referenced only by the SET clause; an unused value would make DynamoDB reject the request.
  values[':now'] = request.now;
  const sets = ['#holder = :holder', '#lease = :expires', '#acquiredAt = :now', '#renewedAt = :now'];
  for (const [index, [name, value]] of Object.entries(request.attributes).entries()) {
    names[`#a${index}`] = name;
    values[`:a${index}`] = value;
    sets.push(`#a${index} = :a${index}`);
  }
  // What the previous holder noted about its own job never carries over, unless the caller carries it on purpose.
  const carried = new Set(Object.keys(request.attributes));
  const removed: string[] = [];
  for (const name of ['submittedLabel', 'submittedAt', 'labelAttempt', 'inheritedFrom', 'inherited']) {
    if (carried.has(name)) continue;
    names[`#${name}`] = name;
    removed.push(`#${name}`);
  }
  if (request.label !== undefined) {
    values[':label'] = request.label;
    sets.push('#label = :label');
  } else {
    removed.push('#label');
  }
  try {
    const out = await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: request.key,
        UpdateExpression: `SET ${sets.join(', ')}${removed.length > 0 ? ` REMOVE ${removed.join(', ')}` : ''} ADD #token :one`,
        ConditionExpression: guard.condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        // ADD is atomic, so the new token is exactly the old one plus one; the old item tells a takeover whose
        // work it inherits.
        ReturnValues: 'ALL_OLD',
      }),
    );
    const previous = out.Attributes as LeaseItem | undefined;
    return {
      token: Number(previous?.token ?? 0) + 1,
      leaseExpiresAt: request.leaseExpiresAt,
      acquiredAt: request.now,
      previous,
    };
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/**
 * The fence and the renewal in one write: moves the lease expiry of the holder with the current token and sets
 * `attributes`; returns the item as it is now, or undefined when the token is not current.
 * Expiry is deliberately not checked: a lapsed lease nobody took over still carries the current token, and any
 * acquisition by someone else would have changed it.
 */
export async function renewLease(
  table: LeaseTable,
  request: {
    key: LockTableKey;
    holder: string;
    token: number;
    now: number;
    leaseExpiresAt: number;
    attributes?: DescriptiveAttributes;
  },
): Promise<LeaseItem | undefined> {
  const names: Record<string, string> = {
    '#holder': 'holder',
    '#token': 'token',
    '#lease': 'leaseExpiresAt',
    '#renewedAt': 'renewedAt',
  };
  const values: Record<string, unknown> = {
    ':holder': request.holder,
    ':token': request.token,
    ':now': request.now,
    ':expires': request.leaseExpiresAt,
  };
  const sets = ['#renewedAt = :now'];
  for (const [index, [name, value]] of Object.entries(request.attributes ?? {}).entries()) {
    names[`#a${index}`] = name;
    values[`:a${index}`] = value;
    sets.push(`#a${index} = :a${index}`);
  }
  sets.push('#lease = :expires');
  try {
    const out = await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: request.key,
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(pk) AND #holder = :holder AND #token = :token',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes as LeaseItem;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Clears the holder and lease when `holder` still holds `token`; false otherwise (never throws on that). */
export async function releaseLease(
  table: LeaseTable,
  request: { key: LockTableKey; holder: string; token: number; now: number },
): Promise<boolean> {
  return conditionalWrite(table, request.key, {
    update:
      'SET #releasedAt = :now REMOVE #holder, #lease, #label, #submittedLabel, #submittedAt, #labelAttempt, #inheritedFrom, #inherited',
    condition: '#holder = :holder AND #token = :token',
    names: {
      '#holder': 'holder',
      '#token': 'token',
      '#lease': 'leaseExpiresAt',
      '#label': 'label',
      '#releasedAt': 'releasedAt',
      '#submittedLabel': 'submittedLabel',
      '#submittedAt': 'submittedAt',
      '#labelAttempt': 'labelAttempt',
      '#inheritedFrom': 'inheritedFrom',
      '#inherited': 'inherited',
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
