// `sr-backup logs <runId> --stack …` against a "deployed" stack: CloudFormation, Step Functions and CloudWatch Logs
// mocked at the SDK boundary. In process, well under a second.
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runLogsCommand } from '#local/cli/logs/logs-command.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';

const STACK = 'StarRocksBackupScheduler';
const RUN = 'arn:aws:states:eu-west-1:123456789012:execution:NightlyBackup:prod-nightly-20261124T1800-a1b2c3';
const STARTED = Date.parse('2026-11-24T18:00:02Z');
const STOPPED = Date.parse('2026-11-24T18:41:30Z');
const NOW = Date.parse('2026-11-25T08:00:00Z');
const SUBMIT_GROUP = 'StarRocksBackupScheduler-SubmitBackupLogs1A2B3C-xyz';
const CHECK_GROUP = 'StarRocksBackupScheduler-CheckBackupLogs4D5E6F-xyz';

function line(at: number, service: string, level: string, message: string, fields: object = {}) {
  return {
    timestamp: at,
    message: JSON.stringify({
      level,
      message,
      timestamp: new Date(at).toISOString(),
      service,
      function_name: `${STACK}-${service}-Fn`,
      function_request_id: 'req',
      runId: RUN,
      ...fields,
    }),
  };
}

const cliIo = () => capturedCliIo({ now: NOW, env: { AWS_REGION: 'eu-west-1' } });

