// Pure: about 50 ms.
import { describe, expect, it } from 'vitest';
import { deriveMissingSlots, type MissingSlotRequest, slotsBetween } from '#domain/report/slots.ts';

const DAY = 86_400_000;
const FIRST = Date.UTC(2026, 10, 1, 1, 0);
const nightly = { name: 'nightly', cron: '0 1 * * ? *', timezone: 'UTC', enabled: true };
const cluster = { include: ['*'], exclude: ['*_scratch'], schedules: [nightly] };

function request(overrides: Partial<MissingSlotRequest>): MissingSlotRequest {
  return {
    cluster,
    databases: ['sales', 'orders'],
    attempts: [],
    fromMs: FIRST,
    expectedUntilMs: FIRST + 9 * DAY,
    pausedSlots: [],
    pauses: [],
    ...overrides,
  };
}

/** Attempts of `database` on every night in [from, to], but the nights listed in `except`. */
function nights(database: string, from: number, to: number, except: number[] = []) {
  const attempts = [];
  for (let night = from; night <= to; night += 1) {
    if (!except.includes(night))
      attempts.push({ database, schedule: 'nightly', slotMs: FIRST + night * DAY });
  }
  return attempts;
}

describe('paused and missed slots', () => {
  it('lists the slots of a cron schedule between two instants', () => {
    expect(slotsBetween(nightly, FIRST, FIRST + 2 * DAY)).toEqual([FIRST, FIRST + DAY, FIRST + 2 * DAY]);
  });

  it('calls a night the whole cluster skipped missed for every database', () => {
    // Act
    const missing = deriveMissingSlots(
      request({ attempts: [...nights('sales', 0, 9, [4]), ...nights('orders', 0, 9, [4])] }),
    );

    // Assess
    expect(missing).toEqual([
      { database: 'orders', schedule: 'nightly', slotMs: FIRST + 4 * DAY, kind: 'missed', reason: null },
      { database: 'sales', schedule: 'nightly', slotMs: FIRST + 4 * DAY, kind: 'missed', reason: null },
    ]);
  });

  it('calls a slot a run found paused paused, with the pause’s reason', () => {
    // Act
    const missing = deriveMissingSlots(
      request({
        databases: ['sales'],
        attempts: nights('sales', 0, 9, [3]),
        pausedSlots: [{ schedule: 'nightly', slotMs: FIRST + 3 * DAY, reason: 'FE upgrade' }],
      }),
    );

    // Assess
    expect(missing).toEqual([
      {
        database: 'sales',
        schedule: 'nightly',
        slotMs: FIRST + 3 * DAY,
        kind: 'paused',
        reason: 'FE upgrade',
      },
    ]);
  });

  it('calls a slot a held pause covered paused, and the nights after a cluster stopped missed', () => {
    // Act
    const missing = deriveMissingSlots(
      request({
        databases: ['sales'],
        attempts: nights('sales', 0, 5),
        pauses: [{ schedule: null, sinceMs: FIRST + 7 * DAY - 1, untilMs: null, reason: 'maintenance' }],
      }),
    );

    // Assess
    expect(missing.map((slot) => [(slot.slotMs - FIRST) / DAY, slot.kind])).toEqual([
      [6, 'missed'],
      [7, 'paused'],
      [8, 'paused'],
      [9, 'paused'],
    ]);
  });

  it('does not judge slots before a database or the schedule was first recorded, nor after a database left', () => {
    // Act
    const missing = deriveMissingSlots(
      request({
        databases: ['sales', 'orders', 'new_db'],
        attempts: [...nights('sales', 2, 9), ...nights('orders', 2, 5), ...nights('new_db', 6, 9)],
      }),
    );

    // Assess
    expect(missing).toEqual([]);
  });

  it('leaves out databases no enabled schedule selects and slots still inside their grace', () => {
    // Act
    const missing = deriveMissingSlots(
      request({
        databases: ['tmp_scratch', 'sales'],
        attempts: [...nights('tmp_scratch', 0, 3), ...nights('sales', 0, 3)],
        expectedUntilMs: FIRST + 3 * DAY,
      }),
    );

    // Assess
    expect(missing).toEqual([]);
  });
});
