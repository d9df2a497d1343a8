import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { traced } from '../tracer.ts';

let scheduler: Promise<SchedulerClient> | undefined;

/**
 * EventBridge Scheduler, traced. One attempt per SDK call: the schedule sync retries throttling with its own backoff
 * and pace, which a second layer of SDK retries would only multiply.
 */
export function awsScheduler(): Promise<SchedulerClient> {
  scheduler ??= traced(new SchedulerClient({ maxAttempts: 1 }));
  return scheduler;
}
