import { type DynamoDBDocumentClient, PutCommand, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '#domain/catalog/conditions.ts';
import type { Clock } from '#domain/clock.ts';
import {
  INCIDENT_KEY_ATTRIBUTES,
  type IncidentType,
  incidentKey,
  incidentPartitionKey,
  onceKey,
  seenKey,
  seenPartitionKey,
} from './keys.ts';
import {
  boundedText,
  INCIDENT_MAX_FIELDS,
  INCIDENT_SCHEMA_VERSION,
  type Incident,
  IncidentSchema,
  type Notice,
  notNeededNotice,
  pendingNotice,
  type Resolution,
} from './schema.ts';

/** A resolved incident (and a "said once" marker) is kept this long (DynamoDB TTL), then forgotten. */
export const RESOLVED_RETENTION_DAYS = 90;

/** What the incident store needs. */
export interface IncidentStoreDeps {
  readonly client: DynamoDBDocumentClient;
  /** The catalog table (incidents live next to the snapshots, under their own key prefixes). */
  readonly tableName: string;
  readonly clock: Clock;
}

/** An incident as the checker reports it. */
export interface IncidentReport {
  readonly cluster: string;
  readonly type: IncidentType;
  readonly database: string;
  readonly cause: string;
  readonly summary: string;
  readonly fields: ReadonlyArray<readonly [string, string]>;
}

/** How an incident is closed. */
export interface IncidentResolution {
  readonly resolution: Resolution;
  readonly summary: string;
  /** Post a closing notice (only ever posted when the opening alert was). */
  readonly notify: boolean;
}

/** Incidents, first sightings and "said once" markers in the catalog table. */
export interface IncidentStore {
  /** Every incident item of the cluster, open and recently resolved. */
  listIncidents(cluster: string): Promise<Incident[]>;
  /**
   * Opens an incident with a pending alert, unless one of the same type and database is open (then null: the
   * conditional write makes two checkers running at once open it, and alert, only once).
   */
  openIncident(report: IncidentReport): Promise<Incident | null>;
  /** Records what the latest check says of an open incident; false when it is no longer open. */
  refreshIncident(current: Incident, report: IncidentReport): Promise<boolean>;
  /**
   * Resolves an open incident. The recovery notice is pending when `notify` and the opening alert was delivered,
   * else not needed (an alert still pending is dropped with it). Null when it was not open (a race).
   */
  resolveIncident(current: Incident, resolution: IncidentResolution): Promise<Incident | null>;
  /** Records an attempt to post the incident's alert or recovery notice; false when the incident moved on. */
  recordNotice(current: Incident, which: 'alert' | 'recovery', notice: Notice): Promise<boolean>;
  /** When each database of the cluster was first seen on the FE (ISO), by name. */
  firstSeen(cluster: string): Promise<Map<string, string>>;
  /** Records the first sighting of these databases (a sighting already recorded is kept). */
  recordSeen(cluster: string, databases: readonly string[]): Promise<void>;
  /** True the first time `scope`/`key` is claimed (kept RESOLVED_RETENTION_DAYS), false ever after. */
  claimOnce(request: { cluster: string; scope: string; key: string }): Promise<boolean>;
}

/** Builds the incident store over the catalog table. */
export function createIncidentStore(deps: IncidentStoreDeps): IncidentStore {
  const { client, tableName, clock } = deps;
  const nowIso = () => new Date(clock.now()).toISOString();
  const expiresAt = () => Math.floor(clock.now() / 1000) + RESOLVED_RETENTION_DAYS * 86_400;

  const queryAll = async (pk: string): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    const input = {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    };
    for await (const page of paginateQuery({ client }, input)) items.push(...(page.Items ?? []));
    return items;
  };

  const fieldsOf = (report: IncidentReport) =>
    report.fields
      .slice(0, INCIDENT_MAX_FIELDS)
      .map(([label, value]) => [label.slice(0, 64), boundedText(value)] as [string, string]);

  return {
    async listIncidents(cluster) {
      return (await queryAll(incidentPartitionKey(cluster))).map(toIncident);
    },

    async openIncident(report) {
      const at = nowIso();
      const incident: Incident = IncidentSchema.parse({
        schemaVersion: INCIDENT_SCHEMA_VERSION,
        kind: 'incident',
        cluster: report.cluster,
        type: report.type,
        database: report.database,
        status: 'open',
        openedAt: at,
        lastSeenAt: at,
        cause: report.cause,
        summary: boundedText(report.summary),
        fields: fieldsOf(report),
        alert: pendingNotice(),
        resolvedAt: null,
        resolution: null,
        resolutionSummary: null,
        recovery: null,
      });
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...incidentKey(report.cluster, report.type, report.database), ...incident },
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :resolved',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':resolved': 'resolved' },
          }),
        );
        return incident;
      } catch (error) {
        if (isConditionFailure(error)) return null;
        throw error;
      }
    },

    async refreshIncident(current, report) {
      return conditionalUpdate(current, {
        UpdateExpression: 'SET #lastSeenAt = :at, #cause = :cause, #summary = :summary, #fields = :fields',
        ConditionExpression: '#status = :open AND #openedAt = :openedAt',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#lastSeenAt': 'lastSeenAt',
          '#cause': 'cause',
          '#summary': 'summary',
          '#fields': 'fields',
          '#openedAt': 'openedAt',
        },
        ExpressionAttributeValues: {
          ':at': nowIso(),
          ':cause': report.cause,
          ':summary': boundedText(report.summary),
          ':fields': fieldsOf(report),
          ':open': 'open',
          ':openedAt': current.openedAt,
        },
      });
    },

    async resolveIncident(current, resolution) {
      const alerted = current.alert.state === 'delivered';
      const alert = alerted ? current.alert : notNeededNotice();
      const recovery = resolution.notify && alerted ? pendingNotice() : notNeededNotice();
      try {
        const out = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: incidentKey(current.cluster, current.type, current.database),
            UpdateExpression:
              'SET #status = :resolved, #resolvedAt = :at, #lastSeenAt = :at, #resolution = :resolution, ' +
              '#resolutionSummary = :summary, #recovery = :recovery, #alert = :alert, #expires = :expires',
            ConditionExpression: '#status = :open AND #openedAt = :openedAt',
            ExpressionAttributeNames: {
              '#status': 'status',
              '#resolvedAt': 'resolvedAt',
              '#lastSeenAt': 'lastSeenAt',
              '#resolution': 'resolution',
              '#resolutionSummary': 'resolutionSummary',
              '#recovery': 'recovery',
              '#alert': 'alert',
              '#expires': 'expiresAtEpochSeconds',
              '#openedAt': 'openedAt',
            },
            ExpressionAttributeValues: {
              ':resolved': 'resolved',
              ':open': 'open',
              ':openedAt': current.openedAt,
              ':at': nowIso(),
              ':resolution': resolution.resolution,
              ':summary': boundedText(resolution.summary),
              ':recovery': recovery,
              ':alert': alert,
              ':expires': expiresAt(),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return out.Attributes === undefined ? null : toIncident(out.Attributes);
      } catch (error) {
        if (isConditionFailure(error)) return null;
        throw error;
      }
    },

    async recordNotice(current, which, notice) {
      return conditionalUpdate(current, {
        UpdateExpression: 'SET #notice = :notice',
        ConditionExpression: '#openedAt = :openedAt',
        ExpressionAttributeNames: { '#notice': which, '#openedAt': 'openedAt' },
        ExpressionAttributeValues: {
          ':notice': { ...notice, error: notice.error === null ? null : boundedText(notice.error) },
          ':openedAt': current.openedAt,
        },
      });
    },

    async firstSeen(cluster) {
      const seen = new Map<string, string>();
      for (const item of await queryAll(seenPartitionKey(cluster))) {
        if (typeof item.database === 'string' && typeof item.firstSeenAt === 'string') {
          seen.set(item.database, item.firstSeenAt);
        }
      }
      return seen;
    },

    async recordSeen(cluster, databases) {
      const at = nowIso();
      for (const database of databases) {
        try {
          await client.send(
            new PutCommand({
              TableName: tableName,
              Item: { ...seenKey(cluster, database), cluster, database, firstSeenAt: at },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }
    },

    async claimOnce({ cluster, scope, key }) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...onceKey(cluster, scope, key),
              cluster,
              scope,
              key,
              claimedAt: nowIso(),
              expiresAtEpochSeconds: expiresAt(),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };

  async function conditionalUpdate(
    current: Incident,
    update: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<boolean> {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: incidentKey(current.cluster, current.type, current.database),
          ...update,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

function toIncident(item: Record<string, unknown>): Incident {
  const attributes = { ...item };
  for (const key of INCIDENT_KEY_ATTRIBUTES) delete attributes[key];
  delete attributes.expiresAtEpochSeconds;
  return IncidentSchema.parse(attributes);
}
