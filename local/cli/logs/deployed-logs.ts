/**
 * The lines of a deployed run in CloudWatch Logs: the Lambda log groups of the stack (CloudFormation
 * ListStackResources), the execution's time window (Step Functions DescribeExecution), then FilterLogEvents on
 * every group with a JSON filter pattern on `runId`, merged by time. The SDK clients are loaded only here.
 */
import type { CloudFormationClient, ListStackResourcesCommandOutput } from '@aws-sdk/client-cloudformation';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DescribeExecutionCommandOutput, SFNClient } from '@aws-sdk/client-sfn';
import { cliAwsClientOptions } from '../support/aws-client.ts';
import { failure, usageError } from '../support/cli-error.ts';
import { byTime, parseLogLine, type RunLogLine } from './log-line.ts';

/** What to read. */
export interface DeployedLogQuery {
  readonly stackName: string;
  /** The run: an execution ARN. */
  readonly executionArn: string;
  readonly region: string | undefined;
  /** Epoch ms: no line before it is asked for. */
  readonly since?: number | undefined;
  /** Epoch ms: the end of the window of a run still running. */
  readonly now: number;
}

/** What was read. */
export interface DeployedRunLog {
  readonly lines: RunLogLine[];
  readonly logGroups: readonly string[];
  /** Epoch ms, as asked of CloudWatch Logs. */
  readonly window: { readonly start: number; readonly end: number };
  /** The execution's status (`RUNNING`, `SUCCEEDED`, …). */
  readonly status: string;
  /** Log groups whose search stopped at the page bound (more lines may exist). */
  readonly truncated: readonly string[];
}

/**
 * Lines of a Task can carry a time a little before the execution's own start (clocks of two services) and
 * SettleExecution settles a stopped run's work after it ended: the window is widened by these margins.
 */
const BEFORE_START_MS = 60_000;
const AFTER_STOP_MS = 5 * 60_000;
/** Pages read per log group at most: a person is waiting (each page holds up to 10,000 events or 1 MB). */
const MAX_PAGES_PER_GROUP = 50;
/** Pages of the stack's resources read at most (100 resources a page). */
const MAX_RESOURCE_PAGES = 20;
/**
 * Log groups searched at once. FilterLogEvents has a low per-account rate quota (CloudWatch Logs quotas page: a few
 * transactions per second per Region, adjustable; the exact default is not checked here — a guess), shared with
 * everything else in the account, so two at a time, with the SDK's adaptive retry (below) absorbing throttling.
 */
const PARALLEL_GROUPS = 2;
/** Step Functions' own execution logs (cdk/constructs/state-machine-from-file.ts): no handler line is there. */
const STATE_MACHINE_LOGS = '/aws/vendedlogs/';

/**
 * The CloudWatch Logs filter pattern of one run's lines. The JSON form compares a field of JSON log events
 * (CloudWatch Logs User Guide: "Filter pattern syntax for metric filters, subscription filters, and filter log
 * events", JSON log events); Powertools prints each line as one JSON object, and the Task pipeline adds `runId`.
 */
