/**
 * The contract of the CloudFormation custom resource `Custom::ScheduleSync` between the stack (which writes its
 * properties) and the SyncSchedules function (which answers it): the properties' schema, the response and its
 * 4,096-byte limit. What the function does with an event is its use case (lambdas/functions/SyncSchedules/core.ts).
 */
import { z } from '#domain/zod.ts';
import { SCHEDULE_KINDS, type ScheduleDeployment, type ScheduleKind } from './schedule-set.ts';

/** CloudFormation's limit on a custom resource response body. */
export const MAX_RESPONSE_BYTES = 4096;

/** The custom resource's type. */
export const SCHEDULE_SYNC_RESOURCE_TYPE = 'Custom::ScheduleSync';

/** CloudFormation passes every property as a string; numbers arrive as text. */
const count = (max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? Number(value) : value),
    z.number().int().min(1).max(max),
  );

const kindProperties = (prefix: string) => ({
  [`${prefix}Group`]: z.string().min(1),
  [`${prefix}StateMachineArn`]: z.string().startsWith('arn:'),
  [`${prefix}RoleArn`]: z.string().startsWith('arn:'),
});

const PREFIX: Readonly<Record<ScheduleKind, string>> = {
  backup: 'Backup',
  freshness: 'Freshness',
  drill: 'Drill',
};

/** The resource's properties, as the stack writes them (construct ScheduleSync). */
export const scheduleSyncPropertiesSchema = z.looseObject({
  ScheduleSetBucket: z.string().min(1),
  ScheduleSetKey: z.string().min(1),
  ...kindProperties('Backup'),
  ...kindProperties('Freshness'),
  ...kindProperties('Drill'),
  DeadLetterQueueArn: z.string().startsWith('arn:'),
  RequestsPerSecond: count(1000),
  MaxInFlight: count(64),
});

/** The parsed properties. */
export type ScheduleSyncProperties = z.output<typeof scheduleSyncPropertiesSchema>;

/** The groups and ARNs the properties name. */
export function deploymentOf(properties: ScheduleSyncProperties): ScheduleDeployment {
  const field = (name: string) => String((properties as Record<string, unknown>)[name]);
  const targets = Object.fromEntries(
    SCHEDULE_KINDS.map((kind) => [
      kind,
      {
        group: field(`${PREFIX[kind]}Group`),
        stateMachineArn: field(`${PREFIX[kind]}StateMachineArn`),
        roleArn: field(`${PREFIX[kind]}RoleArn`),
      },
    ]),
  ) as ScheduleDeployment['targets'];
  return { targets, deadLetterQueueArn: properties.DeadLetterQueueArn };
}

/** The body CloudFormation reads from the presigned URL. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Readonly<Record<string, string | number>>;
}

/** `text` cut to at most `max` characters, the cut marked with `…`. */
export function truncateReason(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The JSON body of a response, checked against CloudFormation's 4,096-byte limit. */
export function responseBody(response: CustomResourceResponse): string {
  const body = JSON.stringify(response);
  if (Buffer.byteLength(body, 'utf8') <= MAX_RESPONSE_BYTES) return body;
  return JSON.stringify({ ...response, Reason: truncateReason(response.Reason ?? '', 500), Data: undefined });
}
