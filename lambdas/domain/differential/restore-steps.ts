/**
 * The ordered plan of a chain restore (a full, then one differential) into a NEW database, so the result equals
 * the database at the differential's time. Pure data: the statements are built later in lambdas/domain/starrocks.
 *
 * Order (research docs/research/differential-backups.md §8, "Recommended chain order"):
 *  1. RESTORE the full, leaving out the objects dropped since the full and the objects the differential holds
 *     whole (a whole object is then restored into a database that lacks it: no drop, no schema comparison).
 *  2. DROP PARTITION … FORCE the partitions dropped since the full and those replaced since (new PARTITION_ID).
 *     After step 1 is FINISHED (a table under RESTORE is not NORMAL and refuses the drop) and BEFORE step 3, so a
 *     new partition whose range overlaps a dropped one is not refused with "has conflict range with existing
 *     ranges" (RestoreJob.checkAndPrepareMeta, research §2.2(b)); a replaced partition may have a new range, which
 *     an overwrite would refuse ("has different range with partition in repository", §2.2(a)). GUESS that a
 *     replaced partition can be dropped and then added back; dropping a same-range one is harmless either way.
 *  3. RESTORE the differential: its partitions overwrite (same name) or are added (range tables), its whole
 *     objects are created.
 *  4. REFRESH the materialized views that came from the full (their contents are the full's).
 *  5. Check the result against the differential's manifest.
 */
import { InvalidInputError, SnapshotNotFoundError } from '#domain/errors.ts';
import type { ChainSnapshot } from './chain.ts';
import { unrestorableReason } from './chain.ts';
import { isShadowPartition, type Manifest } from './manifest.ts';
import { type BackupObject, type DifferentialOptions, planDifferential } from './plan.ts';

export type RestoreStep =
  | {
      readonly step: 'restore-full';
      readonly label: string;
      /** Objects of the full to restore; null = the whole snapshot (nothing to leave out). */
      readonly only: readonly string[] | null;
      /** What is left out and why (for the operator's log). */
      readonly leftOut: readonly {
        readonly name: string;
        readonly why: 'dropped-since-full' | 'in-differential';
      }[];
    }
  | {
      readonly step: 'drop-partitions';
      readonly table: string;
      readonly partitions: readonly string[];
      readonly why: 'dropped-since-full' | 'replaced-since-full';
    }
  | {
      readonly step: 'restore-differential';
      readonly label: string;
      readonly objects: readonly BackupObject[];
    }
  | { readonly step: 'refresh-materialized-views'; readonly names: readonly string[] }
  | {
      readonly step: 'check';
      /**
       * Every OLAP table and its partitions with the visible version expected after the restore: a RESTORE sets a
       * partition's VISIBLE_VERSION to the snapshot's (`updateVersionForRestore`, catalog/PhysicalPartitionImpl.java,
       * research §2.2(a)) and its time to the restore's, so times are not compared. GUESS for tables the
       * differential created whole (assumed to keep the snapshot's versions too).
       */
      readonly tables: readonly {
        readonly name: string;
        readonly partitions: readonly { readonly name: string; readonly visibleVersion: string }[];
      }[];
      /** Views and materialized views expected. */
      readonly others: readonly string[];
    };

/**
 * The steps that restore `differential` (taken against `full`) so the new database equals the database at the
 * differential's time. The manifests are the ones recorded with the two snapshots; `options` must be those the
 * differential was planned with.
 *
 * @throws InvalidInputError when the snapshots are not a full and a differential of it.
 * @throws SnapshotNotFoundError when the chain is not restorable (either snapshot unverified, pruned or lost).
 */
export function restoreSteps(
  differential: ChainSnapshot,
  full: ChainSnapshot,
  differentialManifest: Manifest,
  fullManifest: Manifest,
  options: DifferentialOptions = {},
): RestoreStep[] {
  if (differential.kind !== 'differential' || full.kind !== 'full' || differential.baseLabel !== full.label) {
    throw new InvalidInputError(
      `snapshot "${differential.label}" (${differential.kind}) is not a differential of full "${full.label}" (${full.kind})`,
    );
  }
  const why = unrestorableReason(differential, [full]);
  if (why !== null) {
    throw new SnapshotNotFoundError(
      `differential "${differential.label}" of full "${full.label}" is not a restorable point: ${why}`,
    );
  }

  const plan = planDifferential(fullManifest, differentialManifest, options);
  const steps: RestoreStep[] = [];

  const dropped = new Set(plan.droppedTables);
  const whole = new Set(
    plan.objects.filter((object) => object.change === 'whole').map((object) => object.name),
  );
  const fullNames = [...fullManifest.tables, ...fullManifest.others].map((object) => object.name);
  const leftOut: { name: string; why: 'dropped-since-full' | 'in-differential' }[] = [];
  for (const name of fullNames) {
    if (dropped.has(name)) leftOut.push({ name, why: 'dropped-since-full' });
    else if (whole.has(name)) leftOut.push({ name, why: 'in-differential' });
  }
  const restoredFromFull = fullNames.filter((name) => !dropped.has(name) && !whole.has(name));
  if (restoredFromFull.length > 0) {
    steps.push({
      step: 'restore-full',
      label: full.label,
      only: leftOut.length === 0 ? null : restoredFromFull,
      leftOut,
    });
  }

  for (const object of plan.objects) {
    if (object.change !== 'partitions') continue;
    if (object.droppedPartitions.length > 0) {
      steps.push({
        step: 'drop-partitions',
        table: object.name,
        partitions: object.droppedPartitions,
        why: 'dropped-since-full',
      });
    }
    if (object.replacedPartitions.length > 0) {
      steps.push({
        step: 'drop-partitions',
        table: object.name,
        partitions: object.replacedPartitions,
        why: 'replaced-since-full',
      });
    }
  }

  if (plan.backup.length > 0) {
    steps.push({ step: 'restore-differential', label: differential.label, objects: plan.backup });
  }

  const refresh = plan.objects
    .filter((object) => object.kind === 'MATERIALIZED_VIEW' && object.change === 'unchanged')
    .map((object) => object.name);
  if (refresh.length > 0) steps.push({ step: 'refresh-materialized-views', names: refresh });

  steps.push(checkStepOf(differentialManifest));
  return steps;
}

/**
 * The check step of a chain restored to the snapshot whose manifest is `manifest`: every OLAP table with its
 * partitions (shadow partitions left out) and their visible versions, and the other objects by name.
 */
export function checkStepOf(manifest: Manifest): Extract<RestoreStep, { step: 'check' }> {
  return {
    step: 'check',
    tables: manifest.tables.map((table) => ({
      name: table.name,
      partitions: table.partitions
        .filter((partition) => !isShadowPartition(partition.name))
        .map((partition) => ({ name: partition.name, visibleVersion: partition.visibleVersion })),
    })),
    others: manifest.others.map((other) => other.name),
  };
}
