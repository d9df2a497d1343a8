import type { AlertBudget } from '#domain/catalog/index.ts';
import type { Clock } from '#domain/clock.ts';
import { PER_DATABASE_ALERT_LIMIT } from '#domain/notify/alert-policy.ts';
import {
  type BackupFailureDetails,
  buildBackupFailureMessage,
} from '#domain/notify/backup-failure-message.ts';
import { renderMessageAsText } from '#domain/notify/render-text.ts';
import type { SlackDeliveryResult } from '#domain/notify/slack-delivery.ts';
import type { SlackNotifier } from '#domain/notify/slack-notifier.ts';
import { decideOutcome } from '#domain/workflow/decide-outcome.ts';
import type { BackupDatabaseState } from '#domain/workflow/workflow-state.ts';
import type { ObservedAlert } from '#runtime/runtime.ts';

/** What NotifyFailure needs. */
export interface NotifyFailureDeps {
  readonly slack: Pick<SlackNotifier, 'postBackupFailure' | 'postAlert'>;
  readonly alerts: Pick<AlertBudget, 'claimAlertSlot' | 'noteNotified'>;
  readonly clock: Clock;
  /** Locally, shows the alert on the terminal (and in tests) whether or not a webhook delivered it. */
  readonly observe?: ((alert: ObservedAlert) => void) | undefined;
}

/** `$.notification`: what became of the alert (never the webhook URL). */
export type NotificationResult =
  | { readonly posted: false; readonly skipped: 'lease-lost' | 'not-a-failure' | 'already-alerted' }
  | { readonly posted: boolean; readonly delivery: SlackDeliveryResult }
  | { readonly posted: boolean; readonly notice: true };

/**
 * One Slack message for this failed or timed-out database, from its own execution, within the run's budget of
 * PER_DATABASE_ALERT_LIMIT (the run summary lists the rest). Never throws because Slack is down.
 */
export async function notifyFailure(
  state: BackupDatabaseState,
  deps: NotifyFailureDeps,
): Promise<NotificationResult> {
  // The execution that took our lease over owns this database's outcome and its alert.
  if (state.recordError?.Error === 'LeaseLostError') return { posted: false, skipped: 'lease-lost' };
  const outcome = state.record ?? decideOutcome(state);
  if (outcome.state !== 'FAILED' && outcome.state !== 'TIMED_OUT') {
    if (outcome.state === 'FINISHED' && state.job?.notices !== undefined) return postNotice(state, deps);
    return { posted: false, skipped: 'not-a-failure' };
  }
  const first = await deps.alerts.noteNotified({ runId: state.runId, claimant: state.database });
  if (state.alertOnce && !first) return { posted: false, skipped: 'already-alerted' };

  const details: BackupFailureDetails = {
    cluster: state.cluster.name,
    database: state.database,
    label: state.job?.label ?? state.label,
    state: outcome.state,
    reason: outcome.reason ?? 'unknown',
    errorName: state.error?.Error ?? state.planned?.problem?.error,
    notes: state.job?.notices,
    schedule: state.schedule,
    repository: state.cluster.repository,
    user: state.cluster.user,
    startedAt: state.job?.submittedAt ?? state.execution.startTime,
    finishedAt: deps.clock.now(),
    timeoutSeconds: state.cluster.timeoutSeconds,
    executionArn: state.execution.id,
  };
  const delivery = await deps.slack.postBackupFailure(details, {
    claimAlertSlot: () =>
      deps.alerts.claimAlertSlot({
        runId: state.runId,
        claimant: state.database,
        limit: PER_DATABASE_ALERT_LIMIT,
      }),
  });
  if (deps.observe && !('skipped' in delivery && delivery.skipped === 'alert-limit')) {
    const message = buildBackupFailureMessage(details, { now: deps.clock.now() });
    deps.observe({
      kind: 'backup-failure',
      text: renderMessageAsText(message),
      delivered: delivery.delivered,
    });
  }
  return { posted: delivery.delivered, delivery };
}

/**
 * One warning for a database whose backup FINISHED but must say something: StarRocks refused objects that hold
 * data (left out of the snapshot), or the snapshot this slot had recorded vanished from the repository. Not a
 * failure: it does not count against the run's failure-alert budget.
 */
async function postNotice(state: BackupDatabaseState, deps: NotifyFailureDeps): Promise<NotificationResult> {
  const alert = {
    title: `Backup finished with a warning: ${state.cluster.name} / ${state.database}`,
    severity: 'warning' as const,
    fields: {
      Cluster: state.cluster.name,
      Database: state.database,
      'Snapshot label': state.job?.label ?? state.label,
      State: 'FINISHED',
      Schedule: state.schedule,
      Repository: state.cluster.repository,
    },
    text: (state.job?.notices ?? []).join('\n\n'),
    footer: `Execution ${state.execution.id}`,
  };
  // Locally the notifier itself shows generic alerts on the terminal (lambdas/runtime/slack.ts).
  const delivery = await deps.slack.postAlert(alert);
  return { posted: delivery.delivered, notice: true };
}
