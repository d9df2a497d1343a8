import type { S3Client } from '@aws-sdk/client-s3';
import type { RetentionSettings } from '#domain/prune/retention-policy.ts';
import { createSnapshotObjectStore, type SnapshotObjectStore } from '#domain/prune/s3-snapshot-objects.ts';
import { onRuntimeReset } from './context.ts';
import { createS3Client } from './s3-client.ts';

/**
 * Local only: an S3-compatible endpoint (MinIO, s3rver) and its keys for `retention.s3`, read from the process
 * environment. Deployed, none is set and the function's role reaches AWS S3.
 */
export const S3_ENDPOINT_VARIABLE = 'SR_BACKUP_S3_ENDPOINT';
export const S3_ACCESS_KEY_VARIABLE = 'SR_BACKUP_S3_ACCESS_KEY_ID';
export const S3_SECRET_KEY_VARIABLE = 'SR_BACKUP_S3_SECRET_ACCESS_KEY';

const clients = new Map<string, S3Client>();

onRuntimeReset(() => {
  for (const client of clients.values()) client.destroy();
  clients.clear();
});

/** The snapshot object store for a cluster's `retention.s3`, or undefined when S3 removal is not configured. */
export function snapshotObjects(
  retention: RetentionSettings | undefined,
  env: NodeJS.ProcessEnv = process.env,
): SnapshotObjectStore | undefined {
  if (retention?.s3 === undefined) return undefined;
  const { bucket, prefix, region } = retention.s3;
  const endpoint = env[S3_ENDPOINT_VARIABLE] || undefined;
  const accessKeyId = env[S3_ACCESS_KEY_VARIABLE];
  const secretAccessKey = env[S3_SECRET_KEY_VARIABLE];
  const key = `${region ?? ''}|${endpoint ?? ''}`;
  let client = clients.get(key);
  if (client === undefined) {
    client = createS3Client({
      region: region ?? (endpoint === undefined ? undefined : 'us-east-1'),
      endpoint,
      credentials:
        endpoint !== undefined && accessKeyId && secretAccessKey
          ? { accessKeyId, secretAccessKey }
          : undefined,
    });
    clients.set(key, client);
  }
  return createSnapshotObjectStore({ s3: client, location: { bucket, prefix } });
}
