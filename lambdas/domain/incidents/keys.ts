/**
 * Keys of the trust items in the catalog table (next to the snapshot catalog, never mixed with it):
 *
 * | item | pk | sk |
 * |---|---|---|
 * | incident (late, drift, cluster-snapshot) | `INCIDENT#<cluster>` | `<TYPE>#<database>` (`(cluster)` for a cluster's) |
 * | first sighting of a database | `SEEN#<cluster>` | `DB#<database>` |
 * | "warned once" marker (size anomaly of one snapshot) | `ONCE#<cluster>` | `<scope>#<key>` |
 *
 * One incident item per type and database: a new incident of the same database re-opens the resolved item, so the
 * partition never grows beyond (types × databases). Names are escaped with `keySegment`.
 */
import { keySegment } from '#domain/catalog/keys.ts';

/** What an incident is about. */
export type IncidentType = 'late' | 'drift' | 'cluster-snapshot';

/** Partition of a cluster's incidents. */
export function incidentPartitionKey(cluster: string): string {
  return `INCIDENT#${keySegment(cluster)}`;
}

/** Key of one incident. */
export function incidentKey(
  cluster: string,
  type: IncidentType,
  database: string,
): { pk: string; sk: string } {
  return { pk: incidentPartitionKey(cluster), sk: `${type.toUpperCase()}#${keySegment(database)}` };
}

/** Partition of the first sightings of a cluster's databases. */
export function seenPartitionKey(cluster: string): string {
  return `SEEN#${keySegment(cluster)}`;
}

/** Key of the first sighting of one database. */
export function seenKey(cluster: string, database: string): { pk: string; sk: string } {
  return { pk: seenPartitionKey(cluster), sk: `DB#${keySegment(database)}` };
}

/** Key of a "said once" marker. */
export function onceKey(cluster: string, scope: string, key: string): { pk: string; sk: string } {
  return { pk: `ONCE#${keySegment(cluster)}`, sk: `${keySegment(scope)}#${keySegment(key)}` };
}

/** Attributes that only key an item; stripped before it is handed out. */
export const INCIDENT_KEY_ATTRIBUTES = ['pk', 'sk'] as const;
