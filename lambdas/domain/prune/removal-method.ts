/** How retention removes a snapshot on this cluster, by configuration and StarRocks version. */
import type { StarRocksCapabilities } from '#domain/starrocks/index.ts';
import type { RetentionSettings } from './retention-policy.ts';

/** The way snapshots are removed, or why none is available. */
export type RemovalMethod =
  /** `DROP SNAPSHOT <label> ON <repo>` (StarRocks 4.2+). */
  | { readonly kind: 'drop-snapshot'; readonly version: string }
  /** Delete the snapshot's objects under `retention.s3` (opt-in; any version). */
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string }
  /** `remove: none`: only the catalog marks the snapshot pruned (something else deletes the files). */
  | { readonly kind: 'catalog-only' }
  /** Nothing can remove snapshots on this cluster as configured. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** A dry run could not ask the FE which method applies. */
  | { readonly kind: 'unknown'; readonly reason: string };

/** True when choosing the method needs the FE's version (`auto` and `drop-snapshot`). */
export function methodNeedsVersion(remove: RetentionSettings['remove']): boolean {
  return remove === 'auto' || remove === 'drop-snapshot';
}

/**
 * Chooses the method: `drop-snapshot` needs 4.2; `s3` needs `retention.s3`; `auto` takes DROP SNAPSHOT where the
 * FE has it and else S3 when configured; `none` only marks the catalog.
 * @param frontEnd the FE's version and capabilities; required for `auto` and `drop-snapshot`.
 */
export function chooseRemovalMethod(
  retention: Pick<RetentionSettings, 'remove' | 's3'>,
  frontEnd: {
    readonly version: string;
    readonly capabilities: Pick<StarRocksCapabilities, 'dropSnapshot'>;
  } | null,
): RemovalMethod {
  const s3 =
    retention.s3 === undefined
      ? undefined
      : ({ kind: 's3', bucket: retention.s3.bucket, prefix: retention.s3.prefix } as const);
  switch (retention.remove) {
    case 'none':
      return { kind: 'catalog-only' };
    case 's3':
      return s3 ?? { kind: 'unavailable', reason: 'retention.remove is "s3" but retention.s3 is not set' };
    case 'drop-snapshot':
    case 'auto': {
      if (frontEnd === null) {
        return { kind: 'unavailable', reason: 'the FE version is needed to choose how to remove snapshots' };
      }
      if (frontEnd.capabilities.dropSnapshot) return { kind: 'drop-snapshot', version: frontEnd.version };
      if (retention.remove === 'auto' && s3 !== undefined) return s3;
      return {
        kind: 'unavailable',
        reason:
          `StarRocks ${frontEnd.version} has no DROP SNAPSHOT (4.2+)` +
          (retention.remove === 'auto'
            ? ' and retention.s3 is not set: set retention.s3 {bucket, prefix} to delete the snapshot objects, or remove: none to only mark the catalog'
            : ': use remove: s3 with retention.s3, or remove: none'),
      };
    }
  }
}
