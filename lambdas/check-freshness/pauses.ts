/**
 * What the checker needs to know about paused schedules (the pause store is engineer L's, lambdas/pause): only
 * whether a schedule of a cluster is paused now, and why. A paused schedule's missed slots count as late, with the
 * pause's reason in the alert.
 */

/** A pause, as the pause store returns it (the contract between the lifecycle and trust work). */
export interface Pause {
  readonly cluster: string;
  /** Null for a pause of the whole cluster. */
  readonly schedule: string | null;
  readonly reason: string;
  /** ISO 8601. */
  readonly since: string;
  /** ISO 8601, or null for "until resumed". */
  readonly until: string | null;
  readonly by: string | null;
}

/** The one question the checker asks the pause store. */
export interface PauseLookup {
  /** The cluster-wide pause or the schedule's own that is in force now, or null. */
  activePause(request: { cluster: string; schedule: string }): Promise<Pause | null>;
}

/** One sentence about a pause, for alerts. */
export function describePause(pause: Pause): string {
  const what = pause.schedule === null ? 'The cluster is paused' : `Schedule ${pause.schedule} is paused`;
  const by = pause.by === null ? '' : ` by ${pause.by}`;
  const until = pause.until === null ? 'until resumed' : `until ${pause.until}`;
  return `${what}${by} since ${pause.since}, ${until}: ${pause.reason}`;
}
