/**
 * The notifier the workflow's Lambdas (NotifyFailure, SummarizeRun, and every generic `postAlert`: incidents,
 * size anomalies, drills, prune failures) and the local CLI use: it resolves the webhook (and, for `postAlert`, the
 * Web API's bot token), applies the per-run alert budget, builds the message and delivers it. It never throws.
 */
import { type Clock, systemClock } from '#domain/clock.ts';
import { BackupSchedulerError } from '#domain/errors.ts';
import type { AppLogger } from '#domain/logger.ts';
import { isHttpUrl } from '#domain/url.ts';
import { type AlertDetails, buildAlertMessage } from './alert-message.ts';
import { type BackupFailureDetails, buildBackupFailureMessage } from './backup-failure-message.ts';
import { buildRunSummaryMessage, type RunSummary } from './run-summary-message.ts';
import {
  deliverSlackMessage,
  redactWebhookUrl,
  type SlackDeliveryOptions,
  type SlackDeliveryResult,
} from './slack-delivery.ts';
import type { SlackMessage } from './slack-message.ts';
import { postWebApiMessage, redactSlackToken } from './slack-web-api.ts';

/** Dependencies and delivery settings of {@link createSlackNotifier}. */
export interface SlackNotifierOptions extends Omit<SlackDeliveryOptions, 'clock'> {
  /**
   * Returns the webhook URL, or `undefined` when none is configured (deployed: read from Secrets Manager
   * and cached per cold start; locally: `SLACK_WEBHOOK_URL`).
   */
  webhookUrl: () => Promise<string | undefined>;
  /**
   * Drops the cached webhook URL so that the next `webhookUrl()` reads the secret again. Called once after the
   * webhook answers 403 or 404 (the URL was revoked, or rotated since this cold start cached it), as the FE password
   * is re-read after a refused login; the post is then retried once if the URL changed.
   */
  invalidateWebhookUrl?: (() => void) | undefined;
  logger: AppLogger;
  clock?: Clock | undefined;
  /**
   * Slack's Web API with a bot token, for {@link SlackNotifier.postAlert}: its messages have a `ts`, so a later
   * alert can answer in their thread. Without it (or without a token), alerts go to the webhook.
   */
  webApi?: SlackWebApiSource | undefined;
}

/** Where the Web API token and channel come from. */
export interface SlackWebApiSource {
  /** The bot token (deployed: `slack.botTokenSecretArn`; locally: SLACK_BOT_TOKEN), or `undefined` for none. */
  token: () => Promise<string | undefined>;
  /** Channel id or `#name` (`slack.channel`). */
  channel: string;
  /** Default https://slack.com/api/ (tests and local runs may point elsewhere). */
  baseUrl?: string | undefined;
}

/** Options of one generic alert. */
export interface AlertPostOptions {
  /**
   * Answer in this message's thread (its `ts`, as an earlier {@link AlertDeliveryResult.thread} gave it). Only the
   * Web API can; through a webhook the alert is posted as a message of its own.
   */
  threadTs?: string | undefined;
}

/** The outcome of {@link SlackNotifier.postAlert}: `thread` is set when the Web API posted it (reply with its ts). */
export type AlertDeliveryResult = SlackDeliveryResult & {
  readonly thread?: { readonly ts: string; readonly channel: string };
};

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
  /**
   * Posts a generic alert ({@link AlertDetails}: title, severity, fields, text) for anything that is not one
   * failed backup or a run summary: freshness incidents, recoveries, drift, size anomalies, drills, prune failures.
   * Through the Web API when a bot token is configured (the result then carries the message's `thread`), else,
   * or when the Web API refuses, through the webhook. Never throws.
   */
  postAlert(alert: AlertDetails, options?: AlertPostOptions): Promise<AlertDeliveryResult>;
  /**
   * Posts a message built elsewhere (the weekly report's digest) to the webhook; `kind` names it in the log.
   * Never throws.
   */
  postMessage(message: SlackMessage, kind: string): Promise<SlackDeliveryResult>;
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

  async function deliver(
    url: string,
    message: SlackMessage,
    what: Record<string, unknown>,
  ): Promise<SlackDeliveryResult> {
    let result = await deliverSlackMessage(url, message, logger, delivery);
    if (isRevokedWebhook(result) && options.invalidateWebhookUrl !== undefined) {
      options.invalidateWebhookUrl();
      const fresh = await resolveWebhook();
      if ('url' in fresh && fresh.url !== url) {
        logger.warn('The Slack webhook refused the post; posting once more with the URL read again', {
          ...what,
          httpStatus: result.httpStatus,
        });
        const retried = await deliverSlackMessage(fresh.url, message, logger, delivery);
        result = { ...retried, attempts: result.attempts + retried.attempts };
      }
    }
    if (result.delivered) logger.info('Slack message posted', { ...what, attempts: result.attempts });
    return result;
  }

  /** Turns anything unexpected (a bug in a builder, a throwing claim) into a result, never a throw. */
  async function neverThrow<Result extends SlackDeliveryResult>(
    what: Record<string, unknown>,
    post: () => Promise<Result>,
  ): Promise<Result | SlackDeliveryResult> {
    try {
      return await post();
    } catch (error) {
      const reason = redactSlackToken(describeError(error));
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

    postAlert(alert, alertOptions = {}) {
      const what = { message: 'alert', severity: alert.severity, title: alert.title.slice(0, 120) };
      return neverThrow(what, async (): Promise<AlertDeliveryResult> => {
        const message = buildAlertMessage(alert);
        const viaWebApi = await postThroughWebApi(message, alertOptions.threadTs, what);
        if (viaWebApi?.delivered) return viaWebApi;
        const webhook = await resolveWebhook();
        if ('result' in webhook) return viaWebApi ?? webhook.result;
        return deliver(webhook.url, message, what);
      });
    },

    postMessage(message, kind) {
      const what = { message: kind };
      return neverThrow(what, async () => {
        const webhook = await resolveWebhook();
        if ('result' in webhook) return webhook.result;
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

  /** The Web API post, or undefined when no Web API (or no token) is configured. */
  async function postThroughWebApi(
    message: SlackMessage,
    threadTs: string | undefined,
    what: Record<string, unknown>,
  ): Promise<AlertDeliveryResult | undefined> {
    const webApi = options.webApi;
    if (webApi === undefined) return undefined;
    let token: string | undefined;
    try {
      token = (await webApi.token())?.trim();
    } catch (error) {
      const reason = redactSlackToken(describeResolverError(error));
      logger.error('Could not read the Slack bot token; trying the webhook', { ...what, error: reason });
      return { delivered: false, error: `could not read the Slack bot token: ${reason}`, attempts: 0 };
    }
    if (token === undefined || token === '') return undefined;
    const target = { token, channel: webApi.channel, baseUrl: webApi.baseUrl };
    const result = await postWebApiMessage(target, message, { threadTs }, logger, delivery);
    if (!result.delivered) return result;
    logger.info('Slack message posted (Web API)', { ...what, attempts: result.attempts });
    return {
      delivered: true,
      attempts: result.attempts,
      thread: { ts: result.ts, channel: result.channel || webApi.channel },
    };
  }

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

/** 403 (`action_prohibited`, a revoked hook) and 404 (`no_service`, a deleted one) mean the URL itself is gone. */
function isRevokedWebhook(
  result: SlackDeliveryResult,
): result is Extract<SlackDeliveryResult, { error: string }> & { httpStatus: number } {
  return 'httpStatus' in result && (result.httpStatus === 403 || result.httpStatus === 404);
}
