// Runs in milliseconds: catalog attempts mapped to chain snapshots in memory, no I/O.
import { describe, expect, it } from 'vitest';
import { chainSnapshotsOf } from '#domain/catalog/chain-snapshots.ts';
import { BackupAttemptSchema, backupModeOf } from '#domain/catalog/schema.ts';
import { isRestorablePoint, unrestorableReason } from '#domain/differential/index.ts';
import { attemptItem, differentialItem } from './attempt-fixtures.ts';

describe('chainSnapshotsOf', () => {
  it('reads an item without mode (every item written before differentials) as a full with no base', () => {
    // Prepare
    const legacy = attemptItem('f1', 1);

    // Act
    const [snapshot] = chainSnapshotsOf([legacy]);

    // Assert
    expect(backupModeOf(legacy)).toBe('full');
    expect(snapshot).toEqual({
      kind: 'full',
      label: 'f1',
      baseLabel: null,
      verified: true,
      prunedAt: null,
      lost: false,
    });
  });

  it('carries a differential and its base, one snapshot per label, in order of first appearance', () => {
    const chain = chainSnapshotsOf([
      attemptItem('f1', 1, { mode: 'full' }),
      differentialItem('d1', 'f1', 2),
      differentialItem('d1', 'f1', 2, { attempt: 2 }),
    ]);
    expect(chain.map((s) => [s.label, s.kind, s.baseLabel])).toEqual([
      ['f1', 'full', null],
      ['d1', 'differential', 'f1'],
    ]);
    expect(isRestorablePoint(chain[1] as (typeof chain)[number], chain)).toBe(true);
  });

  it('calls a label verified when any attempt is good, as retention does', () => {
    const [snapshot] = chainSnapshotsOf([
      attemptItem('f1', 1, { attempt: 1 }),
      attemptItem('f1', 1, { attempt: 2, state: 'FAILED', verified: false }),
    ]);
    expect(snapshot?.verified).toBe(true);
  });

  it('marks pruned and lost labels, so the chain rules refuse them and their differentials', () => {
    const chain = chainSnapshotsOf([
      attemptItem('f1', 1, { prunedAt: '2026-11-20T00:00:00.000Z' }),
      differentialItem('d1', 'f1', 2),
      attemptItem('f2', 8, { lostAt: '2026-11-21T00:00:00.000Z' }),
      differentialItem('d2', 'f2', 9),
      differentialItem('d3', 'f3', 10, { state: 'FAILED', verified: false }),
    ]);
    const byLabel = new Map(chain.map((s) => [s.label, s]));
    const reason = (label: string) => {
      const snapshot = byLabel.get(label);
      if (snapshot === undefined) throw new Error(`no snapshot ${label}`);
      return unrestorableReason(snapshot, chain);
    };
    expect(byLabel.get('f1')?.prunedAt).toBe('2026-11-20T00:00:00.000Z');
    expect(byLabel.get('f2')).toMatchObject({ lost: true, verified: false });
    expect(reason('d1')).toBe('base-pruned');
    expect(reason('d2')).toBe('base-lost');
    expect(reason('d3')).toBe('not-verified');
  });

  it('takes kind and base from the newest good attempt of a label', () => {
    const [snapshot] = chainSnapshotsOf([
      differentialItem('x', 'f0', 3, { attempt: 1 }),
      attemptItem('x', 3, { attempt: 2, mode: 'full', state: 'FAILED', verified: false }),
    ]);
    expect(snapshot).toMatchObject({ kind: 'differential', baseLabel: 'f0' });
  });

  it('refuses attempts of two databases (labels are compared within one)', () => {
    expect(() => chainSnapshotsOf([attemptItem('a', 1), attemptItem('b', 1, { database: 'crm' })])).toThrow(
      RangeError,
    );
  });
});

describe('BackupAttemptSchema mode and baseLabel', () => {
  it('accepts items with and without them, and refuses an unknown mode', () => {
    expect(BackupAttemptSchema.parse(attemptItem('f1', 1)).mode).toBeUndefined();
    expect(BackupAttemptSchema.parse(differentialItem('d1', 'f1', 2))).toMatchObject({
      mode: 'differential',
      baseLabel: 'f1',
    });
    expect(() => BackupAttemptSchema.parse({ ...attemptItem('f1', 1), mode: 'incremental' })).toThrow();
  });
});
