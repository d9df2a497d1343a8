/**
 * Turns zod issues into the one error format users see: `clusters[0].schedules[1].cron: <what is wrong>`.
 * Messages describe the type of a wrong value but never echo strings, so a password pasted into the wrong
 * field does not end up in an error, a log line or a terminal.
 */
import type { z } from 'zod';

/** A key path into the configuration, as zod reports it. */
export type IssuePath = readonly PropertyKey[];

/** One problem at one place. */
export interface ConfigIssue {
  readonly path: IssuePath;
  readonly message: string;
}

/** Formats a path as `clusters[0].schedules[1].cron`; the empty path is `(root)`. */
export function formatPath(path: IssuePath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment))
      text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text || '(root)';
}

/** `path: message`, the form `ConfigError.issues` holds. */
export function formatIssue(issue: ConfigIssue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping of fields',
  array: 'a list',
};

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? `${value}` : `${value} (not a finite number)`;
    case 'boolean':
      return `${value}`;
    case 'string':
      return 'a string';
    case 'object':
      return 'a mapping of fields';
    default:
      return typeof value;
  }
}

function bound(
  origin: string,
  limit: number | bigint,
  inclusive: boolean | undefined,
  side: 'min' | 'max',
): string {
  const n = Number(limit);
  switch (origin) {
    case 'string':
      if (side === 'min') return n <= 1 ? 'must not be empty' : `must be at least ${n} characters long`;
      return `must be at most ${n} characters long`;
    case 'array':
      if (side === 'min') return `must list at least ${n} ${n === 1 ? 'entry' : 'entries'}`;
      return `must list at most ${n} entries`;
    default:
      if (side === 'min') return inclusive === false ? `must be greater than ${n}` : `must be at least ${n}`;
      return inclusive === false ? `must be less than ${n}` : `must be at most ${n}`;
  }
}

/**
 * The per-parse error map: plain-English messages for zod's generic issues. Schema-level `error` options win
 * over it, so specific rules keep their own wording.
 */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case 'too_small':
      return bound(issue.origin, issue.minimum, issue.inclusive, 'min');
    case 'too_big':
      return bound(issue.origin, issue.maximum, issue.inclusive, 'max');
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    default:
      return undefined;
  }
};

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j] ?? 0;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

const SECRET_KEY_HINTS: Record<string, string> = {
  password:
    'passwords do not go in the configuration: store it in Secrets Manager and set passwordSecretArn (locally, set STARROCKS_PASSWORD_<CLUSTER>)',
  webhookurl:
    'webhook URLs do not go in the configuration: store it in Secrets Manager and set slack.webhookSecretArn (locally, set SLACK_WEBHOOK_URL)',
  url: 'webhook URLs do not go in the configuration: store it in Secrets Manager and set slack.webhookSecretArn (locally, set SLACK_WEBHOOK_URL)',
};

/** The message for a key the schema does not know, with a suggestion when one is close. */
export function unknownKeyMessage(key: string, knownKeys: readonly string[]): string {
  const lower = key.toLowerCase();
  const hint =
    SECRET_KEY_HINTS[lower] ??
    (lower.includes('passw')
      ? SECRET_KEY_HINTS.password
      : lower.includes('webhook')
        ? SECRET_KEY_HINTS.url
        : undefined);
  if (hint !== undefined) return `unknown field; ${hint}`;
  const closest = knownKeys
    .map((known) => ({ known, distance: editDistance(key, known) }))
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(key.length / 4)))
    .sort((a, b) => a.distance - b.distance)[0];
  const suggestion = closest ? ` (did you mean ${closest.known}?)` : '';
  return `unknown field${suggestion}; known fields: ${knownKeys.join(', ')}`;
}

/**
 * Flattens zod issues into `ConfigIssue`s: one per unknown key, the most specific branch of a failed union,
 * everything else as is.
 */
export function flattenIssues(
  issues: readonly z.core.$ZodIssue[],
  knownKeysAt: (path: IssuePath) => readonly string[],
  prefix: IssuePath = [],
): ConfigIssue[] {
  const flat: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        flat.push({ path: [...path, key], message: unknownKeyMessage(key, knownKeysAt(path)) });
      }
    } else if (issue.code === 'invalid_union') {
      // The branch whose complaints are all below the value itself is the one the user was writing.
      const nested = issue.errors.find(
        (branch) =>
          branch.length > 0 &&
          branch.every((inner) => inner.path.length > 0 || inner.code === 'unrecognized_keys'),
      );
      if (nested) flat.push(...flattenIssues(nested, knownKeysAt, path));
      else flat.push({ path, message: issue.message });
    } else {
      flat.push({ path, message: issue.message });
    }
  }
  return flat;
}
