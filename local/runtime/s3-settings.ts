import type { S3Client } from '@aws-sdk/client-s3';
import type { RetentionSettings } from '#domain/prune/retention-policy.ts';
import type { SnapshotObjectStore } from '#domain/prune/s3-snapshot-objects.ts';
import type { EnvironmentVariables } from '#runtime/env.ts';
import { createS3Client, type S3ClientSettings } from '#runtime/s3-client.ts';
import { snapshotObjectsOver } from '#runtime/snapshot-objects.ts';

/**
 * An S3-compatible endpoint (MinIO, s3rver) and its keys for `retention.s3`, read from the environment of the
 * local command. Unset, retention reaches AWS S3 with the SDK's own settings.
 */
export const S3_ENDPOINT_VARIABLE = 'SR_BACKUP_S3_ENDPOINT';
export const S3_ACCESS_KEY_VARIABLE = 'SR_BACKUP_S3_ACCESS_KEY_ID';
export const S3_SECRET_KEY_VARIABLE = 'SR_BACKUP_S3_SECRET_ACCESS_KEY';

/** How this machine reaches a bucket in `region` (undefined: the default), given the command's environment. */
export function localS3Settings(region: string | undefined, env: EnvironmentVariables): S3ClientSettings {
  const endpoint = env[S3_ENDPOINT_VARIABLE] || undefined;
  const accessKeyId = env[S3_ACCESS_KEY_VARIABLE];
  const secretAccessKey = env[S3_SECRET_KEY_VARIABLE];
  return {
    // An S3-compatible server needs some Region to sign with; it ignores which.
    region: region ?? (endpoint === undefined ? undefined : 'us-east-1'),
    endpoint,
    credentials:
      endpoint !== undefined && accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
  };
}

/** The snapshot object stores of this machine, and how to close the S3 clients they opened. */
export interface LocalSnapshotObjects {
  readonly objects: (retention: RetentionSettings | undefined) => Promise<SnapshotObjectStore | undefined>;
  close(): void;
}

/** The snapshot object stores of this machine: one S3 client per Region, with the environment's endpoint. */
export function localSnapshotObjects(env: EnvironmentVariables): LocalSnapshotObjects {
  const clients = new Map<string, S3Client>();
  return {
    objects: snapshotObjectsOver(async (region) => {
      let client = clients.get(region ?? '');
      if (client === undefined) {
        client = createS3Client(localS3Settings(region, env));
        clients.set(region ?? '', client);
      }
      return client;
    }),
    close() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}
