import { clusterSettingsSchema, scheduleSchema } from '#domain/config/index.ts';
import { z } from '#domain/zod.ts';
import { caughtErrorSchema, databaseProblemSchema, executionRefSchema } from './workflow-state.ts';

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
  /**
   * How the run's queue is cut, for tests and benchmarks that need several pages and lane generations with few
   * databases; a scheduled run never sets it.
   */
  tuning: z
    .strictObject({
      pageSize: z.number().int().min(1).max(100).optional(),
      laneIterations: z.number().int().min(1).max(400).optional(),
    })
    .optional(),
});

/** One database the run will back up: an entry of the run's queue (lambdas/domain/run-plan), kept in the catalog. */
export const plannedDatabaseSchema = z.object({
  database: z.string().min(1),
  label: z.string().min(1),
  executionName: z.string().min(1).max(78),
  expectedSeconds: z.number().nonnegative().optional(),
  /** Set when the database cannot be backed up as it is: its execution records (and alerts) this instead. */
  problem: databaseProblemSchema.optional(),
});

/** Most database names `$.plan.preview` carries (for the CLI's progress; the queue itself is in the catalog). */
export const PLAN_PREVIEW_LIMIT = 50;

/**
 * `$.plan`: ResolveDatabases' answer. Its size does not grow with the databases: the queue is in the catalog, and the
 * state carries its size, the lanes that work it, and at most PLAN_PREVIEW_LIMIT names to show.
 */
export const runPlanSchema = z.object({
  scheduledTime: z.iso.datetime(),
  total: z.number().int().nonnegative(),
  /** The first names of the queue (all of them up to PLAN_PREVIEW_LIMIT). */
  preview: z.array(z.string()).max(PLAN_PREVIEW_LIMIT),
  /** One entry per lane: at most `maxConcurrentBackups`, one per database when there are fewer. */
  lanes: z.array(z.number().int().nonnegative()).max(40),
  /** Claims a lane execution makes before it hands over to its next generation. */
  laneIterations: z.number().int().positive(),
  /** A short, stable key of the run: lane executions are named after it. */
  runKey: z.string().min(1).max(40),
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