export function runFilterPattern(runId: string): string {
  if (/["\\]/.test(runId)) throw usageError(`${runId} is not a run id`);
  return `{ $.runId = "${runId}" }`;
}

/** Reads the lines of the run; AWS errors are left to the caller's explanation. */
export async function readDeployedRunLog(query: DeployedLogQuery): Promise<DeployedRunLog> {
  const [cloudFormation, stepFunctions, cloudWatchLogs] = await Promise.all([
    import('@aws-sdk/client-cloudformation'),
    import('@aws-sdk/client-sfn'),
    import('@aws-sdk/client-cloudwatch-logs'),
  ]);
  const clientOptions = cliAwsClientOptions(query.region);
  const cfn = new cloudFormation.CloudFormationClient(clientOptions);
  const sfn = new stepFunctions.SFNClient(clientOptions);
  // Adaptive retry backs off client-side on ThrottlingException instead of failing the command after 3 attempts.
  const logs = new cloudWatchLogs.CloudWatchLogsClient({
    ...clientOptions,
    retryMode: 'adaptive',
    maxAttempts: 8,
  });
  try {
    const [execution, logGroups] = await Promise.all([
      executionWindow(sfn, stepFunctions.DescribeExecutionCommand, query),
      lambdaLogGroups(cfn, cloudFormation.ListStackResourcesCommand, query.stackName),
    ]);
    const pattern = runFilterPattern(query.executionArn);
    const truncated: string[] = [];
    const perGroup = await inBatches(logGroups, PARALLEL_GROUPS, async (logGroupName) => {
      const found = await filterGroup(logs, cloudWatchLogs.FilterLogEventsCommand, {
        logGroupName,
        filterPattern: pattern,
        startTime: execution.start,
        endTime: execution.end,
      });
      if (found.truncated) truncated.push(logGroupName);
      return found.lines;
    });
    return {
      lines: byTime(perGroup.flat()),
      logGroups,
      window: { start: execution.start, end: execution.end },
      status: execution.status,
      truncated,
    };
  } finally {
    cfn.destroy();
    sfn.destroy();
    logs.destroy();
  }
}

async function executionWindow(
  sfn: SFNClient,
  DescribeExecution: typeof import('@aws-sdk/client-sfn').DescribeExecutionCommand,
  query: DeployedLogQuery,
): Promise<{ start: number; end: number; status: string }> {
  let described: DescribeExecutionCommandOutput;
  try {
    described = await sfn.send(new DescribeExecution({ executionArn: query.executionArn }));
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionDoesNotExist') {
      throw failure(`no run ${query.executionArn} in ${query.region ?? 'this region'}`, {
        hint: `\`sr-backup runs --config <file> --stack ${query.stackName}\` lists the runs with their ids`,
        cause: error,
      });
    }
    throw error;
  }
  const started = described.startDate?.getTime() ?? query.now;
  const stopped = described.stopDate?.getTime();
  const start = Math.max(started - BEFORE_START_MS, query.since ?? 0);
  const end = Math.min(stopped === undefined ? query.now : stopped + AFTER_STOP_MS, query.now);
  return { start, end: Math.max(start, end), status: described.status ?? 'UNKNOWN' };
}

/**
 * The stack's Lambda log groups: its AWS::Logs::LogGroup resources (cdk/constructs/node-function.ts gives each
 * function its own), without the state machines' ones; else `/aws/lambda/<function>` for each function, where Lambda
 * writes when no group is configured (AWS Lambda Developer Guide: "Sending Lambda function logs to CloudWatch Logs").
 */
async function lambdaLogGroups(
  cfn: CloudFormationClient,
  ListStackResources: typeof import('@aws-sdk/client-cloudformation').ListStackResourcesCommand,
  stackName: string,
): Promise<string[]> {
  const groups: string[] = [];
  const functions: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    let page: ListStackResourcesCommandOutput;
    try {
      page = await cfn.send(
        new ListStackResources({ StackName: stackName, ...(nextToken ? { NextToken: nextToken } : {}) }),
      );
    } catch (error) {
      // CloudFormation answers an unknown stack with a ValidationError "Stack with id … does not exist".
      if (
        error instanceof Error &&
        error.name === 'ValidationError' &&
        /does not exist/.test(error.message)
      ) {
        throw usageError(`no stack ${stackName} in this region`, {
          hint: 'pass the stack name `cdk deploy` printed, and its region with --region (or AWS_REGION)',
          cause: error,
        });
      }
      throw error;
    }
    for (const resource of page.StackResourceSummaries ?? []) {
      const physical = resource.PhysicalResourceId;
      if (physical === undefined || physical === '') continue;
      if (resource.ResourceType === 'AWS::Logs::LogGroup' && !physical.startsWith(STATE_MACHINE_LOGS)) {
        groups.push(physical);
      } else if (resource.ResourceType === 'AWS::Lambda::Function') {
        functions.push(`/aws/lambda/${physical}`);
      }
    }
    nextToken = page.NextToken;
    pages += 1;
  } while (nextToken !== undefined && nextToken !== '' && pages < MAX_RESOURCE_PAGES);
  return groups.length > 0 ? groups : functions;
}

async function filterGroup(
  logs: CloudWatchLogsClient,
  FilterLogEvents: typeof import('@aws-sdk/client-cloudwatch-logs').FilterLogEventsCommand,
  request: { logGroupName: string; filterPattern: string; startTime: number; endTime: number },
): Promise<{ lines: RunLogLine[]; truncated: boolean }> {
  const lines: RunLogLine[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  try {
    do {
      // A page may be empty and still carry a nextToken (the search goes on through the window): follow it.
      const page = await logs.send(new FilterLogEvents({ ...request, ...(nextToken ? { nextToken } : {}) }));
      for (const event of page.events ?? []) {
        const line = event.message === undefined ? undefined : parseLogLine(event.message, event.timestamp);
        if (line !== undefined) lines.push(line);
      }
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken !== undefined && nextToken !== '' && pages < MAX_PAGES_PER_GROUP);
  } catch (error) {
    // A group the stack declares but nothing has written to yet, or one deleted since: no line of the run there.
    if (error instanceof Error && error.name === 'ResourceNotFoundException')
      return { lines, truncated: false };
    throw error;
  }
  return { lines, truncated: nextToken !== undefined && nextToken !== '' };
}

async function inBatches<Item, Result>(
  items: readonly Item[],
  size: number,
  work: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = [];
  for (let index = 0; index < items.length; index += size) {
    results.push(...(await Promise.all(items.slice(index, index + size).map(work))));
  }
  return results;
}
