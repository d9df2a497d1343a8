// Runs in milliseconds: pure chain rules over in-memory snapshots, no I/O.
import { describe, expect, it } from 'vitest';
import {
  type ChainSnapshot,
  chainKeep,
  isRestorablePoint,
  unrestorableReason,
} from '#domain/differential/index.ts';

function full(label: string, over: Partial<ChainSnapshot> = {}): ChainSnapshot {
  return { kind: 'full', label, baseLabel: null, verified: true, prunedAt: null, lost: false, ...over };
}

function diff(label: string, base: string | null, over: Partial<ChainSnapshot> = {}): ChainSnapshot {
  return {
    kind: 'differential',
    label,
    baseLabel: base,
    verified: true,
    prunedAt: null,
    lost: false,
    ...over,
  };
}

describe('isRestorablePoint', () => {
  it('restores a verified full on its own, not an unverified, pruned or lost one', () => {
    expect(isRestorablePoint(full('f1'), [])).toBe(true);
    expect(unrestorableReason(full('f1', { verified: false }), [])).toBe('not-verified');
    expect(unrestorableReason(full('f1', { prunedAt: '2026-01-02T00:00:00.000Z' }), [])).toBe('pruned');
    expect(unrestorableReason(full('f1', { lost: true }), [])).toBe('lost');
  });

  it('restores a verified differential whose full is present and verified', () => {
    const chain = [full('f1'), diff('d1', 'f1')];
    expect(isRestorablePoint(diff('d1', 'f1'), chain)).toBe(true);
  });

  it('does not restore a differential whose full was pruned', () => {
    const chain = [full('f1', { prunedAt: '2026-01-09T00:00:00.000Z' }), diff('d1', 'f1')];
    expect(isRestorablePoint(chain[1] as ChainSnapshot, chain)).toBe(false);
    expect(unrestorableReason(chain[1] as ChainSnapshot, chain)).toBe('base-pruned');
  });

  it('does not restore a differential whose full is unverified, lost or missing', () => {
    expect(unrestorableReason(diff('d1', 'f1'), [full('f1', { verified: false })])).toBe('base-not-verified');
    expect(unrestorableReason(diff('d1', 'f1'), [full('f1', { lost: true })])).toBe('base-lost');
    expect(unrestorableReason(diff('d1', 'f1'), [full('f0')])).toBe('base-missing');
    expect(unrestorableReason(diff('d1', null), [full('f1')])).toBe('no-base');
  });

  it('does not restore an unverified differential, nor one based on another differential', () => {
    expect(unrestorableReason(diff('d1', 'f1', { verified: false }), [full('f1')])).toBe('not-verified');
    expect(unrestorableReason(diff('d2', 'd1'), [full('f1'), diff('d1', 'f1')])).toBe('base-not-full');
  });
});

describe('chainKeep', () => {
  const all = [full('f1'), diff('d1', 'f1'), diff('d2', 'f1'), full('f2'), diff('d3', 'f2')];

  it('keeps the full a kept differential needs, although retention did not keep the full itself', () => {
    expect([...chainKeep([diff('d2', 'f1'), full('f2')], all)]).toEqual(['f1']);
  });

  it('keeps every needed full once', () => {
    expect([...chainKeep([diff('d1', 'f1'), diff('d2', 'f1'), diff('d3', 'f2')], all)].sort()).toEqual([
      'f1',
      'f2',
    ]);
  });

  it('needs no full for kept fulls alone', () => {
    expect(chainKeep([full('f1'), full('f2')], all).size).toBe(0);
  });

  it('holds a full for an unverified differential (it may still be verified)', () => {
    expect([...chainKeep([diff('d3', 'f2', { verified: false })], all)]).toEqual(['f2']);
  });

  it('does not hold a full for a pruned or lost differential, nor return a full already pruned', () => {
    const pruned = '2026-01-09T00:00:00.000Z';
    expect(
      chainKeep([diff('d1', 'f1', { prunedAt: pruned }), diff('d3', 'f2', { lost: true })], all).size,
    ).toBe(0);
    expect(chainKeep([diff('d1', 'f1')], [full('f1', { prunedAt: pruned }), diff('d1', 'f1')]).size).toBe(0);
  });

  it('never leaves a kept differential without its full: after removing what is neither kept nor needed', () => {
    const kept = [diff('d2', 'f1'), diff('d3', 'f2')];
    const keep = new Set([...kept.map((s) => s.label), ...chainKeep(kept, all)]);
    const remaining = all.filter((s) => keep.has(s.label));
    for (const snapshot of kept) expect(isRestorablePoint(snapshot, remaining), snapshot.label).toBe(true);
  });
});
