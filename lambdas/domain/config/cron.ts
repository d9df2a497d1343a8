/**
 * EventBridge Scheduler cron expressions: `minutes hours day-of-month month day-of-week year`.
 *
 * This is not Unix cron and not cron-parser's six-field form (seconds first, Sunday = 0, no year field, no `W`),
 * so we parse and evaluate it ourselves, following the AWS reference
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html):
 *
 * | field        | values             | wildcards           |
 * |--------------|--------------------|---------------------|
 * | minutes      | 0-59               | , - * /             |
 * | hours        | 0-23               | , - * /             |
 * | day-of-month | 1-31               | , - * ? / L W       |
 * | month        | 1-12 or JAN-DEC    | , - * /             |
 * | day-of-week  | 1-7 or SUN-SAT     | , - * ? L #         |
 * | year         | 1970-2199          | , - * /             |
 *
 * Exactly one of the two day fields is `?`. Like Quartz, on which the syntax is modelled, `L`, `LW`, `nW`,
 * `nL` and `n#k` stand alone in their field (no lists or ranges around them).
 */
import { ConfigError } from '#domain/errors.ts';

/** Which days of the month the day-of-month field selects. */
export type DayOfMonthRule =
  | { readonly kind: 'unspecified' }
  | { readonly kind: 'days'; readonly days: ReadonlySet<number> }
  | { readonly kind: 'last-day' }
  | { readonly kind: 'last-weekday' }
  | { readonly kind: 'nearest-weekday'; readonly day: number };

/** Which days the day-of-week field selects; weekdays are numbered as AWS does, SUN = 1 … SAT = 7. */
export type DayOfWeekRule =
  | { readonly kind: 'unspecified' }
  | { readonly kind: 'weekdays'; readonly weekdays: ReadonlySet<number> }
  | { readonly kind: 'last-of-month'; readonly weekday: number }
  | { readonly kind: 'nth-of-month'; readonly weekday: number; readonly nth: number };

/** A parsed, valid EventBridge Scheduler cron expression. */
export interface CronExpression {
  /** The expression with single spaces and upper-case names, as we hand it to EventBridge Scheduler. */
  readonly source: string;
  /** Ascending. */
  readonly minutes: readonly number[];
  /** Ascending. */
  readonly hours: readonly number[];
  readonly dayOfMonth: DayOfMonthRule;
  /** Ascending, 1–12. */
  readonly months: readonly number[];
  readonly dayOfWeek: DayOfWeekRule;
  /** Ascending, 1970–2199. */
  readonly years: readonly number[];
}

/** The result of checking an expression: the parsed form when valid, else every problem found. */
export type CronAnalysis =
  | { readonly ok: true; readonly expression: CronExpression }
  | { readonly ok: false; readonly problems: readonly string[] };

interface FieldSpec {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Names for the values min, min+1, … */
  readonly names?: readonly string[];
}

