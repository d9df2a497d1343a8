import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchingDays, parseCron } from '#domain/config/cron.ts';
import { nextSlots, previousSlot } from '#domain/config/schedule-slots.ts';
import { localDateTime } from '#domain/config/time-zone.ts';
import { ConfigError } from '#domain/errors.ts';

const utc = (cron: string) => ({ cron, timezone: 'UTC' });
const iso = (dates: readonly Date[]) => dates.map((date) => date.toISOString());

describe('nextSlots with hand-worked vectors (UTC)', () => {
  it.each([
    ['0 9 ? * 2 *', '2026-11-25T00:00:00Z', ['2026-11-30T09:00:00.000Z', '2026-12-07T09:00:00.000Z']],
    ['0 9 ? * MON *', '2026-11-25T00:00:00Z', ['2026-11-30T09:00:00.000Z', '2026-12-07T09:00:00.000Z']],
    ['0 12 ? * 1 *', '2026-11-25T00:00:00Z', ['2026-11-29T12:00:00.000Z', '2026-12-06T12:00:00.000Z']],
    ['0 10 ? * 6L *', '2026-11-01T00:00:00Z', ['2026-11-27T10:00:00.000Z', '2026-12-25T10:00:00.000Z']],
    ['0 10 ? * 6#3 *', '2026-11-01T00:00:00Z', ['2026-11-20T10:00:00.000Z', '2026-12-18T10:00:00.000Z']],
    ['0 10 ? * FRI#5 *', '2026-11-01T00:00:00Z', ['2027-01-29T10:00:00.000Z', '2027-04-30T10:00:00.000Z']],
    ['0 0 L * ? *', '2027-01-31T00:00:00Z', ['2027-02-28T00:00:00.000Z', '2027-03-31T00:00:00.000Z']],
    ['0 0 L 2 ? *', '2027-03-01T00:00:00Z', ['2028-02-29T00:00:00.000Z', '2029-02-28T00:00:00.000Z']],
    ['0 0 15W * ? *', '2026-08-01T00:00:00Z', ['2026-08-14T00:00:00.000Z', '2026-09-15T00:00:00.000Z']],
    ['0 0 15W * ? *', '2026-11-01T00:00:00Z', ['2026-11-16T00:00:00.000Z', '2026-12-15T00:00:00.000Z']],
    ['0 0 1W * ? *', '2026-07-15T00:00:00Z', ['2026-08-03T00:00:00.000Z', '2026-09-01T00:00:00.000Z']],
    ['0 0 31W * ? *', '2026-05-01T00:00:00Z', ['2026-05-29T00:00:00.000Z', '2026-07-31T00:00:00.000Z']],
    ['0 0 LW * ? *', '2026-10-01T00:00:00Z', ['2026-10-30T00:00:00.000Z', '2026-11-30T00:00:00.000Z']],
    ['0 0 ? * L *', '2026-11-25T00:00:00Z', ['2026-11-28T00:00:00.000Z', '2026-12-05T00:00:00.000Z']],
    ['0 0 1 1 ? 2027-2028', '2026-06-01T00:00:00Z', ['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z']],
    ['0 0 1 JAN ? 2030/5', '2026-06-01T00:00:00Z', ['2030-01-01T00:00:00.000Z', '2035-01-01T00:00:00.000Z']],
    [
      '0 6 ? JAN,JUL MON#1 *',
      '2026-06-01T00:00:00Z',
      ['2026-07-06T06:00:00.000Z', '2027-01-04T06:00:00.000Z'],
    ],
  ])('%s after %s', (cron, after, expected) => {
    expect(iso(nextSlots(utc(cron), new Date(after), 2))).toEqual(expected);
  });

  it('walks steps, ranges and lists within a day', () => {
    expect(iso(nextSlots(utc('0/15 9-10 * * ? *'), new Date('2026-01-01T00:00:00Z'), 9))).toEqual([
      '2026-01-01T09:00:00.000Z',
      '2026-01-01T09:15:00.000Z',
      '2026-01-01T09:30:00.000Z',
      '2026-01-01T09:45:00.000Z',
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:15:00.000Z',
      '2026-01-01T10:30:00.000Z',
      '2026-01-01T10:45:00.000Z',
      '2026-01-02T09:00:00.000Z',
    ]);
    expect(iso(nextSlots(utc('5,35 */6 * * ? *'), new Date('2026-01-01T00:05:00Z'), 4))).toEqual([
      '2026-01-01T00:35:00.000Z',
      '2026-01-01T06:05:00.000Z',
      '2026-01-01T06:35:00.000Z',
      '2026-01-01T12:05:00.000Z',
    ]);
  });

  it('returns fewer slots when the year field runs out', () => {
    expect(iso(nextSlots(utc('0 0 1 1 ? 2027-2028'), new Date('2026-06-01T00:00:00Z'), 5))).toHaveLength(2);
    expect(nextSlots(utc('0 0 1 1 ? 2027'), new Date('2027-01-01T00:00:00Z'), 1)).toEqual([]);
  });

  it('returns nothing for a non-positive count', () => {
    expect(nextSlots(utc('0 0 * * ? *'), new Date('2026-01-01T00:00:00Z'), 0)).toEqual([]);
  });

  it('throws a ConfigError for an invalid expression or time zone', () => {
    expect(() => nextSlots(utc('0 9 ? * 8 *'), new Date(), 1)).toThrow(ConfigError);
    expect(() => nextSlots({ cron: '0 9 * * ? *', timezone: 'Mars/Olympus' }, new Date(), 1)).toThrow(
      /timezone: "Mars\/Olympus" is not a known IANA time zone name/,
    );
  });
});

