/**
 * The partition manifest of one database at one moment: what a differential backup compares against its full, and
 * what a chain restore is checked against. Pure data; reading it from a cluster (information_schema.partitions_meta
 * on 3.1.9+/3.2.4+/3.3+, SHOW PARTITIONS before) is the StarRocks client's `readPartitionManifest`
 * (lambdas/domain/starrocks/client.ts, parse-partitions.ts).
 *
 * Research: docs/research/differential-backups.md (§4 partitions_meta, §4.5 what moves VISIBLE_VERSION, §4.6 the
 * schema fingerprint). Paths in comments are under fe/fe-core/src/main/java/com/starrocks/ of StarRocks.
 */
import { z } from '#domain/zod.ts';

/** Version of the manifest shape (the manifest is stored: an S3 object or DynamoDB items per table). */
export const MANIFEST_FORMAT_VERSION = 1;

/** Longest StarRocks object name (FeConstants / the catalog schema allow 1024). */
const NAME_MAX_CHARS = 1024;

/** Java's Long.MAX_VALUE: StarRocks' BIGINT. */
const BIGINT_MAX = 9_223_372_036_854_775_807n;

/**
 * A StarRocks BIGINT (partition id, visible version) in canonical decimal text: no sign, no leading zeros.
 *
 * Why a string, not a number: both are Java `long`s, and a JSON/JS number is exact only to 2^53. Real versions are
 * small (one per committed transaction), but `ADMIN SET PARTITION VERSION` sets any value and partition ids come
 * from the FE's id generator; a manifest must never round one id into another. The StarRocks connection already
 * returns BIGINT as text (`bigNumberStrings: true` in lambdas/domain/starrocks/connection.ts), and the planner only
 * compares for equality, which the canonical form makes a string comparison. A safe integer number is accepted on
 * input and turned into its text.
 */
export const bigintTextSchema = z.union([
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,18})$/, 'a non-negative BIGINT in decimal, without leading zeros')
    .refine((text) => BigInt(text) <= BIGINT_MAX, 'beyond BIGINT'),
  z
    .number()
    .int()
    .nonnegative()
    .max(Number.MAX_SAFE_INTEGER)
    .transform((value) => String(value)),
]);

/**
 * How an OLAP table is partitioned, named as StarRocks' PartitionType names it. RANGE, EXPR_RANGE (expression /
 * automatic partitioning by date_trunc, time_slice) and EXPR_RANGE_V2 are all range partitioning to RestoreJob
 * (`PartitionInfo.isRangePartition()`, catalog/PartitionInfo.java, research §2.2(b)); a collector that cannot tell
 * them apart may write RANGE. LIST covers automatic list partitioning too.
 */
export const PARTITIONING_KINDS = ['RANGE', 'EXPR_RANGE', 'EXPR_RANGE_V2', 'LIST', 'UNPARTITIONED'] as const;
export type PartitioningKind = (typeof PARTITIONING_KINDS)[number];

/** Whether RestoreJob treats the kind as range partitioning (it can ADD a missing partition to such a table). */
export function isRangePartitioning(kind: PartitioningKind): boolean {
  return kind === 'RANGE' || kind === 'EXPR_RANGE' || kind === 'EXPR_RANGE_V2';
}

/** One (logical) partition of an OLAP table. Temporary partitions are never listed (they cannot be backed up). */
export const partitionSchema = z.object({
  name: z.string().min(1).max(NAME_MAX_CHARS),
  /**
   * PARTITION_ID. INSERT OVERWRITE and TRUNCATE replace a partition with a new one under the same name, whose
   * version can go DOWN, so a change is a change of the (id, visibleVersion) pair (research §4.5).
   */
  id: bigintTextSchema,
  visibleVersion: bigintTextSchema,
  /** VISIBLE_VERSION_TIME in UTC (partitions_meta reports it in the session time zone; convert), null when 0. */
  visibleVersionTime: z.iso.datetime().nullable(),
  /**
   * Physical partitions under this name (3.2+: random distribution with automatic bucketing can give several;
   * partitions_meta then has several rows with this name, and `id`/`visibleVersion` are the first row's).
   * Absent = 1.
   */
  physicalPartitions: z.number().int().min(1).optional(),
});

/** One OLAP table (or cloud-native table) of the database. */
export const olapTableSchema = z
  .object({
    name: z.string().min(1).max(NAME_MAX_CHARS),
    /**
     * Anything RestoreJob compares when restoring into an existing table, hashed: TABLE_ID (drop and recreate),
     * tables_config, the columns, the indexes (DESC t ALL), see research §4.6. Opaque here: equal text = same
     * schema. Schema changes do not move partition versions on shared-nothing clusters, so this is the only signal.
     */
    fingerprint: z.string().min(1).max(512),
    partitioning: z.enum(PARTITIONING_KINDS),
    partitions: z.array(partitionSchema),
  })
  .refine((table) => new Set(table.partitions.map((p) => p.name)).size === table.partitions.length, {
    message: 'a partition name appears twice (merge physical partitions into one entry)',
    path: ['partitions'],
  });

/** A view or materialized view: no partitions of its own in a differential, recorded by name and definition. */
export const otherObjectSchema = z.object({
  name: z.string().min(1).max(NAME_MAX_CHARS),
  kind: z.enum(['VIEW', 'MATERIALIZED_VIEW']),
  /** A hash of the definition (SHOW CREATE VIEW / MATERIALIZED VIEW): equal text = same definition. */
  fingerprint: z.string().min(1).max(512),
});

/** The manifest of one database at one moment. */
export const manifestSchema = z
  .object({
    formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
    tables: z.array(olapTableSchema),
    others: z.array(otherObjectSchema),
  })
  .refine(
    (manifest) => {
      const names = [...manifest.tables, ...manifest.others].map((object) => object.name);
      return new Set(names).size === names.length;
    },
    { message: 'an object name appears twice' },
  );

export type Partition = z.output<typeof partitionSchema>;
export type OlapTableManifest = z.output<typeof olapTableSchema>;
export type OtherObjectManifest = z.output<typeof otherObjectSchema>;
export type Manifest = z.output<typeof manifestSchema>;

/**
 * Whether a partition name is an automatic-partition table's shadow partition (`$…`,
 * `ExpressionRangePartitionInfo.SHADOW_PARTITION_PREFIX`): partitions_meta lists it, SHOW PARTITIONS hides it, and
 * it is neither backed up nor compared (research §4.3).
 */
export function isShadowPartition(name: string): boolean {
  return name.startsWith('$');
}
