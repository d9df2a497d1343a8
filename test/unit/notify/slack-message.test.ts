import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAlertMessage } from '#domain/notify/alert-message.ts';
import { parseRetryAfter, redactWebhookUrl } from '#domain/notify/slack-delivery.ts';
import {
  boundedList,
  codeBlock,
  escapeMrkdwnLiteral,
  fallbackText,
  inlineCode,
  SLACK_LIMITS,
  truncateText,
} from '#domain/notify/slack-message.ts';

describe('boundedList', () => {
  it('keeps every line when they fit', () => {
    expect(boundedList(['a', 'b'], 100)).toBe('a\nb');
  });

  it('never passes the limit and accounts for every line it leaves out', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ minLength: 1, maxLength: 80 }).map((line) => line.replaceAll('\n', ' ')),
          {
            maxLength: 300,
          },
        ),
        fc.integer({ min: 40, max: 3000 }),
        (lines, maxLength) => {
          const text = boundedList(lines, maxLength);
          expect(text.length).toBeLessThanOrEqual(maxLength);
          const more = /…and (\d+) more$/.exec(text);
          const kept = more ? text.split('\n').length - 1 : lines.length;
          expect(kept + Number(more?.[1] ?? 0)).toBe(lines.length);
        },
      ),
    );
  });
});

describe('text helpers', () => {
  it('marks a cut with an ellipsis', () => {
    expect(truncateText('abcdef', 4)).toBe('abc…');
    expect(truncateText('abc', 4)).toBe('abc');
  });

  it('keeps names inside their code span', () => {
    expect(inlineCode('we`ird <db>')).toBe('`weird &lt;db&gt;`');
  });

  it('shows an empty status as such', () => {
    expect(codeBlock('  ', 500)).toBe('```(empty)```');
  });
});

describe('escapeMrkdwnLiteral', () => {
  it('shows names and patterns that mrkdwn would format as code, so they render as written', () => {
    expect(escapeMrkdwnLiteral('*_scratch, tmp_*')).toBe('`*_scratch`, `tmp_*`');
    expect(escapeMrkdwnLiteral('late since (_x).')).toBe('late since (`_x`).');
    expect(escapeMrkdwnLiteral('~old~ *bold*')).toBe('`~old~` `*bold*`');
  });

  it('leaves words Slack does not format alone, and still escapes control characters', () => {
    expect(escapeMrkdwnLiteral('sales_eu nightly_sales_20261124T1800Z_3f9a')).toBe(
      'sales_eu nightly_sales_20261124T1800Z_3f9a',
    );
    expect(escapeMrkdwnLiteral('x<!channel> & y')).toBe('x&lt;!channel&gt; &amp; y');
  });

  it('is what the generic alert shows for field values, its paragraph and its notification text', () => {
    // Act
    const message = buildAlertMessage({
      title: 'Not covered',
      severity: 'warning',
      fields: [['Exclude patterns', '*_scratch, tmp_*']],
      text: 'No schedule selects _staging.',
    });

    // Assess
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('`*_scratch`, `tmp_*`');
    expect(json).toContain('No schedule selects `_staging`.');
    expect(message.text).toContain('`_staging`');
  });
});

describe('redactWebhookUrl', () => {
  const url = 'https://hooks.slack.com/services/T_TEST/B_TEST/abcdefSECRET';

  it('removes the URL, its path, and anything shaped like a Slack hook', () => {
    expect(redactWebhookUrl(`Failed to parse URL from ${url}`, url)).not.toContain('SECRET');
    expect(redactWebhookUrl('POST /services/T_TEST/B_TEST/abcdefSECRET failed', url)).not.toContain('SECRET');
    expect(redactWebhookUrl('see https://hooks.slack.com/services/T_x/B_y/other')).not.toContain('other');
  });

  it('leaves other text alone', () => {
    expect(redactWebhookUrl('connect ECONNREFUSED 10.0.0.1:443', url)).toBe(
      'connect ECONNREFUSED 10.0.0.1:443',
    );
  });

  it('removes the token segment of any webhook host, alone or URL-encoded, and keeps plain words', () => {
    const other = 'https://webhook.example.invalid/services/T0000/B0000/Zx9TOKENvalue42';
    expect(redactWebhookUrl('invalid_token: Zx9TOKENvalue42', other)).toBe('invalid_token: [redacted]');
    expect(redactWebhookUrl(`echo ${encodeURIComponent(other)}`, other)).not.toContain('TOKEN');
    expect(redactWebhookUrl('no services here', other)).toBe('no services here');
  });
});

describe('fallbackText', () => {
  it('escapes what Slack would read as a mention or a link', () => {
    expect(fallbackText('db x<!channel> & <@U1>')).toBe('db x&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });

  it("stays within Slack's limit and never ends inside an entity", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 4000 }),
        fc.string({ minLength: 2000, maxLength: 3100 }),
        (tail, head) => {
          const text = fallbackText(`${head}${'<&>'.repeat(400)}${tail}`);
          expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
          expect(text).not.toMatch(/&[a-z]{0,3}…$/);
        },
      ),
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-24T18:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 18:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
