// Runs in about a second: retention decisions with chains in memory (examples and a fast-check property), no I/O.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainSnapshotsOf } from '#domain/catalog/chain-snapshots.ts';
import type { BackupAttempt } from '#domain/catalog/index.ts';
import { keepChainBases } from '#domain/prune/chain-retention.ts';
import { planRetention, type SnapshotDecision } from '#domain/prune/retention-policy.ts';
import { attemptItem, differentialItem } from './attempt-fixtures.ts';

const NOW = Date.UTC(2026, 10, 30, 6);

function decide(attempts: BackupAttempt[], keepLast: number, pinned: string[] = []) {
  const items = attempts.map((a) => (pinned.includes(a.label) ? { ...a, pinned: true } : a));
  const decisions = planRetention({ attempts: items, policy: { keepLast }, now: NOW, inUse: new Set() });
  return { decisions, chained: keepChainBases(decisions, chainSnapshotsOf(items)) };
}

const byLabel = (decisions: readonly { label: string; action: string; reasons: readonly string[] }[]) =>
  Object.fromEntries(decisions.map((d) => [d.label, `${d.action}:${d.reasons.join('+')}`]));

describe('keepChainBases', () => {
  // A weekly full (days 1, 8) and nightly differentials against it.
  const catalog = [
    attemptItem('f1', 1, { mode: 'full' }),
    differentialItem('d2', 'f1', 2),
    differentialItem('d3', 'f1', 3),
    attemptItem('f8', 8, { mode: 'full' }),
    differentialItem('d9', 'f8', 9),
    differentialItem('d10', 'f8', 10),
  ];

  it('moves a full a kept differential needs from remove to keep, with the reason chain-base', () => {
    // Act: keepLast 2 keeps d10 and d9 only; the policy alone would remove f8.
    const { decisions, chained } = decide(catalog, 2);

    // Assert
    expect(byLabel(decisions).f8).toBe('remove:beyond-keep-last');
    expect(byLabel(chained)).toEqual({
      d10: 'keep:keep-last',
      d9: 'keep:keep-last',
      f8: 'keep:chain-base',
      d3: 'remove:beyond-keep-last',
      d2: 'remove:beyond-keep-last',
      f1: 'remove:beyond-keep-last',
    });
  });

  it('keeps the full of a pinned differential, and adds chain-base to a full kept for its own reasons', () => {
    const { chained } = decide(catalog, 3, ['d2']);
    expect(byLabel(chained)).toMatchObject({
      d2: 'keep:pinned',
      f1: 'keep:chain-base',
      f8: 'keep:keep-last+chain-base',
      d3: 'remove:beyond-keep-last',
    });
  });

  it('changes nothing without differentials (every pre-existing catalog), and keeps the order', () => {
    const fulls = [attemptItem('a', 1), attemptItem('b', 2), attemptItem('c', 3)];
    const { decisions, chained } = decide(fulls, 1);
    expect(chained).toEqual(decisions);
  });

  it('lets an unverified (failed) differential hold nothing, and never revives a pruned full', () => {
    const { chained } = decide(
      [
        attemptItem('f1', 1, { prunedAt: '2026-11-05T00:00:00.000Z' }),
        differentialItem('d2', 'f1', 2),
        attemptItem('f3', 3),
        differentialItem('d4', 'f3', 4, { state: 'FAILED', verified: false }),
        attemptItem('f5', 5),
      ],
      1,
      ['d2'],
    );
    expect(byLabel(chained)).toEqual({
      f5: 'keep:keep-last',
      d4: 'ignore:not-verified',
      f3: 'remove:beyond-keep-last',
      d2: 'keep:pinned',
      f1: 'ignore:already-pruned',
    });
  });

  it('never leaves a kept differential whose full is there without that full (property)', () => {
    const catalogArb = fc
      .array(
        fc.record({
          differential: fc.boolean(),
          base: fc.nat(),
          good: fc.boolean(),
          pinned: fc.boolean(),
          pruned: fc.boolean(),
        }),
        { minLength: 1, maxLength: 25 },
      )
      .map((rows) => {
        const items: BackupAttempt[] = [];
        const fulls: string[] = [];
        rows.forEach((row, day) => {
          const label = `s${String(day).padStart(2, '0')}`;
          const over: Partial<BackupAttempt> = {
            ...(row.good ? {} : { state: 'FAILED' as const, verified: false }),
            ...(row.pinned ? { pinned: true } : {}),
            ...(row.pruned ? { prunedAt: '2026-11-29T00:00:00.000Z' } : {}),
          };
          if (row.differential && fulls.length > 0) {
            items.push(differentialItem(label, fulls[row.base % fulls.length] as string, day + 1, over));
          } else {
            fulls.push(label);
            items.push(attemptItem(label, day + 1, { mode: 'full', ...over }));
          }
        });
        return items;
      });
    fc.assert(
      fc.property(catalogArb, fc.nat({ max: 5 }), (items, keepLast) => {
        const decisions: SnapshotDecision[] = planRetention({
          attempts: items,
          policy: { keepLast },
          now: NOW,
          inUse: new Set(),
        });
        const chained = keepChainBases(decisions, chainSnapshotsOf(items));
        const action = new Map(chained.map((d) => [d.label, d.action]));
        for (const item of items) {
          if (item.mode !== 'differential' || action.get(item.label) !== 'keep') continue;
          // The base is removed only if the policy never had it (it was already pruned or unverified).
          expect(action.get(item.baseLabel as string)).not.toBe('remove');
        }
        // Nothing else moves: every label the policy removed and no kept differential needs stays removed.
        expect(chained.filter((d) => d.action === 'remove').length).toBeLessThanOrEqual(
          decisions.filter((d) => d.action === 'remove').length,
        );
        expect(chained.map((d) => d.label)).toEqual(decisions.map((d) => d.label));
      }),
    );
  });
});