describe('previousSlot', () => {
  it('returns the slot itself when asked at the slot', () => {
    const schedule = { cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' };
    expect(previousSlot(schedule, new Date('2026-11-24T18:00:00Z'))?.toISOString()).toBe(
      '2026-11-24T18:00:00.000Z',
    );
  });

  it('returns the day before one minute earlier', () => {
    const schedule = { cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' };
    expect(previousSlot(schedule, new Date('2026-11-24T17:59:59Z'))?.toISOString()).toBe(
      '2026-11-23T18:00:00.000Z',
    );
  });

  it('finds a rare slot far back', () => {
    expect(previousSlot(utc('0 0 29 2 ? *'), new Date('2027-06-01T00:00:00Z'))?.toISOString()).toBe(
      '2024-02-29T00:00:00.000Z',
    );
  });

  it('returns null before the first slot', () => {
    expect(previousSlot(utc('0 0 1 1 ? 1970'), new Date('1969-12-31T23:59:00Z'))).toBeNull();
    expect(previousSlot(utc('0 0 2 1 ? 2030'), new Date('2026-01-01T00:00:00Z'))).toBeNull();
  });
});

describe('time zones and daylight saving time', () => {
  it('fires 02:00 Asia/Shanghai at 18:00Z the previous day', () => {
    const schedule = { cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' };
    expect(iso(nextSlots(schedule, new Date('2026-11-24T00:00:00Z'), 2))).toEqual([
      '2026-11-24T18:00:00.000Z',
      '2026-11-25T18:00:00.000Z',
    ]);
  });

  it('skips 02:30 America/New_York on the spring-forward day (2026-03-08)', () => {
    const schedule = { cron: '30 2 * * ? *', timezone: 'America/New_York' };
    expect(iso(nextSlots(schedule, new Date('2026-03-06T12:00:00Z'), 3))).toEqual([
      '2026-03-07T07:30:00.000Z',
      '2026-03-09T06:30:00.000Z',
      '2026-03-10T06:30:00.000Z',
    ]);
    expect(previousSlot(schedule, new Date('2026-03-08T12:00:00Z'))?.toISOString()).toBe(
      '2026-03-07T07:30:00.000Z',
    );
  });

  it('runs 01:30 America/New_York once, at the first occurrence, on the fall-back day (2026-11-01)', () => {
    const schedule = { cron: '30 1 * * ? *', timezone: 'America/New_York' };
    expect(iso(nextSlots(schedule, new Date('2026-10-30T12:00:00Z'), 3))).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
    // 06:45Z is 01:45 EST, the second pass through the repeated hour: the slot was the first pass.
    expect(previousSlot(schedule, new Date('2026-11-01T06:45:00Z'))?.toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('skips 02:30 Europe/Berlin on the spring-forward day (2026-03-29)', () => {
    const schedule = { cron: '30 2 * * ? *', timezone: 'Europe/Berlin' };
    expect(iso(nextSlots(schedule, new Date('2026-03-27T12:00:00Z'), 2))).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('runs 02:30 Europe/Berlin once, at the first occurrence, on the fall-back day (2026-10-25)', () => {
    const schedule = { cron: '30 2 * * ? *', timezone: 'Europe/Berlin' };
    expect(iso(nextSlots(schedule, new Date('2026-10-23T12:00:00Z'), 3))).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('runs an hourly schedule once per local hour across both clock changes', () => {
    const hourly = { cron: '0 * * * ? *', timezone: 'America/New_York' };
    expect(iso(nextSlots(hourly, new Date('2026-11-01T03:30:00Z'), 4))).toEqual([
      '2026-11-01T04:00:00.000Z',
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
      '2026-11-01T08:00:00.000Z',
    ]);
    const berlin = { cron: '0 * * * ? *', timezone: 'Europe/Berlin' };
    expect(iso(nextSlots(berlin, new Date('2026-03-29T00:30:00Z'), 2))).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
    ]);
  });
});

describe('slots agree with a minute-by-minute scan', () => {
  const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Shanghai', 'Australia/Lord_Howe'];
  const crons = ['30 1,2 * * ? *', '0/20 0-3 * * ? *', '15 2 ? * 1,7 *', '45 * L * ? *', '0 3 ? * 1#1 *'];
  // 2026 transition days: US 03-08/11-01, EU 03-29/10-25, Lord Howe 04-05/10-04.
  const windowStarts = [
    '2026-03-07',
    '2026-03-28',
    '2026-04-04',
    '2026-10-03',
    '2026-10-24',
    '2026-10-31',
  ].map((day) => Date.parse(`${day}T00:00:00Z`));

  /** Slots by brute force: every minute whose local fields match, counted once per local wall-clock minute. */
  function scan(cron: string, timezone: string, fromMs: number, toMs: number): string[] {
    const expression = parseCron(cron);
    const seen = new Set<string>();
    const slots: string[] = [];
    for (let t = fromMs - 3 * 3_600_000; t <= toMs; t += 60_000) {
      const local = localDateTime(timezone, t);
      const key = `${local.year}-${local.month}-${local.day} ${local.hour}:${local.minute}`;
      const matches =
        expression.years.includes(local.year) &&
        expression.months.includes(local.month) &&
        matchingDays(expression, local.year, local.month).includes(local.day) &&
        expression.hours.includes(local.hour) &&
        expression.minutes.includes(local.minute);
      if (matches && !seen.has(key) && t > fromMs) slots.push(new Date(t).toISOString());
      if (matches) seen.add(key);
    }
    return slots;
  }

  it('for random schedules, zones and instants around transition days', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...crons),
        fc.constantFrom(...zones),
        fc.constantFrom(...windowStarts),
        fc.integer({ min: 0, max: 36 * 60 }),
        (cron, timezone, windowStart, offsetMinutes) => {
          const fromMs = windowStart + offsetMinutes * 60_000;
          const toMs = fromMs + 48 * 3_600_000;
          const expected = scan(cron, timezone, fromMs, toMs);
          const schedule = { cron, timezone };
          const actual = iso(nextSlots(schedule, new Date(fromMs), expected.length + 1)).filter(
            (slot) => Date.parse(slot) <= toMs,
          );
          expect(actual).toEqual(expected);
          const first = expected[0];
          if (first !== undefined) {
            expect(previousSlot(schedule, new Date(Date.parse(first) + 30_000))?.toISOString()).toBe(first);
          }
        },
      ),
      { numRuns: 40, seed: 20261125 },
    );
  });
});
