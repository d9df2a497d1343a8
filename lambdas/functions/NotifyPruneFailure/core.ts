import type { AlertDetails } from '#domain/notify/alert-message.ts';
import { executionConsoleUrl } from '#domain/notify/execution-link.ts';
import type { SlackNotifier } from '#domain/notify/slack-notifier.ts';
import type { PruneTaskInput } from '#domain/prune/prune-input.ts';
import { causeMessage } from '#domain/workflow/workflow-state.ts';

/** What NotifyPruneFailure needs. */
export interface NotifyPruneFailureDeps {
  readonly slack: Pick<SlackNotifier, 'postAlert'>;
}

/** `$.pruneNotification`. */
export interface PruneFailureNotification {
  readonly posted: boolean;
}

/**
 * One warning when the prune after a nightly run failed or left snapshots behind. The backups themselves are
 * not affected (the run keeps its own outcome); nothing is deleted that should stay, only kept longer.
 */
export async function notifyPruneFailure(
  input: PruneTaskInput,
  deps: NotifyPruneFailureDeps,
): Promise<PruneFailureNotification> {
  const delivery = await deps.slack.postAlert(pruneFailureAlert(input));
  return { posted: delivery.delivered };
}

/** The alert for a failed prune. */
export function pruneFailureAlert(input: PruneTaskInput): AlertDetails {
  const error = input.pruneError;
  const cluster = input.cluster.name;
  const link = executionConsoleUrl(input.run.id);
  const cause = error === undefined ? 'The prune step failed' : causeMessage(error).trim();
  return {
    title: `Snapshot pruning failed: ${cluster}`,
    severity: 'warning',
    fields: [
      ['Cluster', cluster],
      ['Schedule', input.schedule.name],
      ['Error', error?.Error ?? 'unknown'],
    ],
    text:
      `${/[.!?]$/.test(cause) ? cause : `${cause}.`} ` +
      'The backups of this run are not affected. Snapshots that are due stay in the repository until a prune ' +
      `succeeds; \`sr-backup prune --config <file> --cluster ${cluster}\` shows what is due and why.`,
    footer: `snapshot retention · ${link ?? input.run.id}`,
  };
}
