// Builders for the differential tests (no I/O).
import type {
  Manifest,
  OlapTableManifest,
  OtherObjectManifest,
  Partition,
  PartitioningKind,
} from '#domain/differential/index.ts';

/** A partition `name` with id `id` at `version`. */
export function part(name: string, id: number, version: number, physicalPartitions?: number): Partition {
  return {
    name,
    id: String(id),
    visibleVersion: String(version),
    visibleVersionTime: '2026-01-01T00:00:00.000Z',
    ...(physicalPartitions === undefined ? {} : { physicalPartitions }),
  };
}

export function table(
  name: string,
  partitions: Partition[],
  partitioning: PartitioningKind = 'RANGE',
  fingerprint = `fp-${name}`,
): OlapTableManifest {
  return { name, fingerprint, partitioning, partitions };
}

export function view(name: string, fingerprint = `def-${name}`): OtherObjectManifest {
  return { name, kind: 'VIEW', fingerprint };
}

export function mv(name: string, fingerprint = `def-${name}`): OtherObjectManifest {
  return { name, kind: 'MATERIALIZED_VIEW', fingerprint };
}

export function manifest(tables: OlapTableManifest[], others: OtherObjectManifest[] = []): Manifest {
  return { formatVersion: 1, tables, others };
}

/** `count` daily partitions p0000…, ids from 10_000, all at version 2. */
export function dailyPartitions(count: number): Partition[] {
  return Array.from({ length: count }, (_, i) => part(`p${String(i).padStart(4, '0')}`, 10_000 + i, 2));
}

/** `table` with partition `name` replaced by `replacement` (or removed when null). */
export function withPartition(
  source: OlapTableManifest,
  name: string,
  replacement: Partition | null,
): OlapTableManifest {
  const partitions = source.partitions.flatMap((p) =>
    p.name !== name ? [p] : replacement ? [replacement] : [],
  );
  return { ...source, partitions };
}
