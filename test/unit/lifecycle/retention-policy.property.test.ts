import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BackupAttempt } from '#domain/catalog/index.ts';
import {
  dayKey,
  isoWeekKey,
  monthKey,
  planRetention,
  type RetentionPolicy,
  type SnapshotDecision,
} from '#domain/prune/retention-policy.ts';

const NOW = Date.UTC(2026, 10, 25, 6, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function attempt(
  index: number,
  fields: { ageHours: number; good: boolean; pinned: boolean; pruned: boolean; attempt: number },
): BackupAttempt {
  const scheduledTime = new Date(NOW - fields.ageHours * HOUR).toISOString();
  return {
    schemaVersion: 1,
    kind: 'backup',
    cluster: 'prod',
    database: 'sales',
    label: `nightly_sales_${String(index).padStart(3, '0')}`,
    repository: 's3_repo',
    schedule: 'nightly',
    scheduledTime,
    runId: `run-${index}`,
    executionId: `exec-${index}-${fields.attempt}`,
    attempt: fields.attempt,
    state: fields.good ? 'FINISHED' : 'FAILED',
    reason: null,
    startedAt: scheduledTime,
    finishedAt: scheduledTime,
    durationSeconds: 60,
    snapshotTimestamp: null,
    verified: fields.good,
    sizeBytes: null,
    tableCount: null,
    starRocksJobId: null,
    recordedAt: scheduledTime,
    ...(fields.pinned ? { pinned: true } : {}),
    ...(fields.pruned ? { prunedAt: new Date(NOW - HOUR).toISOString() } : {}),
  };
}

const snapshotFields = fc.record({
  ageHours: fc.integer({ min: 0, max: 24 * 500 }),
  good: fc.boolean(),
  pinned: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  pruned: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  attempt: fc.integer({ min: 1, max: 3 }),
});

/** A database's catalog: labels 0..n, some with a second attempt item (a restarted child adopting the label). */
const catalogArb = fc
  .array(fc.tuple(snapshotFields, fc.option(snapshotFields, { nil: undefined })), { maxLength: 45 })
  .map((entries) =>
    entries.flatMap(([first, second], index) => [
      attempt(index, first),
      ...(second === undefined ? [] : [attempt(index, { ...second, ageHours: first.ageHours, attempt: 9 })]),
    ]),
  );

const policyArb: fc.Arbitrary<RetentionPolicy> = fc.record(
  {
    keepLast: fc.integer({ min: 1, max: 10 }),
    maxAgeDays: fc.integer({ min: 1, max: 120 }),
    daily: fc.integer({ min: 0, max: 14 }),
    weekly: fc.integer({ min: 0, max: 8 }),
    monthly: fc.integer({ min: 0, max: 12 }),
  },
  { requiredKeys: ['keepLast'] },
);

const inputArb = catalogArb.chain((attempts) =>
  fc.record({
    attempts: fc.constant(attempts),
    policy: policyArb,
    inUse: fc.subarray([...new Set(attempts.map((a) => a.label))]).map((labels) => new Set<string>(labels)),
  }),
);

const removed = (decisions: readonly SnapshotDecision[]) =>
  decisions.filter((d) => d.action === 'remove').map((d) => d.label);

/** The verified, not pruned labels, newest first, as the catalog holds them. */
function liveVerified(attempts: readonly BackupAttempt[]): Array<{ label: string; time: number }> {
  const labels = new Map<string, { label: string; time: number; good: boolean; pruned: boolean }>();
  for (const a of attempts) {
    const known = labels.get(a.label);
    const good = a.state === 'FINISHED' && a.verified;
    labels.set(a.label, {
      label: a.label,
      time: Math.max(known?.time ?? 0, Date.parse(a.scheduledTime)),
      good: (known?.good ?? false) || good,
      pruned: (known?.pruned ?? false) || a.prunedAt !== undefined,
    });
  }
  return [...labels.values()]
    .filter((s) => s.good && !s.pruned)
    .sort((a, b) => b.time - a.time || (a.label < b.label ? 1 : -1));
}

describe('retention policy guarantees', () => {
  it('decides once for every label the catalog holds, and for nothing else', () => {
    fc.assert(
      fc.property(inputArb, ({ attempts, policy, inUse }) => {
        const decisions = planRetention({ attempts, policy, now: NOW, inUse });
        expect(decisions.map((d) => d.label).sort()).toEqual(
          [...new Set(attempts.map((a) => a.label))].sort(),
        );
      }),
    );
  });

  it('removes only verified snapshots that are not pruned yet', () => {
    fc.assert(
      fc.property(inputArb, ({ attempts, policy, inUse }) => {
        const live = new Set(liveVerified(attempts).map((s) => s.label));
        for (const label of removed(planRetention({ attempts, policy, now: NOW, inUse }))) {
          expect(live.has(label)).toBe(true);
        }
      }),
    );
  });

  it('never removes a pinned snapshot or one a restore or drill is using', () => {
    fc.assert(
      fc.property(inputArb, ({ attempts, policy, inUse }) => {
        const pinned = new Set(attempts.filter((a) => a.pinned === true).map((a) => a.label));
        for (const label of removed(planRetention({ attempts, policy, now: NOW, inUse }))) {
          expect(pinned.has(label)).toBe(false);
          expect(inUse.has(label)).toBe(false);
        }
      }),
    );
  });

  it('never removes one of the newest keepLast verified snapshots, nor the only one', () => {
    fc.assert(
      fc.property(inputArb, ({ attempts, policy, inUse }) => {
        const live = liveVerified(attempts);
        const protectedLabels = new Set(live.slice(0, policy.keepLast).map((s) => s.label));
        const gone = removed(planRetention({ attempts, policy, now: NOW, inUse }));
        for (const label of gone) expect(protectedLabels.has(label)).toBe(false);
        if (live.length > 0) expect(gone.length).toBeLessThan(live.length);
      }),
    );
  });

  it('never removes a snapshot younger than maxAgeDays', () => {
    fc.assert(
      fc.property(inputArb, ({ attempts, policy, inUse }) => {
        fc.pre(policy.maxAgeDays !== undefined);
        const limit = NOW - (policy.maxAgeDays as number) * DAY;
        const times = new Map(liveVerified(attempts).map((s) => [s.label, s.time]));
        for (const label of removed(planRetention({ attempts, policy, now: NOW, inUse }))) {
          expect(times.get(label)).toBeLessThanOrEqual(limit);
        }
      }),
    );
  });

  it('keeps the newest snapshot of each of the last daily days, weekly ISO weeks and monthly months', () => {
    fc.assert(
      fc.property(inputArb, ({ attempts, policy, inUse }) => {
        const gone = new Set(removed(planRetention({ attempts, policy, now: NOW, inUse })));
        const live = liveVerified(attempts);
        const tiers: Array<[number | undefined, (ms: number) => string]> = [
          [policy.daily, dayKey],
          [policy.weekly, isoWeekKey],
          [policy.monthly, monthKey],
        ];
        for (const [count, keyOf] of tiers) {
          if (!count) continue;
          const periods = new Set<string>();
          for (let ms = NOW; periods.size < count; ms -= DAY) periods.add(keyOf(ms));
          for (const period of periods) {
            const newest = live.find((s) => keyOf(s.time) === period);
            if (newest) expect(gone.has(newest.label)).toBe(false);
          }
        }
      }),
    );
  });

  it('is stable: once the removed snapshots are marked pruned, a second plan removes nothing more', () => {
    fc.assert(
      fc.property(inputArb, ({ attempts, policy, inUse }) => {
        const gone = new Set(removed(planRetention({ attempts, policy, now: NOW, inUse })));
        const after = attempts.map((a) =>
          gone.has(a.label) ? { ...a, prunedAt: new Date(NOW).toISOString() } : a,
        );
        expect(removed(planRetention({ attempts: after, policy, now: NOW, inUse }))).toEqual([]);
      }),
    );
  });

  it('without maxAgeDays or tiers keeps exactly the newest keepLast verified snapshots (plus pins and in-use)', () => {
    fc.assert(
      fc.property(inputArb, ({ attempts, policy, inUse }) => {
        const plain: RetentionPolicy = { keepLast: policy.keepLast };
        const live = liveVerified(attempts);
        const pinned = new Set(attempts.filter((a) => a.pinned === true).map((a) => a.label));
        const expected = live
          .slice(policy.keepLast)
          .map((s) => s.label)
          .filter((label) => !pinned.has(label) && !inUse.has(label) && live.length > 1);
        expect(removed(planRetention({ attempts, policy: plain, now: NOW, inUse })).sort()).toEqual(
          expected.sort(),
        );
      }),
    );
  });
});

describe('retention periods', () => {
  it('numbers ISO weeks as ISO 8601 does around a year boundary', () => {
    // 2026-12-31 is a Thursday (week 53 of 2026); 2027-01-04 is the Monday of 2027-W01; 2021-01-03 is 2020-W53.
    expect(isoWeekKey(Date.UTC(2026, 11, 31))).toBe('2026-W53');
    expect(isoWeekKey(Date.UTC(2027, 0, 3))).toBe('2026-W53');
    expect(isoWeekKey(Date.UTC(2027, 0, 4))).toBe('2027-W01');
    expect(isoWeekKey(Date.UTC(2021, 0, 3))).toBe('2020-W53');
    expect(isoWeekKey(Date.UTC(2026, 10, 25))).toBe('2026-W48');
  });
});
