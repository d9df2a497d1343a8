/** The Slack alerts of incidents: one incident, several at once, and their recovery notices. */
import type { AlertDetails } from '#domain/notify/alert-message.ts';
import { boundedList, SLACK_LIMITS } from '#domain/notify/slack-message.ts';
import { formatDuration, formatUtc } from '#domain/time-format.ts';
import type { Incident } from './schema.ts';

/** More incidents than this opened (or resolved) by one check share one message. */
export const GROUP_THRESHOLD = 3;

const TITLES: Readonly<Record<Incident['type'], string>> = {
  late: 'Backups late',
  drift: 'Not covered by any schedule',
  'cluster-snapshot': 'Cluster snapshots not fresh',
};

const FOOTERS: Readonly<Record<Incident['type'], string>> = {
  late: 'One alert per incident: the next message about it says when the database has a good snapshot again.',
  drift: 'Reported once. An exclude pattern that names the database silences it.',
  'cluster-snapshot':
    'One alert per incident: the next message about it says when the cluster has a fresh automated snapshot again.',
};

/** The alert that opens one incident. */
export function incidentAlert(incident: Incident): AlertDetails {
  return {
    title: `${TITLES[incident.type]}: ${incident.cluster} / ${incident.database}`,
    severity: incident.type === 'drift' ? 'warning' : 'critical',
    fields: incident.fields,
    text: incident.summary,
    footer: `${FOOTERS[incident.type]} Opened ${formatUtc(Date.parse(incident.openedAt))}.`,
  };
}

/** One alert for several incidents of one type opened by the same check. */
export function groupedIncidentAlert(type: Incident['type'], incidents: readonly Incident[]): AlertDetails {
  const cluster = incidents[0]?.cluster ?? '?';
  const heading = `${incidents.length} databases:\n`;
  return {
    title: `${TITLES[type]}: ${cluster}: ${incidents.length} databases`,
    severity: type === 'drift' ? 'warning' : 'critical',
    fields: [
      ['Cluster', cluster],
      ['Databases', String(incidents.length)],
    ],
    text:
      heading +
      boundedList(
        incidents.map((incident) => `• ${incident.database} (${incident.cause}): ${incident.summary}`),
        SLACK_LIMITS.sectionText - heading.length - 200,
      ),
    footer: FOOTERS[type],
  };
}

function lasted(incident: Incident): string {
  const end = Date.parse(incident.resolvedAt ?? incident.lastSeenAt);
  return formatDuration((end - Date.parse(incident.openedAt)) / 1000);
}

/** The notice that closes one incident (in the alert's thread when the Web API posted it). */
export function recoveryNotice(incident: Incident, options: { readonly inThread: boolean }): AlertDetails {
  const recovered = incident.resolution === 'recovered';
  const answer = options.inThread
    ? ''
    : ` This closes the alert of ${formatUtc(Date.parse(incident.openedAt))} about ${incident.database}.`;
  return {
    title: `${recovered ? 'Recovered' : 'Closed'}: ${incident.cluster} / ${incident.database}`,
    severity: 'resolved',
    fields: [
      ['Cluster', incident.cluster],
      ['Database', incident.database],
      ['Late for', lasted(incident)],
    ],
    text: `${incident.resolutionSummary ?? ''}${answer}`,
  };
}

/** One notice closing several incidents at once (one thread, or no thread with only a webhook). */
export function groupedRecoveryNotice(incidents: readonly Incident[]): AlertDetails {
  const cluster = incidents[0]?.cluster ?? '?';
  return {
    title: `Recovered: ${cluster}: ${incidents.length} databases`,
    severity: 'resolved',
    fields: [
      ['Cluster', cluster],
      ['Databases', String(incidents.length)],
    ],
    text: boundedList(
      incidents.map((incident) => `• ${incident.database}: ${incident.resolutionSummary ?? 'resolved'}`),
      SLACK_LIMITS.sectionText - 200,
    ),
  };
}
