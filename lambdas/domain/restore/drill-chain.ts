/**
 * A restore drill of a chain (issue 20, EXPERIMENTAL): the newest restorable point of a database may be a
 * differential backup, restored as its chain (the full, the partition drops, the differential; restoreSteps in
 * lambdas/domain/differential/restore-steps.ts). The RestoreDrill state machine runs the steps one Task at a time,
 * so they travel in the execution's state (`$.plan.chain`), which Step Functions caps at 256 KiB
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, "Maximum input or output size for a
 * task, state, or execution"): a chain whose steps would not fit the bounds below is not drilled as a chain; the
 * drill restores the newest restorable full instead and records why.
 *
 * The check step (every partition's visible version) is not carried: VerifyRestore reads the differential's
 * manifest from the catalog again (a manifest of thousands of partitions is far larger than the state allows).
 */
import type { Manifest } from '#domain/differential/manifest.ts';
import { type RestoreStep, restoreSteps } from '#domain/differential/restore-steps.ts';
import { InvalidInputError } from '#domain/errors.ts';
import { z } from '#domain/zod.ts';
import { type RestoreSnapshot, restoreSnapshotSchema, type SnapshotChoice } from './restore-plan.ts';

/**
 * Largest JSON of a chain's steps in the state. The state also carries the cluster settings, RestoreObjs (up to
 * RESTORE_OBJECTS_MAX_CHARS = 32 KiB) and the check; 48 KiB of steps keeps the whole far below 256 KiB.
 */
export const CHAIN_STEPS_MAX_BYTES = 48 * 1024;

/**
 * Most partitions one chain drill drops. NextRestoreStep sends one ALTER TABLE … DROP PARTITION per partition
 * within its Task timeout (120 s); GUESS/UNVERIFIED: a FORCE drop of an empty-of-transactions partition takes well
 * under 0.5 s on a healthy FE (it is a metadata edit logged once, server/LocalMetastore.dropPartition).
 */
export const CHAIN_DROPS_MAX = 200;

const onEntrySchema = z.union([
  z.string().min(1),
  z.object({ name: z.string().min(1), partitions: z.array(z.string().min(1)).min(1) }),
]);

/** One step of a chain as the state carries it (restoreSteps' step without the check and the operator's notes). */
export const drillChainStepSchema = z.union([
  z.object({
    step: z.literal('restore'),
    /** Which snapshot: the chain's full (`$.plan.chain.full`) or the differential (`$.plan.snapshot`). */
    of: z.enum(['full', 'differential']),
    /** The RESTORE's ON list: names, or names with partitions; null = the whole snapshot. */
    tables: z.array(onEntrySchema).min(1).nullable(),
  }),
  z.object({
    step: z.literal('drop-partitions'),
    table: z.string().min(1),
    partitions: z.array(z.string().min(1)).min(1),
    why: z.enum(['dropped-since-full', 'replaced-since-full']),
  }),
]);

/** `$.plan.chain`: the chain a drill restores; `$.plan.snapshot` is the differential (the point reached). */
export const drillChainSchema = z.object({
  /** The full the differential was taken against: restored first. */
  full: restoreSnapshotSchema,
  steps: z.array(drillChainStepSchema).min(1),
});

/** One step of `$.plan.chain`. */
export type DrillChainStep = z.output<typeof drillChainStepSchema>;
/** `$.plan.chain`. */
export type DrillChain = z.output<typeof drillChainSchema>;

/** `$.chainNext`: what NextRestoreStep did and where the chain goes on. */
export const chainNextSchema = z.looseObject({
  /** Index (in `$.plan.chain.steps`) of the RESTORE SubmitRestore sends next; the last one run when `done`. */
  step: z.number().int().nonnegative(),
  /** No RESTORE is left: the chain is restored, VerifyRestore comes next. */
  done: z.boolean(),
  /** Partitions NextRestoreStep sent DROP PARTITION IF EXISTS … FORCE for. */
  dropped: z.number().int().nonnegative(),
});

/** `$.chainNext`. */
export type ChainNext = z.output<typeof chainNextSchema>;

/** What a drill restores: one full, or a chain; `fallback` says why a newer differential was not drilled. */
export type DrillPoint =
  | { readonly kind: 'chain'; readonly snapshot: RestoreSnapshot; readonly chain: DrillChain }
  | { readonly kind: 'full'; readonly why: string };

/**
 * The chain a drill restores to `choice` (a differential and its full), from the two manifests the catalog holds,
 * or why it cannot be drilled as a chain (the caller drills the newest full instead): a manifest is missing, the
 * chain would refresh materialized views or restore views / materialized views from the differential (not built:
 * runRestoreChain in lambdas/domain/differential/take.ts refuses the same), or its steps exceed the bounds above.
 */
