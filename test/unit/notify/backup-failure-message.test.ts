import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BackupFailureDetails,
  buildBackupFailureMessage,
  STATUS_TEXT_LIMIT,
} from '#domain/notify/backup-failure-message.ts';
import { SLACK_LIMITS, type SlackMessage } from '#domain/notify/slack-message.ts';

const ARN = 'arn:aws:states:eu-west-1:123456789012:execution:BackupDatabase:nightly-sales-3f9a1c-1';
const STARTED = Date.parse('2026-11-24T18:00:00Z');

const details: BackupFailureDetails = {
  cluster: 'prod',
  database: 'sales',
  label: 'nightly_sales_20261124T1800Z_3f9a1c',
  state: 'TIMED_OUT',
  reason: '[TIMEOUT, msg: ]',
  schedule: 'nightly',
  repository: 's3_repo',
  startedAt: STARTED,
  finishedAt: STARTED + (3 * 3600 + 12 * 60) * 1000,
  timeoutSeconds: 10_800,
  executionArn: ARN,
};

/** Every text of the message, joined, to look for what a reader must see. */
function allText(message: SlackMessage): string {
  return JSON.stringify(message.blocks);
}

function expectWithinSlackLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  for (const block of message.blocks) {
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === 'section') {
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionFields);
      for (const field of block.fields ?? [])
        expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
  }
}

describe('buildBackupFailureMessage', () => {
  it('shows the cluster, database, label, state, status, duration and start time', () => {
    const message = buildBackupFailureMessage(details, { now: STARTED + 4 * 3600 * 1000 });
    const text = allText(message);
    expect(text).toContain('`prod`');
    expect(text).toContain('`sales`');
    expect(text).toContain('`nightly_sales_20261124T1800Z_3f9a1c`');
    expect(text).toContain('*TIMED_OUT*');
    expect(text).toContain('```[TIMEOUT, msg: ]```');
    expect(text).toContain('3 h 12 min');
    expect(text).toContain('2026-11-24T18:00:00Z (4 h ago)');
    expect(text).toContain('`nightly`');
  });

  it('links the execution in the Step Functions console', () => {
    const message = buildBackupFailureMessage(details);
    const actions = message.blocks.find((block) => block.type === 'actions');
    expect(actions?.elements[0]?.url).toBe(
      `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${ARN}`,
    );
  });

  it('has no link without a real execution ARN', () => {
    const message = buildBackupFailureMessage({ ...details, executionArn: undefined });
    expect(message.blocks.some((block) => block.type === 'actions')).toBe(false);
  });

  it('tells the reader what to do about the failure', () => {
    const timedOut = allText(buildBackupFailureMessage({ ...details, reason: 'deadline' }));
    expect(timedOut).toContain('raise `timeoutSeconds`');
    expect(timedOut).toContain('3 h');
    const denied = allText(
      buildBackupFailureMessage({
        ...details,
        state: 'FAILED',
        reason: 'Access denied; you need (at least one of) the REPOSITORY privilege(s) for this operation',
        errorName: 'StarRocksAccessDeniedError',
        user: 'backup',
      }),
    );
    expect(denied).toContain("GRANT REPOSITORY ON SYSTEM TO USER 'backup'@'%'");
  });

  it('gives notifications a one-line text that names the failure', () => {
    const message = buildBackupFailureMessage(details);
    expect(message.text).toContain('Backup TIMED OUT');
    expect(message.text).toContain('prod/sales');
    expect(message.text).toContain('[TIMEOUT, msg: ]');
    expect(message.text).not.toContain('\n');
  });

  it('trims a long status text and keeps it inside its code block', () => {
    const reason = `[COMMON_ERROR, msg: ${'x'.repeat(2000)}]`;
    const message = buildBackupFailureMessage({ ...details, state: 'FAILED', reason });
    const status = message.blocks.find(
      (block) => block.type === 'section' && block.text?.text.includes('```'),
    );
    const code = status?.type === 'section' ? (status.text?.text.split('```')[1] ?? '') : '';
    expect(code.length).toBe(STATUS_TEXT_LIMIT);
    expect(code.endsWith('…')).toBe(true);
  });

  it('escapes mrkdwn control characters and cannot be broken out of its code block', () => {
    const reason = 'bad <!channel> & ```*bold*``` <https://evil.example|click>';
    const text = allText(buildBackupFailureMessage({ ...details, state: 'FAILED', reason }));
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt; &amp;');
    expect(text).not.toContain('<https://evil.example');
  });

  it('computes the duration up to now while the failure has no finish time', () => {
    const message = buildBackupFailureMessage(
      { ...details, finishedAt: undefined },
      { now: STARTED + 90 * 60 * 1000 },
    );
    expect(allText(message)).toContain('1 h 30 min');
  });

  it('stays within Slack limits whatever the names and texts', () => {
    fc.assert(
      fc.property(
        fc.record({
          cluster: fc.string({ maxLength: 400 }),
          database: fc.string({ maxLength: 400 }),
          label: fc.string({ maxLength: 400 }),
          reason: fc.string({ maxLength: 5000 }),
          schedule: fc.string({ maxLength: 3000 }),
          repository: fc.string({ maxLength: 3000 }),
          state: fc.constantFrom('FAILED' as const, 'TIMED_OUT' as const),
        }),
        (input) => expectWithinSlackLimits(buildBackupFailureMessage({ ...details, ...input })),
      ),
    );
  });
});
