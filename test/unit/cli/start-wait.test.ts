// `sr-backup start --wait`: Step Functions mocked at the SDK boundary (the run's history and its children's, read
// in two passes), a virtual sleep, and Ctrl-C as an abort signal.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runStartCommand } from '#local/cli/start/start-command.ts';
import { writeConfig } from '#test/integration/cli/cli-harness.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:NightlyBackup';
const RUN =
  'arn:aws:states:eu-west-1:123456789012:execution:NightlyBackup:manual-prod-nightly-20261124T1800Z-abcdef';
const LANE = 'arn:aws:states:eu-west-1:123456789012:execution:BackupLane:prod-20261124T1800-l0-g0';
const SALES = 'arn:aws:states:eu-west-1:123456789012:execution:BackupDatabase:prod-20261124T1800-sales-1';
const CRM = 'arn:aws:states:eu-west-1:123456789012:execution:BackupDatabase:prod-20261124T1800-crm-1';
const T0 = Date.UTC(2026, 10, 24, 18, 0, 5);

const cliIo = () => capturedCliIo({ now: T0 });

let nextSecond = 0;
function event(id: number, type: string, details: Partial<HistoryEvent> = {}): HistoryEvent {
  nextSecond += 1;
  return { id, type: type as HistoryEvent['type'], timestamp: new Date(T0 + nextSecond * 1000), ...details };
}
const started = (id: number, input: unknown) =>
  event(id, 'ExecutionStarted', { executionStartedEventDetails: { input: JSON.stringify(input) } });
const submitted = (id: number, child: string) =>
  event(id, 'TaskSubmitted', {
    taskSubmittedEventDetails: {
      resourceType: 'states',
      resource: 'startExecution.sync:2',
      output: JSON.stringify({ ExecutionArn: child }),
    },
  });
const exited = (id: number, name: string, output: unknown) =>
  event(id, 'TaskStateExited', { stateExitedEventDetails: { name, output: JSON.stringify(output) } });
const succeeded = (id: number, output: unknown) =>
  event(id, 'ExecutionSucceeded', { executionSucceededEventDetails: { output: JSON.stringify(output) } });

