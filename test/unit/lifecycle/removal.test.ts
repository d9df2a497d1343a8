import type { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { parseConfig, toClusterSettings } from '#domain/config/index.ts';
import { DependencyUnavailableError, InvalidIdentifierError } from '#domain/errors.ts';
import { chooseRemovalMethod } from '#domain/prune/removal-method.ts';
import {
  createSnapshotObjectStore,
  type S3Sender,
  snapshotKeyPrefixes,
} from '#domain/prune/s3-snapshot-objects.ts';
import { pruneFailureAlert } from '#functions/NotifyPruneFailure/core.ts';

const S3 = { bucket: 'sr-backups', prefix: 'prod/starrocks' };
const V33 = { version: '3.3.9', capabilities: { dropSnapshot: false } };
const V42 = { version: '4.2.0', capabilities: { dropSnapshot: true } };

describe('choosing how to remove a snapshot', () => {
  it.each([
    ['auto', S3, V42, 'drop-snapshot'],
    ['auto', S3, V33, 's3'],
    ['auto', undefined, V33, 'unavailable'],
    ['drop-snapshot', S3, V33, 'unavailable'],
    ['drop-snapshot', undefined, V42, 'drop-snapshot'],
    ['s3', S3, V42, 's3'],
    ['s3', S3, null, 's3'],
    ['none', undefined, null, 'catalog-only'],
  ] as const)('remove %s with s3 %o on %o → %s', (remove, s3, frontEnd, kind) => {
    expect(chooseRemovalMethod({ remove, ...(s3 === undefined ? {} : { s3 }) }, frontEnd).kind).toBe(kind);
  });

  it('says what to configure when nothing can remove snapshots', () => {
    const method = chooseRemovalMethod({ remove: 'auto' }, V33);
    expect(method).toEqual({
      kind: 'unavailable',
      reason:
        'StarRocks 3.3.9 has no DROP SNAPSHOT (4.2+) and retention.s3 is not set: set retention.s3 {bucket, prefix} to delete the snapshot objects, or remove: none to only mark the catalog',
    });
  });
});

describe("a snapshot's S3 prefixes", () => {
  it('follow StarRocks repository layout, current and legacy, with a trailing slash', () => {
    expect(
      snapshotKeyPrefixes({ bucket: 'b', prefix: '/prod/starrocks/' }, 's3_repo', 'nightly_sales_1'),
    ).toEqual([
      'prod/starrocks/__starrocks_repository_s3_repo/__ss_nightly_sales_1/',
      'prod/starrocks/__palo_repository_s3_repo/__ss_nightly_sales_1/',
    ]);
    expect(snapshotKeyPrefixes({ bucket: 'b', prefix: '' }, 'repo', 'l')).toEqual([
      '__starrocks_repository_repo/__ss_l/',
      '__palo_repository_repo/__ss_l/',
    ]);
  });

  it.each(['../x', 'a/b', '', 'a*', '1abc'])(
    'refuses the label %j, so nothing wider can be deleted',
    (label) => {
      expect(() => snapshotKeyPrefixes(S3, 's3_repo', label)).toThrow(InvalidIdentifierError);
    },
  );

  it('refuses a repository name StarRocks could not have', () => {
    expect(() => snapshotKeyPrefixes(S3, 'repo/..', 'label')).toThrow(InvalidIdentifierError);
  });
});

/** An S3 endpoint that lists what it is given and refuses to delete one key, as S3 reports per-key errors. */
function refusingS3(keys: string[], refused: string): S3Sender & { deleted: string[] } {
  const deleted: string[] = [];
  return {
    deleted,
    send: (async (command: ListObjectsV2Command | DeleteObjectsCommand) => {
      if ('Delete' in command.input) {
        const asked = (command.input.Delete?.Objects ?? []).map((o) => o.Key as string);
        deleted.push(...asked.filter((key) => key !== refused));
        return {
          Errors: asked.includes(refused)
            ? [{ Key: refused, Code: 'AccessDenied', Message: 'Access Denied' }]
            : [],
        };
      }
      const prefix = command.input.Prefix ?? '';
      return {
        Contents: keys.filter((key) => key.startsWith(prefix)).map((Key) => ({ Key })),
        IsTruncated: false,
      };
    }) as S3Sender['send'],
  };
}

describe('deleting a snapshot in S3', () => {
  it('stops with a DependencyUnavailableError naming the key and S3 error code when a key is refused', async () => {
    // Prepare
    const base = 'prod/starrocks/__starrocks_repository_s3_repo/__ss_snap';
    const s3 = refusingS3([`${base}/__meta.1`, `${base}/__info_x.2`], `${base}/__info_x.2`);
    const store = createSnapshotObjectStore({ s3, location: S3 });

    // Act
    const outcome = store.deleteSnapshot({ repository: 's3_repo', label: 'snap' });

    // Assess
    await expect(outcome).rejects.toThrow(DependencyUnavailableError);
    await expect(outcome).rejects.toThrow(
      `S3 refused to delete 1 of 2 objects under s3://sr-backups/${base}/ (first: ${base}/__info_x.2: AccessDenied Access Denied)`,
    );
  });
});

describe('the prune failure alert', () => {
  it('names the cluster, the error and what to run, and says the backups are fine', () => {
    // Prepare
    const config = parseConfig({
      clusters: [
        {
          name: 'prod',
          host: 'fe',
          repository: 's3_repo',
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *' }],
        },
      ],
    });

    // Act
    const alert = pruneFailureAlert({
      run: { id: 'arn:aws:states:eu-west-1:123456789012:execution:NightlyBackup:run1', name: 'run1' },
      cluster: toClusterSettings(config, 'prod'),
      schedule: config.clusters[0]?.schedules[0] as never,
      pruneError: {
        Error: 'PruneIncompleteError',
        Cause: JSON.stringify({
          errorType: 'PruneIncompleteError',
          errorMessage: 'could not remove 1 snapshot(s)',
        }),
      },
    });

    // Assess
    expect(alert.title).toBe('Snapshot pruning failed: prod');
    expect(alert.severity).toBe('warning');
    expect(alert.fields).toEqual([
      ['Cluster', 'prod'],
      ['Schedule', 'nightly'],
      ['Error', 'PruneIncompleteError'],
    ]);
    expect(alert.text).toMatch(
      /^could not remove 1 snapshot\(s\)\. The backups of this run are not affected\./,
    );
    expect(alert.text).toContain('sr-backup prune --config <file> --cluster prod');
    expect(alert.footer).toContain('https://eu-west-1.console.aws.amazon.com/states/home');
  });
});
