import { describe, expect, it } from 'vitest';
import { buildAlertMessage } from '#domain/notify/alert-message.ts';
import { renderMessageAsText } from '#domain/notify/render-text.ts';

describe('the generic alert', () => {
  it('shows the severity, the fields and the text, and keeps the notification text short', () => {
    // Act
    const message = buildAlertMessage({
      title: 'Restore drill failed: prod / sales',
      severity: 'critical',
      fields: { Cluster: 'prod', Snapshot: 'nightly_sales_20261124T1800Z_3f9a1c' },
      text: 'RESTORE was CANCELLED: [COMMON_ERROR, msg: Failed to read backup meta from file]',
      footer: 'Drill drill_sales_202611250200',
    });

    // Assess
    expect(renderMessageAsText(message)).toBe(
      [
        '🚨 Restore drill failed: prod / sales',
        '='.repeat(36),
        '',
        'Cluster: prod\nSnapshot: nightly_sales_20261124T1800Z_3f9a1c',
        '',
        'RESTORE was CANCELLED: [COMMON_ERROR, msg: Failed to read backup meta from file]',
        '',
        'Drill drill_sales_202611250200',
      ].join('\n'),
    );
    expect(message.text).toBe(
      '🚨 Restore drill failed: prod / sales: RESTORE was CANCELLED: [COMMON_ERROR, msg: Failed to read backup meta from file]',
    );
  });

  it('escapes Slack’s control characters, so a name can never become a mention or a link', () => {
    // Act
    const message = buildAlertMessage({
      title: 'Backups late',
      severity: 'warning',
      fields: [['Database', '<!channel> a&b']],
      text: 'see <https://evil.example|here>',
    });

    // Assess
    const json = JSON.stringify(message.blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt; a&amp;b');
    expect(json).toContain('see &lt;https://evil.example|here&gt;');
  });

  it('keeps at most ten fields and every block within Slack’s limits', () => {
    // Act
    const message = buildAlertMessage({
      title: 'x'.repeat(400),
      severity: 'info',
      fields: Array.from({ length: 14 }, (_, index) => [`F${index}`, 'v'.repeat(3000)] as const),
      text: 'y'.repeat(5000),
    });

    // Assess
    const [header, fields, text] = message.blocks as Array<{
      text?: { text: string };
      fields?: Array<{ text: string }>;
    }>;
    expect(header?.text?.text.length).toBeLessThanOrEqual(150);
    expect(fields?.fields).toHaveLength(10);
    expect(Math.max(...(fields?.fields ?? []).map((field) => field.text.length))).toBeLessThanOrEqual(2000);
    expect(text?.text?.text.length).toBeLessThanOrEqual(3000);
  });
});
