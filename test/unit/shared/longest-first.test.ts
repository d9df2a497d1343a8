import { describe, expect, it } from 'vitest';
import {
  estimateDurations,
  listScheduleMakespan,
  longestExpectedFirst,
  makespanLowerBound,
} from '#domain/run-plan/longest-first.ts';

describe('longest expected first', () => {
  it('estimates from the last measured duration, else from size over the cluster rate, else unknown', () => {
    // Prepare: 1 GB took 100 s on "big", so the cluster moves 10 MB/s.
    const history = new Map([
      ['big', { durationSeconds: 100, sizeBytes: 1_000_000_000 }],
      ['sized', { durationSeconds: null, sizeBytes: 500_000_000 }],
    ]);

    // Act
    const estimates = estimateDurations(['big', 'sized', 'new'], history);

    // Assess
    expect(estimates).toEqual([
      { database: 'big', seconds: 100, source: 'history' },
      { database: 'sized', seconds: 50, source: 'size' },
      { database: 'new', seconds: null, source: 'unknown' },
    ]);
  });

  it('starts unknown databases first, then the longest, keeping name order among equals', () => {
    const order = longestExpectedFirst([
      { database: 'a', seconds: 10, source: 'history' },
      { database: 'b', seconds: 300, source: 'history' },
      { database: 'z', seconds: null, source: 'unknown' },
      { database: 'c', seconds: 300, source: 'size' },
      { database: 'y', seconds: null, source: 'unknown' },
    ]);
    expect(order.map(({ database }) => database)).toEqual(['y', 'z', 'b', 'c', 'a']);
  });

  it('shortens the window a late long job stretches in listing order', () => {
    // Prepare: eight 1 h jobs, then one 4 h job, on two slots.
    const listing = [...Array.from({ length: 8 }, () => 3600), 4 * 3600];
    const longest = [...listing].sort((a, b) => b - a);

    // Assess: listing order ends at 8 h; longest first at 6 h, the lower bound.
    expect(listScheduleMakespan(listing, 2)).toBe(8 * 3600);
    expect(listScheduleMakespan(longest, 2)).toBe(6 * 3600);
    expect(makespanLowerBound(listing, 2)).toBe(6 * 3600);
  });
});
