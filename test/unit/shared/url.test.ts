import { describe, expect, it } from 'vitest';
import { isHttpUrl } from '#domain/url.ts';

describe('isHttpUrl', () => {
  it.each([
    'https://webhook.example.com/slack/incoming',
    'http://127.0.0.1:8000',
    'http://localhost:4566',
    'http://[::1]:8000',
  ])('accepts %s, local endpoints included', (text) => {
    expect(isHttpUrl(text)).toBe(true);
  });

  it.each(['ftp://example.com', 'https://', 'not a url', 'https://exa mple.com', ''])(
    'refuses %j',
    (text) => {
      expect(isHttpUrl(text)).toBe(false);
    },
  );
});