describe('sr-backup start --wait', () => {
  const sfn = mockClient(SFNClient);
  let dir: string;
  let config: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'start-wait-'));
    config = await writeConfig(dir, 'backup.yaml', {
      clusters: [
        {
          name: 'prod',
          host: 'fe.internal',
          repository: 's3_repo',
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
        },
      ],
    });
  });

  afterEach(() => {
    sfn.reset();
  });

  afterAll(async () => {
    sfn.restore();
    await rm(dir, { recursive: true, force: true });
  });

  function mockRun(): void {
    nextSecond = 0;
    sfn.on(StartExecutionCommand).resolves({ executionArn: RUN, startDate: new Date(T0) });
    const runFirst = [
      started(1, {}),
      event(2, 'TaskStateEntered', { stateEnteredEventDetails: { name: 'ResolveDatabases', input: '{}' } }),
      exited(3, 'ResolveDatabases', {
        plan: { scheduledTime: '2026-11-24T18:00:00.000Z', preview: ['sales', 'crm'], total: 2, excluded: 1 },
      }),
      submitted(4, LANE),
    ];
    const laneFirst = [started(1, { lane: 0 }), submitted(2, SALES), submitted(3, CRM)];
    const salesFirst = [
      started(1, { database: 'sales', label: 'nightly_sales_20261124T1800Z_0a1b2c3d4e5f' }),
      exited(2, 'SubmitBackup', {
        job: {
          label: 'nightly_sales_20261124T1800Z_0a1b2c3d4e5f',
          starRocksState: 'UPLOADING',
          progress: { done: 1, total: 4 },
          phase: 'running',
          nextWaitSeconds: 10,
        },
      }),
    ];
    const crmFirst = [started(1, { database: 'crm', label: 'nightly_crm_20261124T1800Z_5f4e3d2c1b0a' })];
    const salesAll = [...salesFirst, succeeded(3, { record: { state: 'FINISHED', reason: null } })];
    const crmAll = [
      ...crmFirst,
      succeeded(2, { record: { state: 'FAILED', reason: '[COMMON_ERROR, msg: failed to choose replica]' } }),
    ];
    const laneAll = [...laneFirst, succeeded(4, { more: false })];
    const runAll = [
      ...runFirst,
      event(5, 'ExecutionFailed', {
        executionFailedEventDetails: { error: 'RunHadFailures', cause: '1 FAILED' },
      }),
    ];
    const history = (arn: string, first: HistoryEvent[], all: HistoryEvent[]) =>
      sfn
        .on(GetExecutionHistoryCommand, { executionArn: arn })
        .resolvesOnce({ events: first })
        .resolves({ events: all });
    history(RUN, runFirst, runAll);
    history(LANE, laneFirst, laneAll);
    history(SALES, salesFirst, salesAll);
    history(CRM, crmFirst, crmAll);
    sfn
      .on(DescribeExecutionCommand, { executionArn: RUN })
      .resolves({ status: 'FAILED', error: 'RunHadFailures', cause: '1 FAILED' });
  }

  it('follows the run and its databases with run’s progress lines, then exits 1 for a FAILED database', async () => {
    // Prepare
    mockRun();
    const slept: number[] = [];
    const { io, stdout, stderr } = cliIo();

    // Act
    const code = await runStartCommand(
      { config, cluster: 'prod', stateMachineArn: STATE_MACHINE, wait: true, pollSeconds: 15 },
      io,
      undefined,
      { sleep: async (ms) => void slept.push(ms), interrupt: new AbortController().signal },
    );

    // Assess
    expect(code, stderr()).toBe(1);
    expect(stderr()).toBe('');
    expect(slept).toEqual([15_000]);
    const out = stdout();
    expect(out).toContain('resolving databases');
    expect(out).toMatch(/2 databases to back up.*: sales, crm/);
    expect(out).toContain('sales  UPLOADING 1/4 tasks, next check in 10 s');
    expect(out).toMatch(/sales\s+FINISHED after 3 s/);
    expect(out).toMatch(/crm\s+FAILED: \[COMMON_ERROR, msg: failed to choose replica\]/);
    expect(out).toMatch(/DATABASE\s+STATE\s+SNAPSHOT/);
    expect(out).toContain('ended FAILED: 1 FINISHED, 1 FAILED (RunHadFailures: 1 FAILED)');
  });

  it('prints one JSON document with the status and results', async () => {
    // Prepare
    mockRun();
    const { io, stdout, stderr } = cliIo();

    // Act
    const code = await runStartCommand(
      { config, cluster: 'prod', stateMachineArn: STATE_MACHINE, wait: true, json: true },
      io,
      undefined,
      { sleep: async () => undefined, interrupt: new AbortController().signal },
    );

    // Assess
    expect(code).toBe(1);
    const document = JSON.parse(stdout()) as {
      status: string;
      results: { database: string; state: string }[];
    };
    expect(document.status).toBe('FAILED');
    expect(document.results.map(({ database, state }) => [database, state])).toEqual([
      ['sales', 'FINISHED'],
      ['crm', 'FAILED'],
    ]);
    expect(stderr()).toContain('resolving databases');
  });

  it('stops following on Ctrl-C, says the run goes on, never stops it, and exits 130', async () => {
    // Prepare
    mockRun();
    const interrupt = new AbortController();
    const { io, stderr } = cliIo();

    // Act
    const code = await runStartCommand(
      { config, cluster: 'prod', stateMachineArn: STATE_MACHINE, wait: true },
      io,
      undefined,
      {
        sleep: async () => {
          interrupt.abort();
        },
        interrupt: interrupt.signal,
      },
    );

    // Assess
    expect(code, stderr()).toBe(130);
    expect(stderr()).toContain('stopped following manual-prod-nightly-');
    expect(stderr()).toContain('the run goes on in AWS');
    expect(stderr()).toContain(`sr-backup cancel ${RUN}`);
    expect(sfn.commandCalls(StopExecutionCommand)).toEqual([]);
    expect(sfn.commandCalls(DescribeExecutionCommand)).toEqual([]);
  });
});
