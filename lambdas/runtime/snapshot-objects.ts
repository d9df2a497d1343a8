import type { S3Client } from '@aws-sdk/client-s3';
import type { RetentionSettings } from '#domain/prune/retention-policy.ts';
import { createSnapshotObjectStore, type SnapshotObjectStore } from '#domain/prune/s3-snapshot-objects.ts';

/** The S3 client for a bucket in `region` (undefined: the host's default). */
export type S3ClientFor = (region: string | undefined) => Promise<S3Client>;

/** The snapshot object stores for clusters' `retention.s3`, over the host's S3 clients. */
export function snapshotObjectsOver(
  clientFor: S3ClientFor,
): (retention: RetentionSettings | undefined) => Promise<SnapshotObjectStore | undefined> {
  return async (retention) => {
    if (retention?.s3 === undefined) return undefined;
    const { bucket, prefix, region } = retention.s3;
    return createSnapshotObjectStore({ s3: await clientFor(region), location: { bucket, prefix } });
  };
}
