import { describe, expect, it } from 'vitest';
import { buildBackupFailureMessage } from '#domain/notify/backup-failure-message.ts';
import { mrkdwnToPlain, renderMessageAsText } from '#domain/notify/render-text.ts';

describe('renderMessageAsText', () => {
  const message = buildBackupFailureMessage({
    cluster: 'prod',
    database: 'sales',
    label: 'nightly_sales_20261124T1800Z_3f9a1c',
    state: 'FAILED',
    reason: '[COMMON_ERROR, msg: a < b & c > d]',
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:BackupDatabase:run-1',
  });
  const text = renderMessageAsText(message);

  it('prints the header underlined and each field as "Label: value"', () => {
    expect(text).toMatch(/^🚨 Backup FAILED: prod \/ sales\n=+\n/);
    expect(text).toContain('Cluster: prod');
    expect(text).toContain('Database: sales');
    expect(text).toContain('Snapshot label: nightly_sales_20261124T1800Z_3f9a1c');
    expect(text).toContain('State: FAILED');
  });

  it('prints the status indented and unescaped', () => {
    expect(text).toContain('\n    [COMMON_ERROR, msg: a < b & c > d]');
  });

  it('prints buttons as their URL', () => {
    expect(text).toContain(
      'Open execution: https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/',
    );
  });

  it('prints the fallback text of a message without blocks', () => {
    expect(renderMessageAsText({ text: 'just text', blocks: [] })).toBe('just text');
  });
});

describe('mrkdwnToPlain', () => {
  it('turns links into "text (url)" and drops bold and code marks', () => {
    expect(mrkdwnToPlain('*Hint:* see <https://example.com/x|the docs> and `SHOW BACKUP`')).toBe(
      'Hint: see the docs (https://example.com/x) and SHOW BACKUP',
    );
  });

  it('leaves the inside of a code block as it is', () => {
    expect(mrkdwnToPlain('```*not bold*```')).toBe('*not bold*');
  });
});
