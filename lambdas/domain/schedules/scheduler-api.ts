/**
 * The EventBridge Scheduler calls the sync makes, paced and retried: every call waits for its turn under a
 * requests-per-second budget (account quotas are per operation and Region, and other callers share them), a
 * throttled or failed-transiently call is retried with exponential backoff and full jitter, and no call starts
 * after the deadline (Lambda's 15 minutes, less the time to report to CloudFormation).
 */
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  ListSchedulesCommand,
  type ListSchedulesCommandOutput,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { Clock } from '#domain/clock.ts';
import { SyncOutOfTimeError } from '#domain/errors.ts';
import type { ScheduleRequest } from './schedule-set.ts';

/** The Scheduler client, or anything that sends its commands (tests mock it at this boundary). */
export type SchedulerSender = Pick<SchedulerClient, 'send'>;

/** How hard the sync may drive the Scheduler API. */
export interface SchedulerPacing {
  /** Calls per second, all operations together. */
  readonly requestsPerSecond: number;
  /** Calls in flight at once. */
  readonly maxInFlight: number;
  /** Attempts per call (the first included) before a retryable error is given up on. */
  readonly maxAttempts: number;
  /** First backoff ceiling and its cap, ms: attempt n waits a random time below min(cap, base × 2^n). */
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
}

/**
 * Defaults: 40 calls per second stays below the lowest per-operation rate the Scheduler quotas page has listed
 * (50 per second, in earlier versions; today 250 to 5,000 depending on the operation and Region), leaving room for
 * other callers in the account.
 */
export const DEFAULT_PACING: SchedulerPacing = {
  requestsPerSecond: 40,
  maxInFlight: 8,
  maxAttempts: 10,
  backoffBaseMs: 250,
  backoffCapMs: 20_000,
};

/** What the API needs from its surroundings (injected: tests and the benchmark run on virtual time). */
export interface SchedulerApiDeps {
  readonly scheduler: SchedulerSender;
  readonly clock: Clock;
  readonly sleep: (ms: number) => Promise<void>;
  /** In [0, 1); jitter. */
  readonly random: () => number;
  readonly pacing: SchedulerPacing;
  /** Epoch ms after which no call starts (undefined: no limit). */
  readonly deadline?: number;
}

/** Calls made, by operation, and how many were retried. */
export interface CallCounts {
  list: number;
  get: number;
  create: number;
  update: number;
  delete: number;
  retries: number;
  throttled: number;
}

/** Waits that together keep calls at most `requestsPerSecond` apart on average. */
class Pacer {
  private nextAt = 0;
  private readonly interval: number;

  constructor(
    private readonly clock: Clock,
    private readonly sleep: (ms: number) => Promise<void>,
    requestsPerSecond: number,
  ) {
    this.interval = 1000 / requestsPerSecond;
  }

  async take(): Promise<void> {
    const now = this.clock.now();
    // The slot is reserved before the wait, so concurrent callers queue instead of bursting together.
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.interval;
    if (at > now) await this.sleep(at - now);
  }
}

