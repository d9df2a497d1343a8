import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildRunSummaryMessage,
  countByState,
  type RunDatabaseResult,
  type RunSummary,
} from '#domain/notify/run-summary-message.ts';
import { SLACK_LIMITS, type SlackMessage } from '#domain/notify/slack-message.ts';
import type { BackupOutcomeState } from '#domain/workflow/outcomes.ts';

const summary: RunSummary = {
  cluster: 'prod',
  schedule: 'nightly',
  scheduledTime: '2026-11-24T18:00:00Z',
  results: [
    { database: 'sales', state: 'FINISHED' },
    { database: 'orders', state: 'FAILED', reason: '[COMMON_ERROR, msg: failed to choose replica]' },
    { database: 'events', state: 'TIMED_OUT', reason: 'deadline' },
    { database: 'scratch', state: 'SKIPPED', reason: 'lock-held by exec-42' },
    { database: 'empty_db', state: 'SKIPPED', reason: 'empty' },
  ],
  alertsPosted: 1,
};

function sectionTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));
}

function listSection(message: SlackMessage, title: string): string {
  return sectionTexts(message).find((text) => text.startsWith(`*${title} (`)) ?? '';
}

function failures(count: number, state: BackupOutcomeState = 'FAILED'): RunDatabaseResult[] {
  return Array.from({ length: count }, (_, index) => ({
    database: `database_${String(index).padStart(4, '0')}`,
    state,
    reason: `[COMMON_ERROR, msg: failure number ${index} with some words to make the line longer]`,
  }));
}

describe('buildRunSummaryMessage', () => {
  it('shows the cluster, schedule, scheduled time and the count of every state', () => {
    const message = buildRunSummaryMessage(summary, { now: Date.parse('2026-11-24T20:00:00Z') });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('`prod`');
    expect(text).toContain('`nightly`');
    expect(text).toContain('2026-11-24T18:00:00Z (2 h ago)');
    expect(text).toContain('5: FINISHED 1 · FAILED 1 · TIMED_OUT 1 · SKIPPED 2');
    expect(message.text).toContain('2 of 5 databases failed');
  });

  it('lists every failed, timed-out and skipped database with its reason', () => {
    const message = buildRunSummaryMessage(summary);
    expect(listSection(message, 'Failed')).toContain(
      '`orders` — [COMMON_ERROR, msg: failed to choose replica]',
    );
    expect(listSection(message, 'Timed out')).toContain('`events` — deadline');
    expect(listSection(message, 'Skipped')).toContain('`scratch` — lock-held by exec-42');
    expect(listSection(message, 'Skipped')).toContain('`empty_db` — empty');
    expect(JSON.stringify(message.blocks)).not.toContain('`sales`');
  });

  it('says how many alerts were posted and how many held back', () => {
    const text = JSON.stringify(buildRunSummaryMessage(summary).blocks);
    expect(text).toContain('1 posted, 1 held back');
  });

  it('cuts a long list at Slack’s section limit and counts the rest', () => {
    const message = buildRunSummaryMessage({ ...summary, results: failures(500) });
    const list = listSection(message, 'Failed');
    expect(list.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const shown = list.split('\n').filter((line) => line.startsWith('• ')).length;
    const more = Number(/…and (\d+) more$/.exec(list)?.[1]);
    expect(shown).toBeGreaterThan(10);
    expect(shown + more).toBe(500);
  });

  it('shows the error of a run that failed before any database', () => {
    const message = buildRunSummaryMessage({
      ...summary,
      results: [],
      runError: { name: 'StarRocksUnavailableError', message: 'connect ECONNREFUSED fe.internal:9030' },
    });
    expect(message.text).toContain('failed before any database');
    expect(message.text).toContain('StarRocksUnavailableError');
    expect(sectionTexts(message).join('\n')).toContain('```connect ECONNREFUSED fe.internal:9030```');
  });

  it('announces a clean run as such', () => {
    const message = buildRunSummaryMessage({
      ...summary,
      results: [{ database: 'sales', state: 'FINISHED' }],
    });
    expect(message.text).toContain('all 1 databases backed up');
    expect(sectionTexts(message)).toEqual([]);
  });

  it('stays within Slack limits for any mix of outcomes', () => {
    const state = fc.constantFrom<BackupOutcomeState>('FINISHED', 'FAILED', 'TIMED_OUT', 'SKIPPED');
    const result = fc.record({
      database: fc.string({ maxLength: 300 }),
      state,
      reason: fc.option(fc.string({ maxLength: 1000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(result, { maxLength: 400 }), fc.string({ maxLength: 300 }), (results, cluster) => {
        const message = buildRunSummaryMessage({ ...summary, cluster, results });
        expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
        expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
        for (const text of sectionTexts(message))
          expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
        const header = message.blocks[0];
        expect(header?.type === 'header' && header.text.text.length <= SLACK_LIMITS.headerText).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('countByState', () => {
  it('counts each terminal state', () => {
    expect(countByState(summary.results)).toEqual({ FINISHED: 1, FAILED: 1, TIMED_OUT: 1, SKIPPED: 2 });
  });
});
