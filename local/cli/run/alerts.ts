/** Showing the Slack alerts of a local run on the terminal. */
import type { ObservedAlert } from '#runtime/runtime.ts';
import type { Colors } from '../format/color.ts';

/** Said once per command when no webhook is configured. */
export const ALERTS_PRINTED_NOTICE =
  'Slack: SLACK_WEBHOOK_URL is not set, so alerts are printed here instead of being sent.';

/** The alert as a block of text for the terminal: a header line and the message, indented. */
export function formatAlert(
  alert: ObservedAlert,
  options: { readonly webhookSet: boolean; readonly colors: Colors },
): string {
  const kind = { 'backup-failure': 'backup failure', 'run-summary': 'run summary', alert: 'warning' }[
    alert.kind
  ];
  const header = alert.delivered
    ? `Slack alert sent (${kind})`
    : options.webhookSet
      ? `Slack alert NOT delivered (${kind}); it read:`
      : `Slack alert (${kind}, not sent):`;
  const body = alert.text
    .split('\n')
    .map((line) => (line === '' ? '  │' : `  │ ${line}`))
    .join('\n');
  return `${options.colors.yellow(header)}\n${alert.delivered ? '' : `${body}\n`}`;
}

/** True when SLACK_WEBHOOK_URL holds something (its validity is checked before the run). */
export function webhookConfigured(env: Readonly<Record<string, string | undefined>>): boolean {
  return (env.SLACK_WEBHOOK_URL ?? '').trim() !== '';
}
