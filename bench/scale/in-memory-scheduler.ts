/**
 * EventBridge Scheduler's schedule API in memory, for the schedule-sync tests (behind aws-sdk-client-mock, at the SDK
 * boundary) and the sync benchmark (behind a simulated client on virtual time). It behaves as the API reference
 * describes: ListSchedules pages with NextToken and filters by group, CreateSchedule refuses an existing name
 * (ConflictException), Get/Update/Delete refuse a missing one (ResourceNotFoundException), and UpdateSchedule
 * replaces every field with what the request holds.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  type DeleteScheduleCommandInput,
  GetScheduleCommand,
  type GetScheduleCommandInput,
  type GetScheduleCommandOutput,
  ListSchedulesCommand,
  type ListSchedulesCommandInput,
  type ListSchedulesCommandOutput,
  ResourceNotFoundException,
  ThrottlingException,
  UpdateScheduleCommand,
  type UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';

/** The fields an SDK exception is built from (Scheduler's model names the message `Message`). */
const fault = (message: string) => ({ message, Message: message, $metadata: {} });

/** The Scheduler operations the sync uses. */
export type SchedulerOperation = 'list' | 'get' | 'create' | 'update' | 'delete';

/** One schedule as stored (what GetSchedule returns). */
export type StoredSchedule = Omit<GetScheduleCommandOutput, '$metadata'>;

/** A recorded call. */
export interface RecordedCall {
  readonly operation: SchedulerOperation;
  readonly group: string | undefined;
  readonly name: string | undefined;
}

/** The in-memory service. */
export class InMemoryScheduler {
  readonly groups = new Map<string, Map<string, StoredSchedule>>();
  readonly calls: RecordedCall[] = [];
  /** ListSchedules pages at most this many (the API's own maximum is 100). */
  pageSize = 100;
  private throttleBudget = new Map<SchedulerOperation, number>();

  constructor(groups: readonly string[]) {
    for (const group of groups) this.groups.set(group, new Map());
  }

  /** The next `count` calls of `operation` fail with ThrottlingException. */
  throttleNext(operation: SchedulerOperation, count: number): void {
    this.throttleBudget.set(operation, count);
  }

  /** Every schedule, as `group/name`, sorted. */
  keys(): string[] {
    return [...this.groups]
      .flatMap(([group, schedules]) => [...schedules.keys()].map((name) => `${group}/${name}`))
      .sort();
  }

  /** One stored schedule. */
  schedule(group: string, name: string): StoredSchedule | undefined {
    return this.groups.get(group)?.get(name);
  }

  /** Calls made of one operation. */
  count(operation: SchedulerOperation): number {
    return this.calls.filter((call) => call.operation === operation).length;
  }

  /** Dispatches an SDK command (for a simulated client). */
  handle(command: unknown): unknown {
    if (command instanceof ListSchedulesCommand) return this.list(command.input);
    if (command instanceof GetScheduleCommand) return this.get(command.input);
    if (command instanceof CreateScheduleCommand) return this.create(command.input);
    if (command instanceof UpdateScheduleCommand) return this.update(command.input);
    if (command instanceof DeleteScheduleCommand) return this.delete(command.input);
    throw new Error(`unexpected command ${String((command as object)?.constructor?.name)}`);
  }

  list(input: ListSchedulesCommandInput): Omit<ListSchedulesCommandOutput, '$metadata'> {
    this.record('list', input.GroupName, undefined);
    const group = input.GroupName === undefined ? undefined : this.groups.get(input.GroupName);
    if (input.GroupName !== undefined && group === undefined) {
      throw new ResourceNotFoundException(fault(`Schedule group ${input.GroupName} does not exist.`));
    }
    const all = [...(group === undefined ? [...this.groups.values()] : [group])]
      .flatMap((schedules) => [...schedules.values()])
      .sort((a, b) => `${a.GroupName}/${a.Name}`.localeCompare(`${b.GroupName}/${b.Name}`));
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    const size = Math.min(this.pageSize, input.MaxResults ?? 100);
    const page = all.slice(start, start + size);
    return {
      Schedules: page.map((schedule) => ({
        Name: schedule.Name,
        GroupName: schedule.GroupName,
        Arn: schedule.Arn,
        State: schedule.State,
        Target: { Arn: schedule.Target?.Arn },
      })),
      ...(start + size < all.length ? { NextToken: String(start + size) } : {}),
    };
  }

  get(input: GetScheduleCommandInput): StoredSchedule {
    this.record('get', input.GroupName, input.Name);
    const found = this.find(input.GroupName, input.Name);
    return structuredClone(found);
  }

  create(input: CreateScheduleCommandInput): { ScheduleArn: string } {
    this.record('create', input.GroupName, input.Name);
    const group = this.groupOf(input.GroupName);
    if (group.has(input.Name ?? '')) {
      throw new ConflictException(fault(`Schedule ${input.Name} already exists.`));
    }
    const stored = this.stored(input);
    group.set(input.Name ?? '', stored);
    return { ScheduleArn: stored.Arn ?? '' };
  }

  update(input: UpdateScheduleCommandInput): { ScheduleArn: string } {
    this.record('update', input.GroupName, input.Name);
    const previous = this.find(input.GroupName, input.Name);
    const stored = { ...this.stored(input), CreationDate: previous.CreationDate };
    this.groupOf(input.GroupName).set(input.Name ?? '', stored);
    return { ScheduleArn: stored.Arn ?? '' };
  }

  delete(input: DeleteScheduleCommandInput): Record<string, never> {
    this.record('delete', input.GroupName, input.Name);
    this.find(input.GroupName, input.Name);
    this.groupOf(input.GroupName).delete(input.Name ?? '');
    return {};
  }

  private record(operation: SchedulerOperation, group: string | undefined, name: string | undefined): void {
    this.calls.push({ operation, group, name });
    const budget = this.throttleBudget.get(operation) ?? 0;
    if (budget > 0) {
      this.throttleBudget.set(operation, budget - 1);
      throw new ThrottlingException(fault('Rate exceeded'));
    }
  }

  private groupOf(name: string | undefined): Map<string, StoredSchedule> {
    const group = this.groups.get(name ?? 'default');
    if (group === undefined) {
      throw new ResourceNotFoundException(fault(`Schedule group ${name} does not exist.`));
    }
    return group;
  }

  private find(group: string | undefined, name: string | undefined): StoredSchedule {
    const found = this.groupOf(group).get(name ?? '');
    if (found === undefined) {
      throw new ResourceNotFoundException(fault(`Schedule ${name} does not exist.`));
    }
    return found;
  }

  /** What the service keeps: the request's fields (an omitted optional one is unset), plus its own. */
  private stored(input: CreateScheduleCommandInput): StoredSchedule {
    const now = new Date(0);
    return structuredClone({
      Name: input.Name,
      GroupName: input.GroupName ?? 'default',
      Arn: `arn:aws:scheduler:us-east-1:123456789012:schedule/${input.GroupName ?? 'default'}/${input.Name}`,
      Description: input.Description,
      ScheduleExpression: input.ScheduleExpression,
      ScheduleExpressionTimezone: input.ScheduleExpressionTimezone,
      StartDate: input.StartDate,
      EndDate: input.EndDate,
      State: input.State ?? 'ENABLED',
      KmsKeyArn: input.KmsKeyArn,
      FlexibleTimeWindow: input.FlexibleTimeWindow,
      Target: input.Target,
      ActionAfterCompletion: input.ActionAfterCompletion ?? 'NONE',
      CreationDate: now,
      LastModificationDate: now,
    });
  }
}
