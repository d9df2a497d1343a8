import { clusterSettingsSchema } from '#domain/config/index.ts';
import { z } from '#domain/zod.ts';

/**
 * What the SettleExecution machine passes: EventBridge's "Step Functions Execution Status Change" event for an
 * execution that ended ABORTED, TIMED_OUT or FAILED, and the settling execution's own id (the holder it takes the
 * ended execution's locks over as). The event's `detail` carries `executionArn`, `status` and the execution's
 * `input` as a JSON string (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html); `input` is
 * null when it was too large to include, and then only a later acquirer's takeover settles what is left.
 */
export const settleEndedInputSchema = z.object({
  event: z.looseObject({
    detail: z.looseObject({
      executionArn: z.string().min(1),
      status: z.string().min(1),
      input: z.string().nullable().optional(),
    }),
    /** A first pass's answer, when it deferred a job (then this is the second pass). */
    orphans: z.looseObject({ recheckAfterSeconds: z.number().optional() }).optional(),
  }),
  settler: z.string().min(1),
});

/** The parts of an ended execution's input the settlement reads (BackupDatabase or RestoreDrill input). */
export const endedExecutionInputSchema = z.looseObject({
  cluster: clusterSettingsSchema,
  runId: z.string().min(1).optional(),
  schedule: z.string().min(1).optional(),
  scheduledTime: z.string().min(1).optional(),
  database: z.string().min(1).optional(),
  label: z.string().min(1).optional(),
});

/** SettleExecution's input. */
export type SettleEndedInput = z.output<typeof settleEndedInputSchema>;
