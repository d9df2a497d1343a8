import { clusterSettingsSchema, scheduleSchema } from './config/index.ts';
import { caughtErrorSchema, databaseProblemSchema, executionRefSchema } from './workflow-state.ts';
import { z } from './zod.ts';

/**
 * The NightlyBackup state: what EventBridge Scheduler (or `sr-backup start`) sends, plus what the run adds.
 * No secret ever travels here: the cluster carries its password secret's ARN, never the password.
 */
export const nightlyInputSchema = z.looseObject({
  cluster: clusterSettingsSchema,
  schedule: scheduleSchema,
  /** `<aws.scheduler.scheduled-time>`; absent on a manual start, which then takes the schedule's latest slot. */
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  /** A manual selection of databases (CLI `--database`); absent = every database the patterns select. */
  databases: z.array(z.string().min(1)).min(1).max(1000).optional(),
});

/** One database the run will back up, as the Map iterates it (kept small: the parent holds N of these). */
export const plannedDatabaseSchema = z.object({
  database: z.string().min(1),
  label: z.string().min(1),
  executionName: z.string().min(1).max(78),
  /** Set when the database cannot be backed up as it is: its execution records (and alerts) this instead. */
  problem: databaseProblemSchema.optional(),
});

/** `$.plan`: ResolveDatabases' answer. */
export const runPlanSchema = z.object({
  scheduledTime: z.iso.datetime(),
  databases: z.array(plannedDatabaseSchema),
  skippedEmpty: z.number().int().nonnegative(),
  excluded: z.number().int().nonnegative(),
});

/** The ResolveDatabases Task's input: the whole NightlyBackup state. */
export const resolveInputSchema = nightlyInputSchema.extend({ run: executionRefSchema });

/** The SummarizeRun Task's input (see the two SummarizeRun states of nightly-backup.asl.json). */
export const summarizeInputSchema = z.looseObject({
  run: executionRefSchema,
  cluster: clusterSettingsSchema,
  schedule: scheduleSchema,
  plan: runPlanSchema.optional(),
  /** The execution's input (failure path): where scheduledTime is when no plan was made. */
  input: z.looseObject({ scheduledTime: z.string().optional() }).optional(),
  error: caughtErrorSchema.optional(),
});

/** NightlyBackup's input. */
export type NightlyInput = z.output<typeof nightlyInputSchema>;
/** ResolveDatabases' input. */
export type ResolveInput = z.output<typeof resolveInputSchema>;
/** `$.plan`. */
export type RunPlan = z.output<typeof runPlanSchema>;
/** One planned database. */
export type PlannedDatabase = z.output<typeof plannedDatabaseSchema>;
/** SummarizeRun's input. */
export type SummarizeInput = z.output<typeof summarizeInputSchema>;
