import { type AlertDetails, type AlertSeverity, buildAlertMessage } from '#domain/notify/alert-message.ts';
import { executionConsoleUrl } from '#domain/notify/execution-link.ts';
import { renderMessageAsText } from '#domain/notify/render-text.ts';
import type { SlackDeliveryResult } from '#domain/notify/slack-delivery.ts';
import type { SlackNotifier } from '#domain/notify/slack-notifier.ts';
import { type DrillState, decideDrillOutcome, scratchGone } from '#domain/restore/drill-state.ts';
import { measuredSeconds } from '#domain/restore/restore-job.ts';
import { formatDuration } from '#domain/time-format.ts';
import { causeMessage } from '#domain/workflow/workflow-state.ts';

/** What NotifyDrill needs. */
export interface NotifyDrillDeps {
  readonly slack: Pick<SlackNotifier, 'postAlert'>;
}

/** Longest alert text kept in the state (the execution history shows what was posted). */
const TEXT_IN_STATE_MAX_CHARS = 3000;

/** `$.notification`: what became of the drill's alert (never the webhook URL or token). */
export type DrillNotification =
  | { readonly posted: false; readonly skipped: 'passed' | 'duplicate-run' }
  | {
      readonly posted: boolean;
      readonly severity: AlertSeverity;
      readonly title: string;
      /** The message as text, as the local CLI prints it. */
      readonly text: string;
      readonly delivery: SlackDeliveryResult;
    };

/**
 * One Slack alert when the drill did not prove the restore: FAILED or TIMED_OUT (critical), skipped for want of
 * a free slot, passed but with its scratch database left behind or unrecorded (warning). A drill skipped because
 * another execution of the same slot holds the scratch database's lock is a duplicate start: no alert. Never
 * throws because Slack is down.
 */
export async function notifyDrill(state: DrillState, deps: NotifyDrillDeps): Promise<DrillNotification> {
  const alert = drillAlert(state);
  if ('skipped' in alert) return { posted: false, skipped: alert.skipped };
  const delivery = await deps.slack.postAlert(alert);
  const text = renderMessageAsText(buildAlertMessage(alert)).slice(0, TEXT_IN_STATE_MAX_CHARS);
  return { posted: delivery.delivered, severity: alert.severity, title: alert.title, text, delivery };
}

/** The alert the drill's state calls for, or why there is none. */
export function drillAlert(
  state: DrillState,
): AlertDetails | { readonly skipped: 'passed' | 'duplicate-run' } {
  const verdict = decideDrillOutcome(state);
  const cluster = state.cluster.name;
  const database = state.plan?.sourceDatabase ?? state.cluster.drill?.database ?? '?';
  const leftBehind = state.plan !== undefined && !scratchGone(state.cleanup);
  const notes: string[] = [];
  if (leftBehind) {
    notes.push(
      `The scratch database ${state.plan?.targetDatabase} may still exist${state.cleanupError ? ` (${causeMessage(state.cleanupError)})` : ''}: drop it once no restore runs there.`,
    );
  }
  if (state.recordError)
    notes.push(`The drill could not be recorded in the catalog: ${causeMessage(state.recordError)}.`);

  let severity: AlertSeverity;
  let title: string;
  let summary: string;
  if (verdict.state === 'FAILED' || verdict.state === 'TIMED_OUT') {
    severity = 'critical';
    title = `Restore drill ${verdict.state === 'TIMED_OUT' ? 'TIMED OUT' : 'FAILED'}: ${cluster} / ${database}`;
    summary = `${verdict.reason ?? 'unknown reason'}. The latest verified snapshot of ${database} could not be shown to restore; check the snapshot and the repository before you need it.`;
  } else if (verdict.state === 'SKIPPED') {
    if (state.error?.Error === 'LockHeldError') return { skipped: 'duplicate-run' };
    severity = 'warning';
    title = `Restore drill skipped: ${cluster} / ${database}`;
    summary = `${verdict.reason ?? 'no free slot'}. Backups held every slot of the cluster; the drill runs again at its next slot.`;
  } else {
    if (notes.length === 0) return { skipped: 'passed' };
    severity = 'warning';
    title = `Restore drill passed with a problem: ${cluster} / ${database}`;
    summary = 'The snapshot restored and checked.';
  }
  const restoreSeconds = state.restore ? measuredSeconds(state.restore) : null;
  const fields: [string, string][] = [
    ['Cluster', cluster],
    ['Database', database],
    ['Snapshot', state.plan?.snapshot.label ?? '—'],
    ['Scratch database', state.plan?.targetDatabase ?? '—'],
    ['Outcome', verdict.state],
  ];
  if (restoreSeconds !== null) fields.push(['Restore time', formatDuration(restoreSeconds)]);
  if (state.check) fields.push(['Tables / rows', `${state.check.tableCount} / ${state.check.rowCount}`]);
  const link = executionConsoleUrl(state.execution.id);
  return {
    title,
    severity,
    fields,
    text: [summary, ...notes].join(' '),
    footer: `restore drill · ${link ?? state.execution.id}`,
  };
}
