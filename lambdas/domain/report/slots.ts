/**
 * Slots that left no backup attempt, told apart as paused or missed. Pure.
 *
 * A slot of an enabled schedule is expected of a database when the schedule's patterns select it and the slot's
 * grace has passed (until then its backup may still be running), and the database existed then, as far as the
 * catalog can tell: between its first and last attempt of the window read, or after it when the schedule itself
 * recorded nothing at or after the slot (a whole cluster that stopped being backed up). Slots before the schedule's
 * first recorded attempt are not judged: the scheduler, the schedule or the database may not have existed yet.
 * Such a slot without an attempt of the database is:
 * - paused, when ResolveDatabases recorded the slot as paused, or a pause the catalog still holds covered it;
 * - missed otherwise: the schedule did not fire, the run failed before reaching any database, or the run did not
 *   reach this one.
 */
import { effectiveDatabaseFilters, nextSlots, selectDatabases } from '#domain/config/index.ts';

/** The schedule fields the derivation reads. */
export interface SlotSchedule {
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly enabled: boolean;
  readonly include?: readonly string[] | undefined;
  readonly exclude?: readonly string[] | undefined;
}

/** The cluster fields the derivation reads. */
export interface SlotCluster {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly schedules: readonly SlotSchedule[];
}

/** A pause as the pause store holds it (or held it: ended pauses stay readable for a while). */
export interface PauseSpan {
  /** Null for a pause of every schedule. */
  readonly schedule: string | null;
  readonly sinceMs: number;
  /** Null while it lasts. */
  readonly untilMs: number | null;
  readonly reason: string;
}

/** A slot a run found paused (lambdas/pause/paused-slots.ts). */
export interface RecordedPausedSlot {
  readonly schedule: string;
  readonly slotMs: number;
  readonly reason: string;
}

/** An attempt, as far as the derivation cares. */
export interface SlotAttempt {
  readonly database: string;
  readonly schedule: string;
  readonly slotMs: number;
}

/** A slot without an attempt of the database. */
export interface MissingSlot {
  readonly database: string;
  readonly schedule: string;
  readonly slotMs: number;
  readonly kind: 'paused' | 'missed';
  /** The pause's reason, for a paused slot. */
  readonly reason: string | null;
}

/** What to derive from. */
export interface MissingSlotRequest {
  readonly cluster: SlotCluster;
  /** The databases to judge (the rows of the report). */
  readonly databases: readonly string[];
  /** Every attempt of the window read (the period and the look-back before it). */
  readonly attempts: readonly SlotAttempt[];
  /** Slots at or after this are judged. */
  readonly fromMs: number;
  /** Slots at or before this are judged: the end of the period minus the grace. */
  readonly expectedUntilMs: number;
  readonly pausedSlots: readonly RecordedPausedSlot[];
  readonly pauses: readonly PauseSpan[];
}

const BATCH = 500;

/** Every slot of `schedule` in [fromMs, toMs], oldest first. */
export function slotsBetween(schedule: SlotSchedule, fromMs: number, toMs: number): number[] {
  const slots: number[] = [];
  let after = new Date(fromMs - 1);
  for (;;) {
    const batch = nextSlots(schedule, after, BATCH);
    for (const slot of batch) {
      if (slot.getTime() > toMs) return slots;
      slots.push(slot.getTime());
    }
    const last = batch[batch.length - 1];
    if (batch.length < BATCH || last === undefined) return slots;
    after = last;
  }
}

/** The enabled schedules of the cluster whose patterns select `database`. */
export function schedulesSelecting(cluster: SlotCluster, database: string): SlotSchedule[] {
  return cluster.schedules.filter(
    (schedule) =>
      schedule.enabled &&
      selectDatabases([database], effectiveDatabaseFilters(cluster, schedule)).selected.length > 0,
  );
}

function pauseAt(request: MissingSlotRequest, schedule: string, slotMs: number): string | undefined {
  const recorded = request.pausedSlots.find((slot) => slot.schedule === schedule && slot.slotMs === slotMs);
  if (recorded) return recorded.reason;
  const held = request.pauses.find(
    (pause) =>
      (pause.schedule === null || pause.schedule === schedule) &&
      pause.sinceMs <= slotMs &&
      (pause.untilMs === null || slotMs < pause.untilMs),
  );
  return held?.reason;
}

/** The expected slots without an attempt, per database, oldest first. */
export function deriveMissingSlots(request: MissingSlotRequest): MissingSlot[] {
  const { cluster, fromMs, expectedUntilMs } = request;
  if (expectedUntilMs < fromMs) return [];
  const attempted = new Set(request.attempts.map((a) => `${a.database}\u0000${a.schedule}\u0000${a.slotMs}`));
  const lifetime = new Map<string, { first: number; last: number }>();
  const runs = new Map<string, { first: number; last: number }>();
  const widen = (map: Map<string, { first: number; last: number }>, key: string, slotMs: number) => {
    const span = map.get(key);
    if (span === undefined) map.set(key, { first: slotMs, last: slotMs });
    else {
      span.first = Math.min(span.first, slotMs);
      span.last = Math.max(span.last, slotMs);
    }
  };
  for (const attempt of request.attempts) {
    widen(lifetime, attempt.database, attempt.slotMs);
    widen(runs, attempt.schedule, attempt.slotMs);
  }
  // A run that found a pause still proves the schedule fired.
  for (const slot of request.pausedSlots) widen(runs, slot.schedule, slot.slotMs);
  const slotsOf = new Map<string, number[]>();
  const missing: MissingSlot[] = [];
  for (const database of request.databases) {
    const life = lifetime.get(database);
    for (const schedule of schedulesSelecting(cluster, database)) {
      let slots = slotsOf.get(schedule.name);
      if (slots === undefined) {
        slots = slotsBetween(schedule, fromMs, expectedUntilMs);
        slotsOf.set(schedule.name, slots);
      }
      const ran = runs.get(schedule.name);
      for (const slotMs of slots) {
        if (attempted.has(`${database}\u0000${schedule.name}\u0000${slotMs}`)) continue;
        if (life === undefined || ran === undefined || slotMs < ran.first || slotMs < life.first) continue;
        const stoppedSince = slotMs > ran.last;
        if (slotMs > life.last && !stoppedSince) continue;
        const reason = pauseAt(request, schedule.name, slotMs);
        missing.push({
          database,
          schedule: schedule.name,
          slotMs,
          kind: reason === undefined ? 'missed' : 'paused',
          reason: reason ?? null,
        });
      }
    }
  }
  return missing.sort((a, b) => a.slotMs - b.slotMs || a.database.localeCompare(b.database));
}
