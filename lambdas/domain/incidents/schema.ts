import { z } from '#domain/zod.ts';

/** Version of the incident item shape. */
export const INCIDENT_SCHEMA_VERSION = 1;

/** Longest `summary` and field value kept (characters): items stay small, messages readable. */
export const INCIDENT_TEXT_MAX_CHARS = 1000;

/** At most this many fields per incident. */
export const INCIDENT_MAX_FIELDS = 10;

const isoUtc = z.iso.datetime();
const text = z.string().max(INCIDENT_TEXT_MAX_CHARS);

/**
 * What became of one Slack message of an incident (its opening alert, or its recovery notice):
 * - `pending`: to be posted by the next notifier run;
 * - `delivered`: posted (`ts`/`channel` when the Web API posted it, so a reply can go to its thread);
 * - `failed`: the last try failed; tried again while `attempts` is below the limit;
 * - `not-needed`: nothing to say (a drift that went away, a recovery whose alert was never posted).
 */
export const NoticeSchema = z.object({
  state: z.enum(['pending', 'delivered', 'failed', 'not-needed']),
  attempts: z.number().int().nonnegative(),
  via: z.enum(['web-api', 'webhook']).nullable(),
  ts: z.string().max(64).nullable(),
  channel: z.string().max(128).nullable(),
  error: text.nullable(),
  at: isoUtc.nullable(),
});

/** One Slack message of an incident. */
export type Notice = z.infer<typeof NoticeSchema>;

/** How an incident ended: a good snapshot again, or the database left the checker's sight. */
export const ResolutionSchema = z.enum(['recovered', 'gone', 'deselected', 'covered']);

/** How an incident ended. */
export type Resolution = z.infer<typeof ResolutionSchema>;

/**
 * One incident: a database that is late (or never backed up past its slot), or that no schedule covers (drift).
 * The item is re-used when the same database has a new incident of the same type (`openedAt` tells them apart).
 */
export const IncidentSchema = z.object({
  schemaVersion: z.literal(INCIDENT_SCHEMA_VERSION),
  kind: z.literal('incident'),
  cluster: z.string().min(1).max(1024),
  /** `cluster-snapshot`: a shared-data cluster's automated snapshots are off, failing or stale (database `(cluster)`). */
  type: z.enum(['late', 'drift', 'cluster-snapshot']),
  database: z.string().min(1).max(1024),
  status: z.enum(['open', 'resolved']),
  openedAt: isoUtc,
  /** The last check that saw the incident, and what it said. */
  lastSeenAt: isoUtc,
  /** Why, in one word: `missed`, `failed`, `skipped`, `stuck`, `paused`, `never` or `uncovered`. */
  cause: z.string().min(1).max(32),
  /** One sentence: what is wrong. */
  summary: text,
  /** Labelled facts for the alert (latest good snapshot, expected slot, …). */
  fields: z.array(z.tuple([z.string().max(64), text])).max(INCIDENT_MAX_FIELDS),
  alert: NoticeSchema,
  resolvedAt: isoUtc.nullable(),
  resolution: ResolutionSchema.nullable(),
  /** What the recovery notice says (the good snapshot, or why the incident was closed). */
  resolutionSummary: text.nullable(),
  recovery: NoticeSchema.nullable(),
});

/** One incident as stored. */
export type Incident = z.infer<typeof IncidentSchema>;

/** A notice nobody has tried to post yet. */
export function pendingNotice(): Notice {
  return { state: 'pending', attempts: 0, via: null, ts: null, channel: null, error: null, at: null };
}

/** A notice that will not be posted. */
export function notNeededNotice(): Notice {
  return { state: 'not-needed', attempts: 0, via: null, ts: null, channel: null, error: null, at: null };
}

/** Cuts a text to INCIDENT_TEXT_MAX_CHARS, marking the cut. */
export function boundedText(value: string): string {
  return value.length <= INCIDENT_TEXT_MAX_CHARS ? value : `${value.slice(0, INCIDENT_TEXT_MAX_CHARS - 1)}…`;
}
