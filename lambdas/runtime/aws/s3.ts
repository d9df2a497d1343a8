import type { S3Client } from '@aws-sdk/client-s3';
import type { RetentionSettings } from '#domain/prune/retention-policy.ts';
import type { SnapshotObjectStore } from '#domain/prune/s3-snapshot-objects.ts';
import { createS3Client } from '../s3-client.ts';
import { snapshotObjectsOver } from '../snapshot-objects.ts';
import { traced } from '../tracer.ts';

const clients = new Map<string, Promise<S3Client>>();

/** S3, traced: in `region`, or in the function's own Region; one client per Region per cold start. */
export function awsS3(region?: string): Promise<S3Client> {
  let client = clients.get(region ?? '');
  if (client === undefined) {
    client = traced(createS3Client({ region }));
    clients.set(region ?? '', client);
  }
  return client;
}

let objects: ReturnType<typeof snapshotObjectsOver> | undefined;

/** The objects of a repository's snapshots for `retention.s3` (its bucket's Region), or undefined without it. */
export function awsSnapshotObjects(
  retention: RetentionSettings | undefined,
): Promise<SnapshotObjectStore | undefined> {
  objects ??= snapshotObjectsOver(awsS3);
  return objects(retention);
}
