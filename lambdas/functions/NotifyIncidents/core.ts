import type { Clock } from '#domain/clock.ts';
import type { IncidentStore } from '#domain/incidents/incident-store.ts';
import {
  GROUP_THRESHOLD,
  groupedIncidentAlert,
  groupedRecoveryNotice,
  incidentAlert,
  recoveryNotice,
} from '#domain/incidents/messages.ts';
import type { NotifyIncidentsResult, PostedNotice } from '#domain/incidents/posted-notices.ts';
import type { Incident, Notice } from '#domain/incidents/schema.ts';
import type { AppLogger } from '#domain/logger.ts';
import type { AlertDetails } from '#domain/notify/alert-message.ts';
import { buildAlertMessage } from '#domain/notify/alert-message.ts';
import { renderMessageAsText } from '#domain/notify/render-text.ts';
import type { AlertDeliveryResult, SlackNotifier } from '#domain/notify/slack-notifier.ts';

/** A notice that failed is tried again by this many notifier runs in all, then given up (and logged). */
export const MAX_NOTICE_ATTEMPTS = 3;

/** What the incident notifier needs. */
export interface NotifyIncidentsDeps {
  readonly incidents: Pick<IncidentStore, 'listIncidents' | 'recordNotice'>;
  readonly slack: Pick<SlackNotifier, 'postAlert'>;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

function due(notice: Notice | null): boolean {
  if (notice === null) return false;
  return notice.state === 'pending' || (notice.state === 'failed' && notice.attempts < MAX_NOTICE_ATTEMPTS);
}

/**
 * Posts the cluster's pending incident messages: the alert of each new incident (one message per incident, or one
 * for all when a check opened more than GROUP_THRESHOLD of a kind), and the notice that closes a resolved incident
 * whose alert was posted: in the alert's Slack thread when the Web API posted it, else as a message of its own.
 * Each message is recorded on its incidents, so it is posted once; a failed post is retried by the next runs.
 * Never throws because Slack is down.
 */
export async function notifyIncidents(
  cluster: string,
  deps: NotifyIncidentsDeps,
): Promise<NotifyIncidentsResult> {
  const incidents = await deps.incidents.listIncidents(cluster);
  const posted: PostedNotice[] = [];

  for (const type of ['late', 'drift', 'cluster-snapshot'] as const) {
    const pending = incidents.filter(
      (incident) => incident.status === 'open' && incident.type === type && due(incident.alert),
    );
    if (pending.length === 0) continue;
    const batches = pending.length > GROUP_THRESHOLD ? [pending] : pending.map((incident) => [incident]);
    for (const batch of batches) {
      const alert =
        batch.length === 1 && batch[0] ? incidentAlert(batch[0]) : groupedIncidentAlert(type, batch);
      posted.push(await post({ kind: 'alert', type, batch, alert, threadTs: null }, deps));
    }
  }

  const closing = incidents.filter((incident) => incident.status === 'resolved' && due(incident.recovery));
  const threads = new Map<string, Incident[]>();
  const unthreaded: Incident[] = [];
  for (const incident of closing) {
    const ts = incident.alert.via === 'web-api' ? incident.alert.ts : null;
    if (ts === null) unthreaded.push(incident);
    else threads.set(ts, [...(threads.get(ts) ?? []), incident]);
  }
  for (const [ts, batch] of threads) {
    posted.push(await post(recoveryPost(batch, ts), deps));
  }
  const loose = unthreaded.length > GROUP_THRESHOLD ? [unthreaded] : unthreaded.map((incident) => [incident]);
  for (const batch of loose) posted.push(await post(recoveryPost(batch, null), deps));

  return { cluster, posted };
}

interface PostRequest {
  readonly kind: 'alert' | 'recovery';
  readonly type: Incident['type'];
  readonly batch: readonly Incident[];
  readonly alert: AlertDetails;
  readonly threadTs: string | null;
}

function recoveryPost(batch: readonly Incident[], threadTs: string | null): PostRequest {
  const [first] = batch;
  const alert =
    batch.length === 1 && first
      ? recoveryNotice(first, { inThread: threadTs !== null })
      : groupedRecoveryNotice(batch);
  return { kind: 'recovery', type: first?.type ?? 'late', batch, alert, threadTs };
}

async function post(request: PostRequest, deps: NotifyIncidentsDeps): Promise<PostedNotice> {
  const delivery = await deps.slack.postAlert(
    request.alert,
    request.threadTs === null ? {} : { threadTs: request.threadTs },
  );
  const at = new Date(deps.clock.now()).toISOString();
  for (const incident of request.batch) {
    const previous = request.kind === 'alert' ? incident.alert : incident.recovery;
    await deps.incidents.recordNotice(
      incident,
      request.kind,
      noticeOf(
        delivery,
        (previous?.attempts ?? 0) + 1,
        at,
        request.kind === 'recovery' ? request.threadTs : null,
      ),
    );
  }
  const notice = noticeOf(delivery, 1, at, null);
  if (notice.state === 'failed') {
    deps.logger.warn('incident message not posted', {
      kind: request.kind,
      databases: request.batch.map((incident) => incident.database),
      error: notice.error,
    });
  }
  return {
    kind: request.kind,
    type: request.type,
    databases: request.batch.map((incident) => incident.database),
    delivered: delivery.delivered,
    via: notice.via,
    threadTs: request.threadTs,
    text: renderMessageAsText(buildAlertMessage(request.alert)),
  };
}

/**
 * What a delivery means for an incident's notice. With no Slack configured at all the message went to the log
 * (and, locally, the terminal): that is as delivered as it gets, and retrying would only repeat it.
 */
function noticeOf(
  delivery: AlertDeliveryResult,
  attempts: number,
  at: string,
  threadTs: string | null,
): Notice {
  if (delivery.delivered) {
    return {
      state: 'delivered',
      attempts,
      via: delivery.thread === undefined ? 'webhook' : 'web-api',
      ts: delivery.thread?.ts ?? threadTs,
      channel: delivery.thread?.channel ?? null,
      error: null,
      at,
    };
  }
  if ('skipped' in delivery) {
    return {
      state: 'delivered',
      attempts,
      via: null,
      ts: null,
      channel: null,
      error: 'no Slack configured',
      at,
    };
  }
  return { state: 'failed', attempts, via: null, ts: null, channel: null, error: delivery.error, at };
}