interface AwsErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);
const TRANSIENT = new Set([
  'InternalServerException',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/** A throttling error: retried, and counted apart. */
export function isThrottling(error: unknown): boolean {
  const shaped = error as AwsErrorShape;
  return THROTTLING.has(shaped?.name ?? '') || shaped?.$metadata?.httpStatusCode === 429;
}

/** An error a later attempt may not meet: throttling, a server fault, a dropped connection. */
export function isRetryable(error: unknown): boolean {
  if (isThrottling(error)) return true;
  const shaped = error as AwsErrorShape;
  if (shaped === null || typeof shaped !== 'object') return false;
  if (TRANSIENT.has(shaped.name ?? '') || NETWORK.has(shaped.code ?? '')) return true;
  if (shaped.$retryable !== undefined) return true;
  return (shaped.$metadata?.httpStatusCode ?? 0) >= 500;
}

/** The error name Scheduler gives a missing schedule or group. */
export function isNotFound(error: unknown): boolean {
  return (error as AwsErrorShape)?.name === 'ResourceNotFoundException';
}

/** The error name Scheduler gives a schedule that already exists. */
export function isConflict(error: unknown): boolean {
  return (error as AwsErrorShape)?.name === 'ConflictException';
}

/** One summary of a schedule, as ListSchedules returns it. */
export interface ListedSchedule {
  readonly name: string;
  readonly group: string;
}

/** The paced, retried Scheduler operations the sync and `sr-backup plan` use. */
export class SchedulerApi {
  readonly calls: CallCounts = { list: 0, get: 0, create: 0, update: 0, delete: 0, retries: 0, throttled: 0 };
  private readonly pacer: Pacer;

  constructor(private readonly deps: SchedulerApiDeps) {
    this.pacer = new Pacer(deps.clock, deps.sleep, deps.pacing.requestsPerSecond);
  }

  /** How many calls may be in flight at once. */
  get maxInFlight(): number {
    return this.deps.pacing.maxInFlight;
  }

  /** Every schedule of `group` (ListSchedules, page by page); `undefined` when the group does not exist. */
  async listGroup(group: string): Promise<ListedSchedule[] | undefined> {
    const listed: ListedSchedule[] = [];
    let nextToken: string | undefined;
    do {
      let page: ListSchedulesCommandOutput;
      try {
        page = await this.call('list', () =>
          this.deps.scheduler.send(
            new ListSchedulesCommand({
              GroupName: group,
              MaxResults: 100,
              ...(nextToken === undefined ? {} : { NextToken: nextToken }),
            }),
          ),
        );
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
      for (const summary of page.Schedules ?? []) {
        // The group filter is the service's; a summary of another group is not ours to touch.
        if (summary.Name !== undefined && (summary.GroupName ?? group) === group) {
          listed.push({ name: summary.Name, group });
        }
      }
      nextToken = page.NextToken || undefined;
    } while (nextToken !== undefined);
    return listed;
  }

  /** One schedule in full; `undefined` when it is gone. */
  async get(group: string, name: string): Promise<GetScheduleCommandOutput | undefined> {
    try {
      return await this.call('get', () =>
        this.deps.scheduler.send(new GetScheduleCommand({ GroupName: group, Name: name })),
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** CreateSchedule; a schedule that appeared since the listing is updated instead. */
  async create(request: ScheduleRequest): Promise<'created' | 'updated'> {
    try {
      await this.call('create', () => this.deps.scheduler.send(new CreateScheduleCommand(request)));
      return 'created';
    } catch (error) {
      if (!isConflict(error)) throw error;
      await this.call('update', () => this.deps.scheduler.send(new UpdateScheduleCommand(request)));
      return 'updated';
    }
  }

  /** UpdateSchedule (every field, as UpdateSchedule resets what a request leaves out); a vanished one is created. */
  async update(request: ScheduleRequest): Promise<'created' | 'updated'> {
    try {
      await this.call('update', () => this.deps.scheduler.send(new UpdateScheduleCommand(request)));
      return 'updated';
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.call('create', () => this.deps.scheduler.send(new CreateScheduleCommand(request)));
      return 'created';
    }
  }

  /** DeleteSchedule; one already gone counts as deleted. */
  async delete(group: string, name: string): Promise<void> {
    try {
      await this.call('delete', () =>
        this.deps.scheduler.send(new DeleteScheduleCommand({ GroupName: group, Name: name })),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /**
   * Runs `work` over `items` with at most {@link maxInFlight} at once (the pacer spaces the calls). The first error
   * stops the taking of new items; it is thrown once the calls in flight have settled, so nothing runs on after.
   */
  async forEach<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    let failure: { readonly error: unknown } | undefined;
    const worker = async () => {
      while (failure === undefined && next < items.length) {
        const item = items[next++] as T;
        try {
          await work(item);
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.maxInFlight, items.length) }, worker));
    if (failure !== undefined) throw failure.error;
  }

  private async call<T>(operation: keyof Omit<CallCounts, 'retries' | 'throttled'>, send: () => Promise<T>) {
    const { pacing, random, sleep } = this.deps;
    for (let attempt = 1; ; attempt++) {
      await this.pacer.take();
      this.checkDeadline();
      this.calls[operation]++;
      try {
        return await send();
      } catch (error) {
        if (!isRetryable(error) || attempt >= pacing.maxAttempts) throw error;
        this.calls.retries++;
        if (isThrottling(error)) this.calls.throttled++;
        const ceiling = Math.min(pacing.backoffCapMs, pacing.backoffBaseMs * 2 ** (attempt - 1));
        await sleep(Math.floor(random() * ceiling));
      }
    }
  }

  private checkDeadline(): void {
    const { deadline, clock } = this.deps;
    if (deadline !== undefined && clock.now() >= deadline) {
      throw new SyncOutOfTimeError(
        'out of time before the schedules were in sync; what was done is kept and the next deploy carries on (the sync is idempotent)',
      );
    }
  }
}
