/**
 * What the checker needs to know about paused schedules: only whether a schedule of a cluster is paused now, and
 * why. A paused schedule's missed slots count as late, with the pause's reason in the alert.
 */
import type { Pause, PauseStore } from '#domain/pause/index.ts';

/** The one question the checker asks the pause store. */
export type PauseLookup = Pick<PauseStore, 'activePause'>;

/** One sentence about a pause, for alerts. */
export function describePause(pause: Pause): string {
  const what = pause.schedule === null ? 'The cluster is paused' : `Schedule ${pause.schedule} is paused`;
  const by = pause.by === null ? '' : ` by ${pause.by}`;
  const until = pause.until === null ? 'until resumed' : `until ${pause.until}`;
  return `${what}${by} since ${pause.since}, ${until}: ${pause.reason}`;
}
