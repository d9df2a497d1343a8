/**
 * Removing a snapshot where StarRocks has no DROP SNAPSHOT (before 4.2): delete its objects in the repository's
 * S3 location, following StarRocks' repository layout (backup/Repository.java):
 * `<location>/__starrocks_repository_<repo>/__ss_<snapshot>/…` (legacy `__palo_repository_<repo>/`).
 * Only keys under one snapshot's own prefix are ever listed or deleted.
 */
import {
  DeleteObjectsCommand,
  type DeleteObjectsCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { REPOSITORY_PATTERN } from '#domain/config/schema.ts';
import { DependencyUnavailableError, InvalidIdentifierError } from '#domain/errors.ts';
import { SNAPSHOT_LABEL_PATTERN } from '#domain/starrocks/index.ts';

/** The repository directory names StarRocks writes (the legacy one is used when it already exists). */
export const REPOSITORY_DIRECTORY_PREFIXES = ['__starrocks_repository_', '__palo_repository_'] as const;

/** DeleteObjects takes at most 1,000 keys; ListObjectsV2 returns at most 1,000 per page. */
export const MAX_KEYS_PER_REQUEST = 1000;

/** The repository's location inside its bucket (`retention.s3`). */
export interface RepositoryLocation {
  readonly bucket: string;
  /** The LOCATION path inside the bucket, without the bucket; `''` for the bucket root. */
  readonly prefix: string;
}

/** The bucket-relative directory of a repository (no trailing slash), in the current or the legacy layout. */
export function repositoryDirectories(location: RepositoryLocation, repository: string): string[] {
  if (!REPOSITORY_PATTERN.test(repository)) {
    throw new InvalidIdentifierError(`not a StarRocks repository name: ${JSON.stringify(repository)}`);
  }
  const base = location.prefix.replace(/^\/+|\/+$/g, '');
  return REPOSITORY_DIRECTORY_PREFIXES.map((dir) => `${base === '' ? '' : `${base}/`}${dir}${repository}`);
}

/**
 * The key prefixes that hold one snapshot (ending in `/`, so `snap_1` never matches `snap_10`).
 * @throws InvalidIdentifierError when the label or repository could not be a StarRocks name (a `/` or `..` in
 * a label must never widen what is deleted).
 */
export function snapshotKeyPrefixes(
  location: RepositoryLocation,
  repository: string,
  label: string,
): string[] {
  if (!SNAPSHOT_LABEL_PATTERN.test(label)) {
    throw new InvalidIdentifierError(`not a StarRocks snapshot label: ${JSON.stringify(label)}`);
  }
  return repositoryDirectories(location, repository).map((dir) => `${dir}/__ss_${label}/`);
}

/** The two S3 calls used, so tests and callers can pass any S3Client. */
export interface S3Sender {
  send(command: ListObjectsV2Command): Promise<ListObjectsV2CommandOutput>;
  send(command: DeleteObjectsCommand): Promise<DeleteObjectsCommandOutput>;
}

/** Deletes every object under a snapshot's prefixes; resolves with how many were deleted. */
export interface SnapshotObjectStore {
  deleteSnapshot(request: { repository: string; label: string }): Promise<{ deleted: number }>;
}

/**
 * Builds the object store over one bucket: per prefix, paginated ListObjectsV2 (`pageSize` keys per page) and one
 * DeleteObjects per page (quiet mode: only failures come back). A failed key stops the removal with
 * DependencyUnavailableError naming the first key and S3's error code; what was deleted stays deleted, and a
 * later prune deletes the rest (the catalog marks the snapshot pruned only after every object is gone).
 */
export function createSnapshotObjectStore(options: {
  readonly s3: S3Sender;
  readonly location: RepositoryLocation;
  readonly pageSize?: number;
}): SnapshotObjectStore {
  const { s3, location } = options;
  const pageSize = Math.min(options.pageSize ?? MAX_KEYS_PER_REQUEST, MAX_KEYS_PER_REQUEST);

  async function deleteUnder(prefix: string): Promise<number> {
    let deleted = 0;
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(
        new ListObjectsV2Command({
          Bucket: location.bucket,
          Prefix: prefix,
          MaxKeys: pageSize,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      // S3 only returns keys under Prefix; checking again costs nothing and keeps a misbehaving endpoint honest.
      const keys = (page.Contents ?? [])
        .map((object) => object.Key)
        .filter((key): key is string => key?.startsWith(prefix) === true);
      if (keys.length > 0) {
        const out = await s3.send(
          new DeleteObjectsCommand({
            Bucket: location.bucket,
            Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        const failed = out.Errors ?? [];
        if (failed.length > 0) {
          const first = failed[0];
          throw new DependencyUnavailableError(
            `S3 refused to delete ${failed.length} of ${keys.length} objects under s3://${location.bucket}/${prefix} ` +
              `(first: ${first?.Key ?? '?'}: ${first?.Code ?? 'error'} ${first?.Message ?? ''})`.trimEnd(),
          );
        }
        deleted += keys.length;
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return deleted;
  }

  return {
    async deleteSnapshot({ repository, label }) {
      let deleted = 0;
      for (const prefix of snapshotKeyPrefixes(location, repository, label))
        deleted += await deleteUnder(prefix);
      return { deleted };
    },
  };
}
