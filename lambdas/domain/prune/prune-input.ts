import { clusterSettingsSchema, scheduleSchema } from '#domain/config/index.ts';
import { caughtErrorSchema, executionRefSchema } from '#domain/workflow/workflow-state.ts';
import { z } from '#domain/zod.ts';

/** The PruneSnapshots / NotifyPruneFailure Tasks' input (see nightly-backup.asl.json). */
export const pruneTaskInputSchema = z.looseObject({
  run: executionRefSchema,
  cluster: clusterSettingsSchema,
  schedule: scheduleSchema,
  /** NotifyPruneFailure: what stopped the prune. */
  pruneError: caughtErrorSchema.optional(),
});

/** The prune Tasks' input. */
export type PruneTaskInput = z.output<typeof pruneTaskInputSchema>;
