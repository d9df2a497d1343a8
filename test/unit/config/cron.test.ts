import { describe, expect, it } from 'vitest';
import { analyzeCron, parseCron } from '#domain/config/cron.ts';
import { ConfigError } from '#domain/errors.ts';

function problemsOf(expression: string): readonly string[] {
  const analysis = analyzeCron(expression);
  return analysis.ok ? [] : analysis.problems;
}

describe('EventBridge Scheduler cron syntax', () => {
  it.each([
    ['0 9 ? * 8 *', 'day-of-week 8 is out of range 1-7'],
    ['0 9 ? * 0 *', 'day-of-week 0 is out of range 1-7'],
    ['60 2 * * ? *', 'minutes 60 is out of range 0-59'],
    ['0 24 * * ? *', 'hours 24 is out of range 0-23'],
    ['0 2 32 * ? *', 'day-of-month 32 is out of range 1-31'],
    ['0 2 * 13 ? *', 'month 13 is out of range 1-12'],
    ['0 2 * * ? 1969', 'year 1969 is out of range 1970-2199'],
    ['0 2 * * ? 2200', 'year 2200 is out of range 1970-2199'],
    ['0 2 * FOO ? *', 'month "FOO" is not a value (expected 1-12 or JAN-DEC)'],
    ['0 2 ? * FUN *', 'day-of-week "FUN" is not a value (expected 1-7 or SUN-SAT)'],
    ['*/0 2 * * ? *', 'minutes step 0 is out of range 1-59'],
    [
      '0 2 5-1 * ? *',
      'day-of-month range 5-1 runs backwards (write it as a list of two ascending ranges instead)',
    ],
    ['0 2 ? * 2/2 *', 'day-of-week does not allow / (EventBridge Scheduler allows , - * ? L # there)'],
    ['0 2 ? * 6#6 *', 'day-of-week 6#6: the occurrence after # must be 1-5'],
    ['0 L * * ? *', 'hours: L is only allowed in day-of-month or day-of-week'],
    ['0 2 * ? ? *', 'month: ? is only allowed in day-of-month or day-of-week'],
    ['0 2 ? * 2W *', 'day-of-week: W is only allowed in day-of-month'],
    ['0 2 1#2 * ? *', 'day-of-month: # is only allowed in day-of-week'],
    ['0 2 ? * ? *', 'only one of day-of-month and day-of-week may be ?'],
    [
      '0 2 * * * *',
      'one of day-of-month and day-of-week must be ? (for example "0 2 * * ? *" or "0 2 ? * MON *")',
    ],
    [
      '0 2 L,15 * ? *',
      'day-of-month "L,15": L, LW and nW (for example 15W) must stand alone, not in a list, range or step',
    ],
    [
      '0 2 L-3 * ? *',
      'day-of-month "L-3": L, LW and nW (for example 15W) must stand alone, not in a list, range or step',
    ],
    [
      '0 2 ? * 2,6L *',
      'day-of-week "2,6L": nL and n#k (for example 6L, 6#3) must stand alone, not in a list or range',
    ],
    [
      '0 0 30 2 ? *',
      'never matches a calendar date (for example day 30 in February only, or a 5th weekday that never comes)',
    ],
  ])('rejects %s with "%s"', (expression, problem) => {
    expect(problemsOf(expression)).toContain(problem);
  });

  it('asks for the year field when given Unix cron', () => {
    expect(problemsOf('0 2 * * *')).toEqual([
      'must have 6 fields (minutes hours day-of-month month day-of-week year), got 5; EventBridge Scheduler needs a year field (add " *"), and one of the day fields must be ?',
    ]);
  });

  it('points out that there is no seconds field', () => {
    expect(problemsOf('0 0 2 * * ? *')[0]).toMatch(/got 7; EventBridge Scheduler has no seconds field$/);
  });

  it('rejects the cron( ) wrapper with a hint', () => {
    expect(problemsOf('cron(0 2 * * ? *)')[0]).toMatch(/without the cron\( \), rate\( \) or at\( \) wrapper/);
  });

  it('reports every problem of an expression at once', () => {
    expect(problemsOf('61 25 ? 13 8 *')).toEqual([
      'minutes 61 is out of range 0-59',
      'hours 25 is out of range 0-23',
      'month 13 is out of range 1-12',
      'day-of-week 8 is out of range 1-7',
    ]);
  });

  it('accepts lower-case names and extra spaces, and normalises them', () => {
    const expression = parseCron('  0 9  ?  jan-mar mon-fri  * ');
    expect(expression.source).toBe('0 9 ? JAN-MAR MON-FRI *');
    expect(expression.months).toEqual([1, 2, 3]);
    expect(expression.dayOfWeek).toEqual({ kind: 'weekdays', weekdays: new Set([2, 3, 4, 5, 6]) });
  });

  it('numbers weekdays from SUN = 1 to SAT = 7', () => {
    expect(parseCron('0 9 ? * SUN,SAT *').dayOfWeek).toEqual({ kind: 'weekdays', weekdays: new Set([1, 7]) });
  });

  it('reads a lone L in day-of-week as Saturday', () => {
    expect(parseCron('0 9 ? * L *').dayOfWeek).toEqual({ kind: 'weekdays', weekdays: new Set([7]) });
  });

  it('expands steps from a start value and within a range', () => {
    const expression = parseCron('1/10 8-20/4 1/15 */5 ? 2030-2040/5');
    expect(expression.minutes).toEqual([1, 11, 21, 31, 41, 51]);
    expect(expression.hours).toEqual([8, 12, 16, 20]);
    expect(expression.dayOfMonth).toEqual({ kind: 'days', days: new Set([1, 16, 31]) });
    expect(expression.months).toEqual([1, 6, 11]);
    expect(expression.years).toEqual([2030, 2035, 2040]);
  });

  it('parses the special day forms', () => {
    expect(parseCron('0 0 L * ? *').dayOfMonth).toEqual({ kind: 'last-day' });
    expect(parseCron('0 0 LW * ? *').dayOfMonth).toEqual({ kind: 'last-weekday' });
    expect(parseCron('0 0 15W * ? *').dayOfMonth).toEqual({ kind: 'nearest-weekday', day: 15 });
    expect(parseCron('0 0 ? * 6L *').dayOfWeek).toEqual({ kind: 'last-of-month', weekday: 6 });
    expect(parseCron('0 0 ? * FRIL *').dayOfWeek).toEqual({ kind: 'last-of-month', weekday: 6 });
    expect(parseCron('0 0 ? * WED#3 *').dayOfWeek).toEqual({ kind: 'nth-of-month', weekday: 4, nth: 3 });
  });

  it('throws a ConfigError whose issues name the cron field', () => {
    const error = (() => {
      try {
        parseCron('0 9 ? * 8 *');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual(['cron: day-of-week 8 is out of range 1-7']);
  });
});
