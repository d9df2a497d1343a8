/** The one check of "an http(s) URL": Slack webhooks, local endpoints (DynamoDB, S3, Slack's API) and the CLI. */
import { z } from './zod.ts';

/** What every refusal says. */
export const HTTP_URL_EXPECTED = 'expected an http(s) URL, e.g. http://127.0.0.1:8000';

/**
 * An http or https URL. Not `z.httpUrl()`: that one demands a domain name and refuses `http://127.0.0.1:8000` and
 * `http://localhost:4566`, the local endpoints this project is pointed at.
 */
export const httpUrlSchema = z.url({ protocol: /^https?$/, error: HTTP_URL_EXPECTED });

/** True when `text` is an http(s) URL ({@link httpUrlSchema}). */
export function isHttpUrl(text: string): boolean {
  return httpUrlSchema.safeParse(text).success;
}