const FIELD_LABELS = 'minutes hours day-of-month month day-of-week year';
const MINUTES: FieldSpec = { label: 'minutes', min: 0, max: 59 };
const HOURS: FieldSpec = { label: 'hours', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { label: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = {
  label: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const DAY_OF_WEEK: FieldSpec = {
  label: 'day-of-week',
  min: 1,
  max: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};
const YEAR: FieldSpec = { label: 'year', min: 1970, max: 2199 };

/** The first and last year EventBridge Scheduler accepts in the year field. */
export const CRON_YEAR_RANGE = { min: YEAR.min, max: YEAR.max } as const;

function rangeText(spec: FieldSpec): string {
  const names = spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : '';
  return `${spec.min}-${spec.max}${names}`;
}

/** Reads one value (a number, or a name where the field has names); records a problem and returns undefined if bad. */
function parseValue(token: string, spec: FieldSpec, problems: string[]): number | undefined {
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    if (value < spec.min || value > spec.max) {
      problems.push(`${spec.label} ${token} is out of range ${spec.min}-${spec.max}`);
      return undefined;
    }
    return value;
  }
  const nameIndex = spec.names?.indexOf(token) ?? -1;
  if (nameIndex >= 0) return spec.min + nameIndex;
  if (token === '') {
    problems.push(`${spec.label} has an empty value (check for stray commas, dashes or slashes)`);
  } else {
    problems.push(`${spec.label} "${token}" is not a value (expected ${rangeText(spec)})`);
  }
  return undefined;
}

/** Parses `*`, `a`, `a-b`, `*\/n`, `a/n`, `a-b/n` and comma lists of those into a sorted set of values. */
function parseValueList(
  text: string,
  spec: FieldSpec,
  problems: string[],
  options: { allowStep: boolean },
): number[] | undefined {
  const before = problems.length;
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [rangePart = '', stepPart, ...extra] = item.split('/');
    if (extra.length > 0) {
      problems.push(`${spec.label} "${item}" has more than one /`);
      continue;
    }
    if (stepPart !== undefined && !options.allowStep) {
      problems.push(`${spec.label} does not allow / (EventBridge Scheduler allows , - * ? L # there)`);
      continue;
    }
    let start: number | undefined;
    let end: number | undefined;
    if (rangePart === '*') {
      start = spec.min;
      end = spec.max;
    } else if (rangePart.includes('-')) {
      const [from = '', to = '', ...more] = rangePart.split('-');
      if (more.length > 0) {
        problems.push(`${spec.label} "${rangePart}" is not a range a-b`);
        continue;
      }
      start = parseValue(from, spec, problems);
      end = parseValue(to, spec, problems);
      if (start !== undefined && end !== undefined && start > end) {
        problems.push(
          `${spec.label} range ${rangePart} runs backwards (write it as a list of two ascending ranges instead)`,
        );
        continue;
      }
    } else {
      start = parseValue(rangePart, spec, problems);
      end = stepPart === undefined ? start : spec.max;
    }
    let step = 1;
    if (stepPart !== undefined) {
      const largest = spec.max - spec.min;
      if (!/^\d+$/.test(stepPart) || Number(stepPart) < 1 || Number(stepPart) > largest) {
        problems.push(`${spec.label} step ${stepPart || '(empty)'} is out of range 1-${largest}`);
        continue;
      }
      step = Number(stepPart);
    }
    if (start === undefined || end === undefined) continue;
    for (let value = start; value <= end; value += step) values.add(value);
  }
  if (problems.length > before) return undefined;
  return [...values].sort((a, b) => a - b);
}

const SPECIAL_CHARACTERS: Record<string, string> = {
  '?': '? is only allowed in day-of-month or day-of-week',
  L: 'L is only allowed in day-of-month or day-of-week',
  W: 'W is only allowed in day-of-month',
  '#': '# is only allowed in day-of-week',
};

/** Parses minutes, hours, month and year; the day fields have their own readers. */
function parsePlainField(text: string, spec: FieldSpec, problems: string[]): number[] | undefined {
  const withoutNames = spec.names ? spec.names.reduce((rest, name) => rest.replaceAll(name, ''), text) : text;
  for (const [character, message] of Object.entries(SPECIAL_CHARACTERS)) {
    if (withoutNames.includes(character)) {
      problems.push(`${spec.label}: ${message}`);
      return undefined;
    }
  }
  return parseValueList(text, spec, problems, { allowStep: true });
}

function parseDayOfMonth(text: string, problems: string[]): DayOfMonthRule | undefined {
  if (text === '?') return { kind: 'unspecified' };
  if (text === 'L') return { kind: 'last-day' };
  if (text === 'LW') return { kind: 'last-weekday' };
  const nearest = /^(\d+)W$/.exec(text);
  if (nearest?.[1] !== undefined) {
    const day = parseValue(nearest[1], DAY_OF_MONTH, problems);
    return day === undefined ? undefined : { kind: 'nearest-weekday', day };
  }
  if (text.includes('#')) {
    problems.push(`day-of-month: ${SPECIAL_CHARACTERS['#']}`);
    return undefined;
  }
  if (text.includes('?')) {
    problems.push('day-of-month: ? must be the whole field');
    return undefined;
  }
  if (/[LW]/.test(text)) {
    problems.push(
      `day-of-month "${text}": L, LW and nW (for example 15W) must stand alone, not in a list, range or step`,
    );
    return undefined;
  }
  const days = parseValueList(text, DAY_OF_MONTH, problems, { allowStep: true });
  return days === undefined ? undefined : { kind: 'days', days: new Set(days) };
}

function parseDayOfWeek(text: string, problems: string[]): DayOfWeekRule | undefined {
  if (text === '?') return { kind: 'unspecified' };
  // Quartz reads a lone L in day-of-week as the last day of the week, Saturday.
  if (text === 'L') return { kind: 'weekdays', weekdays: new Set([7]) };
  const last = /^([A-Z0-9]+)L$/.exec(text);
  if (last?.[1] !== undefined) {
    const weekday = parseValue(last[1], DAY_OF_WEEK, problems);
    return weekday === undefined ? undefined : { kind: 'last-of-month', weekday };
  }
  const nth = /^([A-Z0-9]+)#(\d*)$/.exec(text);
  if (nth?.[1] !== undefined) {
    const weekday = parseValue(nth[1], DAY_OF_WEEK, problems);
    const occurrence = Number(nth[2]);
    if (nth[2] === '' || occurrence < 1 || occurrence > 5) {
      problems.push(`day-of-week ${text}: the occurrence after # must be 1-5`);
      return undefined;
    }
    return weekday === undefined ? undefined : { kind: 'nth-of-month', weekday, nth: occurrence };
  }
  const withoutNames = (DAY_OF_WEEK.names ?? []).reduce((rest, name) => rest.replaceAll(name, ''), text);
  if (withoutNames.includes('?')) {
    problems.push('day-of-week: ? must be the whole field');
    return undefined;
  }
  if (withoutNames.includes('W')) {
    problems.push(`day-of-week: ${SPECIAL_CHARACTERS.W}`);
    return undefined;
  }
  if (/[L#]/.test(withoutNames)) {
    problems.push(
      `day-of-week "${text}": nL and n#k (for example 6L, 6#3) must stand alone, not in a list or range`,
    );
    return undefined;
  }
  const weekdays = parseValueList(text, DAY_OF_WEEK, problems, { allowStep: false });
  return weekdays === undefined ? undefined : { kind: 'weekdays', weekdays: new Set(weekdays) };
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** AWS weekday number (SUN = 1 … SAT = 7) of a calendar date. */
export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

/** The days (ascending) of one month that the expression's day fields select. */
export function matchingDays(
  expression: Pick<CronExpression, 'dayOfMonth' | 'dayOfWeek'>,
  year: number,
  month: number,
): number[] {
  const lastDay = daysInMonth(year, month);
  const weekday = (day: number): number => weekdayOf(year, month, day);
  const isWeekend = (day: number): boolean => weekday(day) === 1 || weekday(day) === 7;
  const dom = expression.dayOfMonth;
  switch (dom.kind) {
    case 'days':
      return [...dom.days].filter((day) => day <= lastDay).sort((a, b) => a - b);
    case 'last-day':
      return [lastDay];
    case 'last-weekday': {
      let day = lastDay;
      while (isWeekend(day)) day -= 1;
      return [day];
    }
    case 'nearest-weekday': {
      // Quartz's rule: the nearest Monday–Friday without leaving the month (1W on a Saturday is Monday the 3rd).
      const day = dom.day;
      if (day > lastDay) return [];
      if (weekday(day) === 7) return [day === 1 ? 3 : day - 1];
      if (weekday(day) === 1) return [day === lastDay ? day - 2 : day + 1];
      return [day];
    }
    case 'unspecified':
      break;
  }
  const dow = expression.dayOfWeek;
  const firstWeekday = weekday(1);
  switch (dow.kind) {
    case 'weekdays': {
      const days: number[] = [];
      for (let day = 1; day <= lastDay; day += 1) if (dow.weekdays.has(weekday(day))) days.push(day);
      return days;
    }
    case 'last-of-month':
      return [lastDay - ((weekday(lastDay) - dow.weekday + 7) % 7)];
    case 'nth-of-month': {
      const day = 1 + ((dow.weekday - firstWeekday + 7) % 7) + 7 * (dow.nth - 1);
      return day <= lastDay ? [day] : [];
    }
    case 'unspecified':
      return [];
  }
}

function normalise(expression: string): string {
  return expression.trim().split(/\s+/).join(' ').toUpperCase();
}

/** Checks an expression and returns its parsed form, or every problem (each a phrase without the field path). */
export function analyzeCron(expression: string): CronAnalysis {
  const source = normalise(expression);
  if (/^(CRON|RATE|AT)\(/.test(source)) {
    return {
      ok: false,
      problems: [
        `write only the six fields (${FIELD_LABELS}), without the cron( ), rate( ) or at( ) wrapper`,
      ],
    };
  }
  const fields = source === '' ? [] : source.split(' ');
  if (fields.length !== 6) {
    const hint =
      fields.length === 5
        ? '; EventBridge Scheduler needs a year field (add " *"), and one of the day fields must be ?'
        : fields.length === 7
          ? '; EventBridge Scheduler has no seconds field'
          : '';
    return { ok: false, problems: [`must have 6 fields (${FIELD_LABELS}), got ${fields.length}${hint}`] };
  }
  const [minuteText, hourText, domText, monthText, dowText, yearText] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const problems: string[] = [];
  const minutes = parsePlainField(minuteText, MINUTES, problems);
  const hours = parsePlainField(hourText, HOURS, problems);
  const dayOfMonth = parseDayOfMonth(domText, problems);
  const months = parsePlainField(monthText, MONTH, problems);
  const dayOfWeek = parseDayOfWeek(dowText, problems);
  const years = parsePlainField(yearText, YEAR, problems);
  const domUnspecified = domText === '?';
  const dowUnspecified = dowText === '?';
  if (domUnspecified && dowUnspecified) {
    problems.push('only one of day-of-month and day-of-week may be ?');
  } else if (!domUnspecified && !dowUnspecified) {
    problems.push(
      'one of day-of-month and day-of-week must be ? (for example "0 2 * * ? *" or "0 2 ? * MON *")',
    );
  }
  if (
    problems.length > 0 ||
    minutes === undefined ||
    hours === undefined ||
    dayOfMonth === undefined ||
    months === undefined ||
    dayOfWeek === undefined ||
    years === undefined
  ) {
    return { ok: false, problems };
  }
  const parsed: CronExpression = { source, minutes, hours, dayOfMonth, months, dayOfWeek, years };
  if (!matchesSomeDate(parsed)) {
    return {
      ok: false,
      problems: [
        'never matches a calendar date (for example day 30 in February only, or a 5th weekday that never comes)',
      ],
    };
  }
  return { ok: true, expression: parsed };
}

function matchesSomeDate(expression: CronExpression): boolean {
  for (const year of expression.years) {
    for (const month of expression.months) {
      if (matchingDays(expression, year, month).length > 0) return true;
    }
  }
  return false;
}

/** Parses an expression or throws a `ConfigError` whose issues are `cron: <problem>`. */
export function parseCron(expression: string): CronExpression {
  const analysis = analyzeCron(expression);
  if (analysis.ok) return analysis.expression;
  const issues = analysis.problems.map((problem) => `cron: ${problem}`);
  throw new ConfigError(`Invalid cron expression "${expression}":\n  - ${issues.join('\n  - ')}`, issues);
}
