import { describe, expect, it } from 'vitest';
import { executionConsoleUrl } from '#domain/notify/execution-link.ts';
import {
  formatDuration,
  formatRelative,
  formatUtc,
  formatUtcWithRelative,
  toEpochMillis,
} from '#domain/time-format.ts';

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45.9)).toBe('45 s');
    expect(formatDuration(725)).toBe('12 min 5 s');
    expect(formatDuration(3 * 3600 + 12 * 60 + 7)).toBe('3 h 12 min');
    expect(formatDuration(2 * 86_400 + 3 * 3600)).toBe('2 d 3 h');
    expect(formatDuration(3600)).toBe('1 h');
  });

  it('does not print nonsense for impossible input', () => {
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(Number.NaN)).toBe('0 s');
  });
});

describe('times', () => {
  const at = Date.parse('2026-11-24T18:00:00.123Z');

  it('prints UTC to the second', () => {
    expect(formatUtc(at)).toBe('2026-11-24T18:00:00Z');
  });

  it('says how long ago, or how far ahead', () => {
    expect(formatRelative(at, at + 90 * 60_000)).toBe('1 h 30 min ago');
    expect(formatRelative(at, at - 5 * 60_000)).toBe('in 5 min');
    expect(formatRelative(at, at)).toBe('just now');
    expect(formatUtcWithRelative(at, undefined)).toBe('2026-11-24T18:00:00Z');
  });

  it('reads epoch ms and ISO strings alike', () => {
    expect(toEpochMillis('2026-11-24T18:00:00.123Z')).toBe(at);
    expect(toEpochMillis(at)).toBe(at);
    expect(toEpochMillis('not a time')).toBeUndefined();
  });
});

describe('executionConsoleUrl', () => {
  it('links a commercial-partition execution', () => {
    const arn = 'arn:aws:states:ap-southeast-1:123456789012:execution:NightlyBackup:prod-nightly-1';
    expect(executionConsoleUrl(arn)).toBe(
      `https://ap-southeast-1.console.aws.amazon.com/states/home?region=ap-southeast-1#/v2/executions/details/${arn}`,
    );
  });

  it('links a China-partition execution on its own console', () => {
    const arn = 'arn:aws-cn:states:cn-north-1:123456789012:execution:NightlyBackup:x';
    expect(executionConsoleUrl(arn)).toMatch(/^https:\/\/cn-north-1\.console\.amazonaws\.cn\/states\//);
  });

  it('gives no link for anything that is not an execution ARN', () => {
    expect(executionConsoleUrl(undefined)).toBeUndefined();
    expect(executionConsoleUrl('local-run-1')).toBeUndefined();
    expect(
      executionConsoleUrl('arn:aws:states:us-east-1:123456789012:stateMachine:NightlyBackup'),
    ).toBeUndefined();
  });
});
