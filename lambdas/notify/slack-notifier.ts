/**
 * The notifier the workflow's Lambdas (NotifyFailure, SummarizeRun) and the local CLI use: it resolves the
 * webhook, applies the per-run alert budget, builds the message and delivers it. It never throws.
 */
import { type Clock, systemClock } from '../shared/clock.ts';
import { BackupSchedulerError } from '../shared/errors.ts';
import type { AppLogger } from '../shared/logger.ts';
import { type BackupFailureDetails, buildBackupFailureMessage } from './backup-failure-message.ts';
import { buildRunSummaryMessage, type RunSummary } from './run-summary-message.ts';
import {
  deliverSlackMessage,
  redactWebhookUrl,
  type SlackDeliveryOptions,
  type SlackDeliveryResult,
} from './slack-delivery.ts';
import type { SlackMessage } from './slack-message.ts';

/** Dependencies and delivery settings of {@link createSlackNotifier}. */
export interface SlackNotifierOptions extends Omit<SlackDeliveryOptions, 'clock'> {
  /**
   * Returns the webhook URL, or `undefined` when none is configured (deployed: read from Secrets Manager
   * and cached per cold start; locally: `SLACK_WEBHOOK_URL`).
   */
  webhookUrl: () => Promise<string | undefined>;
  logger: AppLogger;
  clock?: Clock | undefined;
}

/** Options of one per-database alert. */
export interface BackupFailureAlertOptions {
  /**
   * Claims one of the run's per-database alert slots (see alert-policy.ts); `false` = the budget is
   * spent and the summary will list this database. Without it the alert is always posted.
   */
  claimAlertSlot?: (() => Promise<boolean>) | undefined;
}

/** Posts the scheduler's Slack messages. */
export interface SlackNotifier {
  /** Posts the alert for one FAILED / TIMED_OUT database, if the run's alert budget allows. */
  postBackupFailure(
    details: BackupFailureDetails,
    options?: BackupFailureAlertOptions,
  ): Promise<SlackDeliveryResult>;
  /** Posts a run summary. Whether to post one at all is the caller's call (`shouldPostSummary`, alert-policy.ts). */
  postRunSummary(summary: RunSummary): Promise<SlackDeliveryResult>;
}

type ResolvedWebhook = { url: string } | { result: SlackDeliveryResult };

/** Any URL in an error of unknown origin: it may hold the webhook. */
const ANY_URL = /\bhttps?:\/\/[^\s"'<>`]+/gi;

/** An error as one line, with every URL in it redacted. */
function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return redactWebhookUrl(text).replaceAll(ANY_URL, '[redacted URL]');
}

/**
 * A failure to read the webhook, as text that cannot carry it: our own errors' messages are secret-free
 * by contract (errors.ts); of anything else only the name is kept, because messages such as JSON.parse's
 * quote the text they failed on, which may be the secret itself.
 */
function describeResolverError(error: unknown): string {
  if (error instanceof BackupSchedulerError) return describeError(error);
  return error instanceof Error ? error.name : typeof error;
}

/** Creates the notifier. Nothing is read or sent until a post. */
export function createSlackNotifier(options: SlackNotifierOptions): SlackNotifier {
  const { webhookUrl, logger } = options;
  const clock = options.clock ?? systemClock;
  const delivery: SlackDeliveryOptions = {
    timeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
    totalTimeoutMs: options.totalTimeoutMs,
    maxRetryAfterMs: options.maxRetryAfterMs,
    baseBackoffMs: options.baseBackoffMs,
    sleep: options.sleep,
    random: options.random,
    clock,
  };

  async function resolveWebhook(): Promise<ResolvedWebhook> {
    let url: string | undefined;
    try {
      url = (await webhookUrl())?.trim();
    } catch (error) {
      const reason = describeResolverError(error);
      logger.error('Could not read the Slack webhook URL; the message was not posted', { error: reason });
      return {
        result: { delivered: false, error: `could not read the Slack webhook URL: ${reason}`, attempts: 0 },
      };
    }
    if (url === undefined || url === '') {
      logger.info('No Slack webhook configured; the message was not posted');
      return { result: { delivered: false, skipped: 'no-webhook' } };
    }
    if (!isHttpUrl(url)) {
      logger.error('The Slack webhook URL is not a valid http(s) URL; the message was not posted');
      return {
        result: { delivered: false, error: 'the Slack webhook URL is not a valid http(s) URL', attempts: 0 },
      };
    }
    return { url };
  }

  async function deliver(url: string, message: SlackMessage, what: Record<string, unknown>) {
    const result = await deliverSlackMessage(url, message, logger, delivery);
    if (result.delivered) logger.info('Slack message posted', { ...what, attempts: result.attempts });
    return result;
  }

  /** Turns anything unexpected (a bug in a builder, a throwing claim) into a result, never a throw. */
  async function neverThrow(
    what: Record<string, unknown>,
    post: () => Promise<SlackDeliveryResult>,
  ): Promise<SlackDeliveryResult> {
    try {
      return await post();
    } catch (error) {
      const reason = describeError(error);
      logger.error('Slack notification failed unexpectedly', { ...what, error: reason });
      return { delivered: false, error: `could not post to Slack: ${reason}`, attempts: 0 };
    }
  }

  return {
    postBackupFailure(details, alertOptions = {}) {
      const what = { message: 'backup-failure', cluster: details.cluster, database: details.database };
      return neverThrow(what, async () => {
        const webhook = await resolveWebhook();
        if ('result' in webhook) return webhook.result;
        if (alertOptions.claimAlertSlot && !(await claimOrPostAnyway(alertOptions.claimAlertSlot))) {
          logger.info('Per-run alert limit reached; the run summary will list this database', what);
          return { delivered: false, skipped: 'alert-limit' };
        }
        const message = buildBackupFailureMessage(details, { now: clock.now() });
        return deliver(webhook.url, message, what);
      });
    },

    postRunSummary(summary) {
      const what = { message: 'run-summary', cluster: summary.cluster, schedule: summary.schedule };
      return neverThrow(what, async () => {
        const webhook = await resolveWebhook();
        if ('result' in webhook) return webhook.result;
        return deliver(webhook.url, buildRunSummaryMessage(summary, { now: clock.now() }), what);
      });
    },
  };

  async function claimOrPostAnyway(claimAlertSlot: () => Promise<boolean>): Promise<boolean> {
    try {
      return await claimAlertSlot();
    } catch (error) {
      logger.warn('Could not claim an alert slot; posting anyway (a duplicate beats a missed alert)', {
        error: describeError(error),
      });
      return true;
    }
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
