/**
 * The generic Slack alert: a title, a severity, a few labelled fields and a paragraph. Everything that is not a
 * failed backup or a run summary (freshness incidents, recoveries, coverage drift, size anomalies, restore drills,
 * prune failures) is posted in this one shape, so every alert of the scheduler reads alike.
 */
import {
  context,
  escapeMrkdwn,
  escapeMrkdwnLiteral,
  fallbackText,
  fieldsSection,
  header,
  type SlackBlock,
  type SlackMessage,
  section,
  truncateText,
} from './slack-message.ts';

/** How loud an alert is: `critical` wants action now, `warning` a look soon, `resolved` closes an incident. */
export type AlertSeverity = 'critical' | 'warning' | 'info' | 'resolved';

/** Every severity, for schemas and tests. */
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info', 'resolved'];

/** A label and its value, shown as a two-column field. */
export type AlertField = readonly [label: string, value: string];

/**
 * One generic alert. Field values and `text` are shown as written: Slack's control characters escaped (`&`, `<`,
 * `>`), so names from StarRocks can never turn into links or mentions, and words mrkdwn would format shown as code.
 */
export interface AlertDetails {
  /** One line, e.g. `Backups late: prod / sales`. The severity's emoji is added in front. */
  readonly title: string;
  readonly severity: AlertSeverity;
  /** At most ten are shown (Slack's limit for one section). */
  readonly fields?: readonly AlertField[] | Readonly<Record<string, string>> | undefined;
  /** A paragraph under the fields: what happened and what to do. */
  readonly text?: string | undefined;
  /** Small print at the bottom (where the alert came from). */
  readonly footer?: string | undefined;
}

const SEVERITY_EMOJI: Readonly<Record<AlertSeverity, string>> = {
  critical: '🚨',
  warning: '⚠️',
  info: 'ℹ️',
  resolved: '✅',
};

function fieldList(fields: AlertDetails['fields']): AlertField[] {
  if (fields === undefined) return [];
  if (Array.isArray(fields)) return [...(fields as readonly AlertField[])];
  return Object.entries(fields as Readonly<Record<string, string>>);
}

/** The alert as a Slack message (blocks plus the notification text), within Slack's limits. */
export function buildAlertMessage(alert: AlertDetails): SlackMessage {
  const title = `${SEVERITY_EMOJI[alert.severity]} ${alert.title.trim().replaceAll(/\s+/g, ' ')}`;
  const fields = fieldList(alert.fields).map(
    ([label, value]) => [escapeMrkdwn(label), escapeMrkdwnLiteral(value === '' ? '—' : value)] as const,
  );
  const blocks: SlackBlock[] = [header(title)];
  if (fields.length > 0) blocks.push(fieldsSection(fields));
  if (alert.text !== undefined && alert.text.trim() !== '')
    blocks.push(section(escapeMrkdwnLiteral(alert.text.trim())));
  if (alert.footer !== undefined && alert.footer.trim() !== '')
    blocks.push(context(escapeMrkdwn(alert.footer)));

  const summary = alert.text?.trim().replaceAll(/\s+/g, ' ') ?? '';
  const fallback = summary === '' ? title : `${title}: ${truncateText(summary, 300)}`;
  return { text: fallbackText(fallback), blocks };
}