describe('sr-backup logs (deployed)', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const stepFunctions = mockClient(SFNClient);
  const cloudWatchLogs = mockClient(CloudWatchLogsClient);
  const saved = { ...process.env };

  beforeAll(() => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example' });
  });

  afterEach(() => {
    cloudFormation.reset();
    stepFunctions.reset();
    cloudWatchLogs.reset();
  });

  afterAll(() => {
    cloudFormation.restore();
    stepFunctions.restore();
    cloudWatchLogs.restore();
    process.env = saved;
  });

  function deployedStack(): void {
    cloudFormation
      .on(ListStackResourcesCommand, { StackName: STACK })
      .resolvesOnce({
        StackResourceSummaries: [
          { ResourceType: 'AWS::Logs::LogGroup', PhysicalResourceId: SUBMIT_GROUP, LogicalResourceId: 'a' },
          {
            ResourceType: 'AWS::Logs::LogGroup',
            PhysicalResourceId: '/aws/vendedlogs/states/NightlyBackup-Logs',
            LogicalResourceId: 'b',
          },
          { ResourceType: 'AWS::Lambda::Function', PhysicalResourceId: 'fn', LogicalResourceId: 'c' },
        ].map((summary) => ({
          ...summary,
          LastUpdatedTimestamp: new Date(NOW),
          ResourceStatus: 'CREATE_COMPLETE' as const,
        })),
        NextToken: 'resources-2',
      })
      .resolvesOnce({
        StackResourceSummaries: [
          {
            ResourceType: 'AWS::Logs::LogGroup',
            PhysicalResourceId: CHECK_GROUP,
            LogicalResourceId: 'd',
            LastUpdatedTimestamp: new Date(NOW),
            ResourceStatus: 'CREATE_COMPLETE',
          },
        ],
      });
    stepFunctions.on(DescribeExecutionCommand, { executionArn: RUN }).resolves({
      executionArn: RUN,
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:NightlyBackup',
      status: 'FAILED',
      startDate: new Date(STARTED),
      stopDate: new Date(STOPPED),
    });
    // SubmitBackup's group answers in two pages, the first out of order with the second; CheckBackup's in one,
    // with an empty first page that still carries a token (the search goes on).
    cloudWatchLogs
      .on(FilterLogEventsCommand, { logGroupName: SUBMIT_GROUP })
      .resolvesOnce({
        events: [
          line(STARTED + 30_000, 'submit-backup', 'INFO', 'backup tracked', { database: 'sales', jobId: 7 }),
        ],
        nextToken: 'submit-2',
      })
      .resolvesOnce({
        events: [
          line(STARTED + 10_000, 'submit-backup', 'WARN', 'label already used in the repository', {
            database: 'sales',
            webhookUrl: 'https://webhook.example.invalid/not-a-real-path',
          }),
        ],
      });
    cloudWatchLogs
      .on(FilterLogEventsCommand, { logGroupName: CHECK_GROUP })
      .resolvesOnce({ events: [], nextToken: 'check-2' })
      .resolvesOnce({
        events: [
          line(STARTED + 20_000, 'check-backup', 'INFO', 'backup checked', { state: 'UPLOADING' }),
          line(STARTED + 40_000, 'check-backup', 'ERROR', 'task failed', { errorType: 'BackupFailedError' }),
          { timestamp: STARTED + 41_000, message: 'REPORT RequestId: x Duration: 3 ms' },
        ],
      });
  }

  it('searches every Lambda log group of the stack for the run within its window, and merges by time', async () => {
    // Prepare
    deployedStack();
    const { io, stdout, stderr } = cliIo();

    // Act
    const code = await runLogsCommand({ run: RUN, stack: STACK, limit: 1000 }, io);

    // Assess
    expect(code, stderr()).toBe(0);
    const calls = cloudWatchLogs.commandCalls(FilterLogEventsCommand).map((call) => call.args[0].input);
    expect(new Set(calls.map((input) => input.logGroupName))).toEqual(new Set([SUBMIT_GROUP, CHECK_GROUP]));
    for (const input of calls) {
      expect(input.filterPattern).toBe(`{ $.runId = "${RUN}" }`);
      expect(input.startTime).toBe(STARTED - 60_000);
      expect(input.endTime).toBe(STOPPED + 5 * 60_000);
    }
    expect(calls.filter((input) => input.nextToken === 'submit-2')).toHaveLength(1);
    expect(calls.filter((input) => input.nextToken === 'check-2')).toHaveLength(1);
    const printed = stdout().trimEnd().split('\n');
    expect(printed.map((text) => text.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      '2026-11-24T18:00:12.000Z submit-backup WARN',
      '2026-11-24T18:00:22.000Z check-backup INFO',
      '2026-11-24T18:00:32.000Z submit-backup INFO',
      '2026-11-24T18:00:42.000Z check-backup ERROR',
    ]);
    expect(printed[2]).toContain('backup tracked  database=sales  jobId=7');
    expect(printed[0]).toContain('webhookUrl=[redacted]');
    expect(stdout()).not.toContain('not-a-real-path');
  });

  it('prints JSON Lines with --json, filtered by function and level', async () => {
    // Prepare
    deployedStack();
    const { io, stdout, stderr } = cliIo();

    // Act
    const code = await runLogsCommand(
      { run: RUN, stack: STACK, limit: 1000, json: true, function: ['CheckBackup'], level: 'WARN' },
      io,
    );

    // Assess
    expect(code, stderr()).toBe(0);
    const documents = stdout()
      .trimEnd()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(documents).toEqual([
      expect.objectContaining({
        service: 'check-backup',
        level: 'ERROR',
        message: 'task failed',
        runId: RUN,
      }),
    ]);
  });

  it('keeps the last lines with --limit and says how many it left out', async () => {
    // Prepare
    deployedStack();
    const { io, stdout, stderr } = cliIo();

    // Act
    const code = await runLogsCommand({ run: RUN, stack: STACK, limit: 1 }, io);

    // Assess
    expect(code).toBe(0);
    expect(stdout().trimEnd().split('\n')).toHaveLength(1);
    expect(stdout()).toContain('task failed');
    expect(stderr()).toContain('3 earlier lines left out (--limit 1)');
  });

  it('tells an unknown run (exit 1) with the command that lists the runs', async () => {
    // Prepare
    cloudFormation.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
    stepFunctions
      .on(DescribeExecutionCommand)
      .rejects(Object.assign(new Error('Execution Does Not Exist'), { name: 'ExecutionDoesNotExist' }));
    const { io, stdout, stderr } = cliIo();

    // Act
    const code = await runLogsCommand({ run: RUN, stack: STACK, limit: 1000 }, io);

    // Assess
    expect(code).toBe(1);
    expect(stdout()).toBe('');
    expect(stderr()).toContain(`error: no run ${RUN} in eu-west-1`);
    expect(stderr()).toContain(`sr-backup runs --config <file> --stack ${STACK}`);
    expect(cloudWatchLogs.commandCalls(FilterLogEventsCommand)).toHaveLength(0);
  });

  it('refuses a deployed run id without a stack (exit 2), asking AWS nothing', async () => {
    // Act
    const { io, stderr } = cliIo();
    const code = await runLogsCommand({ run: RUN, limit: 1000 }, io);

    // Assess
    expect(code).toBe(2);
    expect(stderr()).toContain('pass --stack <name> (or set SR_BACKUP_STACK)');
    expect(stepFunctions.calls()).toHaveLength(0);
  });
});