export function planDrillChain(
  choice: Extract<SnapshotChoice, { kind: 'differential' }>,
  manifests: { readonly differential: Manifest | undefined; readonly full: Manifest | undefined },
): DrillPoint {
  const point = `differential ${choice.snapshot.label} (of full ${choice.full.label})`;
  const missing = [
    ...(manifests.full === undefined ? [`full ${choice.full.label}`] : []),
    ...(manifests.differential === undefined ? [`differential ${choice.snapshot.label}`] : []),
  ];
  if (manifests.full === undefined || manifests.differential === undefined) {
    return {
      kind: 'full',
      why: `${point}: the catalog holds no partition manifest of the ${missing.join(' nor of the ')}`,
    };
  }
  const steps = restoreSteps(
    chainSnapshot('differential', choice.snapshot.label, choice.full.label),
    chainSnapshot('full', choice.full.label, null),
    manifests.differential,
    manifests.full,
  );
  if (steps.some((step) => step.step === 'refresh-materialized-views')) {
    return { kind: 'full', why: `${point}: its chain refreshes materialized views, which is not built yet` };
  }
  const notTables = steps.flatMap((step) =>
    step.step === 'restore-differential'
      ? step.objects.filter((object) => object.kind !== 'OLAP').map((object) => object.name)
      : [],
  );
  if (notTables.length > 0) {
    return {
      kind: 'full',
      why: `${point}: it holds views or materialized views (${notTables.slice(0, 5).join(', ')}), which a chain restore does not restore yet`,
    };
  }
  const carried = steps.flatMap(toDrillStep);
  const drops = carried.reduce(
    (sum, step) => sum + (step.step === 'drop-partitions' ? step.partitions.length : 0),
    0,
  );
  if (drops > CHAIN_DROPS_MAX) {
    return {
      kind: 'full',
      why: `${point}: its chain drops ${drops} partitions, more than a drill drops (${CHAIN_DROPS_MAX})`,
    };
  }
  const bytes = Buffer.byteLength(JSON.stringify(carried), 'utf8');
  if (bytes > CHAIN_STEPS_MAX_BYTES) {
    return {
      kind: 'full',
      why: `${point}: its steps take ${bytes} bytes, more than a drill carries in its state (${CHAIN_STEPS_MAX_BYTES})`,
    };
  }
  if (!carried.some((step) => step.step === 'restore')) {
    // restoreSteps always restores something from a differential that a BACKUP produced; defensive.
    return { kind: 'full', why: `${point}: its chain restores nothing` };
  }
  return { kind: 'chain', snapshot: choice.snapshot, chain: { full: choice.full, steps: carried } };
}

function chainSnapshot(kind: 'full' | 'differential', label: string, baseLabel: string | null) {
  // chooseSnapshot already found both verified and neither pruned nor lost (unrestorableReason).
  return { kind, label, baseLabel, verified: true, prunedAt: null, lost: false } as const;
}

function toDrillStep(step: RestoreStep): DrillChainStep[] {
  switch (step.step) {
    case 'restore-full':
      return [{ step: 'restore', of: 'full', tables: step.only === null ? null : [...step.only] }];
    case 'drop-partitions':
      return [
        { step: 'drop-partitions', table: step.table, partitions: [...step.partitions], why: step.why },
      ];
    case 'restore-differential':
      return [
        {
          step: 'restore',
          of: 'differential',
          tables: step.objects.map((object) =>
            object.partitions === null
              ? object.name
              : { name: object.name, partitions: [...object.partitions] },
          ),
        },
      ];
    case 'refresh-materialized-views':
    case 'check':
      return [];
  }
}

/** Index of the chain's first RESTORE. @throws InvalidInputError when it has none. */
export function firstRestoreIndex(chain: DrillChain): number {
  const index = chain.steps.findIndex((step) => step.step === 'restore');
  if (index < 0) throw new InvalidInputError('the drill chain has no RESTORE step');
  return index;
}

/** The RESTORE step at `index`. @throws InvalidInputError when that step is not a RESTORE. */
export function restoreStepAt(
  chain: DrillChain,
  index: number,
): Extract<DrillChainStep, { step: 'restore' }> {
  const step = chain.steps[index];
  if (step?.step !== 'restore')
    throw new InvalidInputError(`step ${index} of the drill chain is not a RESTORE`);
  return step;
}

/** Whether any step follows `index`. */
export function stepsLeftAfter(chain: DrillChain, index: number): boolean {
  return index < chain.steps.length - 1;
}

/** The drop steps after the RESTORE at `index`, up to the next RESTORE (null: none left). */
export function dropsUntilNextRestore(
  chain: DrillChain,
  index: number,
): { drops: Extract<DrillChainStep, { step: 'drop-partitions' }>[]; next: number | null } {
  const drops: Extract<DrillChainStep, { step: 'drop-partitions' }>[] = [];
  for (let at = index + 1; at < chain.steps.length; at += 1) {
    const step = chain.steps[at] as DrillChainStep;
    if (step.step === 'restore') return { drops, next: at };
    drops.push(step);
  }
  return { drops, next: null };
}

/** The snapshot a RESTORE step reads. */
export function snapshotOfStep(
  plan: { readonly snapshot: RestoreSnapshot; readonly chain?: DrillChain | undefined },
  step: Extract<DrillChainStep, { step: 'restore' }>,
): RestoreSnapshot {
  if (step.of === 'differential') return plan.snapshot;
  if (plan.chain === undefined) throw new InvalidInputError('a chain step without $.plan.chain');
  return plan.chain.full;
}

/**
 * Every RESTORE job a plan may have running in its target, by label and timestamp: the snapshot's, and for a chain
 * the full's too (CancelRestore and DropScratch cancel whichever of them still runs).
 */
export function restoreJobsOf(plan: {
  readonly targetDatabase: string;
  readonly snapshot: RestoreSnapshot;
  readonly chain?: DrillChain | undefined;
}): { targetDatabase: string; label: string; snapshotTimestamp: string }[] {
  const of = (snapshot: RestoreSnapshot) => ({
    targetDatabase: plan.targetDatabase,
    label: snapshot.label,
    snapshotTimestamp: snapshot.snapshotTimestamp,
  });
  return plan.chain === undefined ? [of(plan.snapshot)] : [of(plan.chain.full), of(plan.snapshot)];
}
