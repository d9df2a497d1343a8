/**
 * What the NotifyIncidents Task answers: the contract between the Task, the FreshnessCheck machine and the local
 * CLI (`sr-backup status --notify`) that prints the messages.
 */
import type { Incident, Notice } from './schema.ts';

/** One Slack message the notifier posted (or tried to). */
export interface PostedNotice {
  readonly kind: 'alert' | 'recovery';
  readonly type: Incident['type'];
  readonly databases: readonly string[];
  readonly delivered: boolean;
  /** `web-api` (threadable), `webhook`, or null when no Slack is configured (logged only). */
  readonly via: Notice['via'];
  /** Replied in the thread of this message. */
  readonly threadTs: string | null;
  /** The message as plain text (what the local CLI prints). */
  readonly text: string;
}

/** What one notifier run did. */
export interface NotifyIncidentsResult {
  readonly cluster: string;
  readonly posted: readonly PostedNotice[];
}
