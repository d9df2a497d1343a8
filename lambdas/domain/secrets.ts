/**
 * Pure rules about the secrets the scheduler reads (the StarRocks FE password, the Slack webhook URL, the Slack bot
 * token): where a Secrets Manager ARN lives and which part of a secret's text is the value. Reading them is the
 * runtime's job. Errors name the ARN, never the value.
 */
import { SecretUnavailableError } from '#domain/errors.ts';
import { isHttpUrl } from '#domain/url.ts';

/** The Region of a Secrets Manager ARN (`arn:<partition>:secretsmanager:<region>:…`), or undefined. */
export function secretArnRegion(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

/**
 * The usable value of a secret string: the `key` member when the secret is a JSON object, else the text itself.
 * A password that merely looks like JSON (a number, a quoted string, `{not json`) stays plain text.
 */
export function secretField(arn: string, secretString: string, key: 'password' | 'url'): string {
  if (secretString.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(secretString);
    } catch {
      parsed = undefined;
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const value = (parsed as Record<string, unknown>)[key];
      if (typeof value !== 'string' || value === '') {
        throw new SecretUnavailableError(
          `Secret ${arn} is a JSON object without a non-empty string "${key}" key (it has: ${Object.keys(parsed).join(', ') || 'no keys'})`,
        );
      }
      return value;
    }
  }
  if (secretString === '') throw new SecretUnavailableError(`Secret ${arn} is empty`);
  return secretString;
}

/** The Slack webhook URL kept in a secret (plain text, or JSON with a `url` key). */
export function webhookUrlOf(arn: string, secretString: string): string {
  const url = secretField(arn, secretString, 'url').trim();
  if (!isHttpUrl(url)) throw new SecretUnavailableError(`Secret ${arn} does not hold an http(s) URL`);
  return url;
}

/** The Slack bot token kept in a secret: plain text, or JSON with a `token` key (JSON that does not parse is refused). */
export function botTokenOf(arn: string, secretString: string): string {
  if (secretString.trim() === '') throw new SecretUnavailableError(`Secret ${arn} has no string value`);
  if (!secretString.trimStart().startsWith('{')) return secretString.trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new SecretUnavailableError(`Secret ${arn} looks like JSON but does not parse`);
  }
  const token = (parsed as Record<string, unknown> | null)?.token;
  if (typeof token !== 'string' || token.trim() === '') {
    throw new SecretUnavailableError(`Secret ${arn} is a JSON object without a non-empty string "token" key`);
  }
  return token.trim();
}
