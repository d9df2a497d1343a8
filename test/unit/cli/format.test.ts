import { describe, expect, it } from 'vitest';
import { formatDuration } from '#domain/time-format.ts';
import { createColors, shouldUseColor, stripAnsi } from '#local/cli/format/color.ts';
import { formatResultsTable, hasFailures, summarizeResults } from '#local/cli/format/results.ts';
import { formatTable } from '#local/cli/format/table.ts';
import { formatInZone, formatUtc } from '#local/cli/format/time.ts';

describe('formatTable', () => {
  it('aligns columns under their headers, right-aligning where asked', () => {
    // Act
    const text = formatTable(
      [{ header: 'NAME' }, { header: 'SIZE', align: 'right' }],
      [
        ['sales', '4.7 GiB'],
        ['crm', '12 B'],
      ],
    );

    // Assess
    expect(text.split('\n')).toEqual(['NAME      SIZE', 'sales  4.7 GiB', 'crm       12 B']);
  });

  it('ignores colour codes when measuring, and cuts long cells with an ellipsis', () => {
    // Prepare
    const colors = createColors(true);

    // Act
    const text = formatTable(
      [{ header: 'STATE' }, { header: 'WHY', maxWidth: 6 }],
      [[colors.red('FAILED'), 'a very long reason']],
    );

    // Assess
    expect(stripAnsi(text).split('\n')).toEqual(['STATE   WHY', 'FAILED  a ver…']);
  });

  it('fills missing cells, flattens line breaks and trims trailing spaces', () => {
    // Act
    const text = formatTable([{ header: 'A' }, { header: 'B' }], [['x'], ['multi\nline', 'y']], {
      indent: '  ',
    });

    // Assess
    expect(text.split('\n')).toEqual(['  A           B', '  x', '  multi line  y']);
  });
});

describe('colours', () => {
  it('are on for a terminal, off with NO_COLOR or TERM=dumb or for a pipe', () => {
    // Assess
    expect(shouldUseColor({ isTTY: true }, {})).toBe(true);
    expect(shouldUseColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(shouldUseColor({ isTTY: false }, {})).toBe(false);
    expect(shouldUseColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(createColors(false).red('x')).toBe('x');
  });
});

describe('time formats', () => {
  it('writes durations in the two largest units, as the alerts do', () => {
    // Assess
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59.9)).toBe('59 s');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(7620)).toBe('2 h 7 min');
    expect(formatDuration(3 * 86_400 + 4 * 3600 + 5)).toBe('3 d 4 h');
    expect(formatDuration(-5)).toBe('0 s');
  });

  it('writes an instant in UTC and in a time zone with its offset, across DST', () => {
    // Assess
    expect(formatUtc('2026-11-24T18:00:00.000Z')).toBe('2026-11-24 18:00:00Z');
    expect(formatInZone(new Date('2026-11-24T18:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-25 02:00 +08:00');
    expect(formatInZone(new Date('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29 01:30 +01:00');
    expect(formatInZone(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29 03:30 +02:00');
    expect(formatInZone(new Date('2026-03-29T01:30:00Z'), 'UTC')).toBe('2026-03-29 01:30 +00:00');
  });
});

describe('run results', () => {
  const results = [
    {
      database: 'crm',
      snapshot: 'nightly_crm_x',
      state: 'FINISHED' as const,
      startedAt: '2026-11-24T18:00:00.000Z',
      finishedAt: '2026-11-24T18:02:05.000Z',
      error: null,
    },
    {
      database: 'events',
      snapshot: 'nightly_events_x',
      state: 'FAILED' as const,
      startedAt: null,
      finishedAt: null,
      error: '[COMMON_ERROR, msg: boom]',
    },
  ];

  it('tabulates each database with its state, duration and reason', () => {
    // Act
    const lines = formatResultsTable(results, createColors(false), { note: () => undefined }).split('\n');

    // Assess
    expect(lines[0]).toMatch(/^DATABASE\s+STATE\s+SNAPSHOT\s+DURATION\s+DETAILS$/);
    expect(lines[1]).toMatch(/^crm\s+FINISHED\s+nightly_crm_x\s+2 min 5 s$/);
    expect(lines[2]).toMatch(/^events\s+FAILED\s+nightly_events_x\s+-\s+\[COMMON_ERROR, msg: boom\]$/);
  });

  it('summarises the states and tells failures apart', () => {
    // Assess
    expect(summarizeResults(results)).toBe('1 FINISHED, 1 FAILED');
    expect(summarizeResults([])).toBe('no databases');
    expect(hasFailures(results)).toBe(true);
    expect(hasFailures([{ state: 'SKIPPED' }, { state: 'FINISHED' }])).toBe(false);
    expect(hasFailures([{ state: 'TIMED_OUT' }])).toBe(true);
  });
});
