// `sr-backup drill --stack`: the deployed RestoreDrill started and followed, with CloudFormation (the stack's
// outputs) and Step Functions (StartExecution, the execution's history, DescribeExecution) mocked at the SDK
// boundary, a virtual sleep, and Ctrl-C as an abort signal. In process, well under a second.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drillScheduleInput } from '#cdk/constructs/restore-drill.ts';
import type { ClusterConfig } from '#domain/config/index.ts';
import { type DrillJsonDocument, runDrillCommand } from '#local/cli/drill/drill-command.ts';
import { loadConfigFile } from '#local/config/load.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';
import { describeStacksAnswer } from '#test/support/stack-outputs.ts';
import { writeConfig } from './cli-harness.ts';

const STACK = 'StarRocksBackupScheduler';
const OLD_STACK = 'SchedulerWithoutDrills';
const REGION = 'eu-west-1';
const DRILL_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:RestoreDrill';
const EXECUTION_PREFIX = 'arn:aws:states:eu-west-1:123456789012:execution:RestoreDrill:';
const OUTPUTS = {
  CatalogTableName: 'StarRocksBackupScheduler-Catalog1234',
  LocksTableName: 'StarRocksBackupScheduler-Locks5678',
  NightlyBackupStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:NightlyBackup',
};
const T0 = Date.UTC(2026, 10, 29, 17, 0, 5);
const LABEL = 'nightly_sales_20261128T1800Z_0a1b2c3d4e5f';
const SCRATCH = 'drill_sales_202611291700';
// Step Functions API Reference, StartExecution, request parameter `name`: 1 to 80 characters; we keep to these.
const VALID_NAME = /^[A-Za-z0-9_-]{1,80}$/;

type Fired = { readonly executionArn: string };

/** One history event; event `id` happened `id` seconds after T0. */
function event(id: number, type: string, details: Partial<HistoryEvent> = {}): HistoryEvent {
  return { id, type: type as HistoryEvent['type'], timestamp: new Date(T0 + id * 1000), ...details };
}
const entered = (id: number, type: string, name: string, input: unknown) =>
  event(id, `${type}StateEntered`, { stateEnteredEventDetails: { name, input: JSON.stringify(input) } });
const exited = (id: number, name: string, output: unknown) =>
  event(id, 'TaskStateExited', { stateExitedEventDetails: { name, output: JSON.stringify(output) } });

describe('sr-backup drill --stack (the deployed RestoreDrill)', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const sfn = mockClient(SFNClient);
  let dir: string;
  let config: string;
  let prod: ClusterConfig;
  let settings: ReturnType<typeof drillScheduleInput>;
  let fired: Fired;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deployed-drill-'));
    config = await writeConfig(dir, 'backup.yaml', {
      clusters: [
        {
          name: 'prod',
          host: 'fe.internal',
          repository: 's3_repo',
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'Asia/Shanghai' }],
          drill: { database: 'sales', cron: '0 3 ? * SUN *', timezone: 'UTC', timeoutSeconds: 600 },
        },
        {
          name: 'analytics',
          host: 'fe2.internal',
          repository: 's3_repo',
          schedules: [{ name: 'nightly', cron: '0 2 * * ? *', timezone: 'UTC' }],
        },
      ],
    });
    const loaded = await loadConfigFile(config);
    prod = loaded.clusters[0] as ClusterConfig;
    settings = drillScheduleInput(loaded, prod);
  });

  beforeEach(() => {
    const stack = (name: string, outputs: Record<string, string>) =>
      cloudFormation
        .on(DescribeStacksCommand, { StackName: name })
        .resolves(describeStacksAnswer(name, outputs, T0));
    stack(STACK, { ...OUTPUTS, RestoreDrillStateMachineArn: DRILL_MACHINE });
    stack(OLD_STACK, OUTPUTS);
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => {
      fired = { executionArn: `${EXECUTION_PREFIX}${input.name}` };
      return { executionArn: fired.executionArn, startDate: new Date(T0) };
    });
  });

  afterEach(() => {
    cloudFormation.reset();
    sfn.reset();
  });

  afterAll(async () => {
    cloudFormation.restore();
    sfn.restore();
    await rm(dir, { recursive: true, force: true });
  });

  /** The drill's state up to RecordDrill, as the deployed Lambdas would leave it. */
  function stateOf(executionArn: string, extra: Record<string, unknown>) {
    const plan = {
      cluster: 'prod',
      sourceDatabase: 'sales',
      targetDatabase: SCRATCH,
      snapshot: {
        label: LABEL,
        repository: 's3_repo',
        snapshotTimestamp: '2026-11-28-18-00-03-517',
        scheduledTime: '2026-11-28T18:00:00.000Z',
        finishedAt: '2026-11-28T18:04:10.000Z',
        tableCount: 3,
        sizeBytes: null,
      },
      scheduledTime: '2026-11-29T17:00:00.000Z',
      historySeconds: [],
    };
    return {
      cluster: settings.cluster,
      execution: {
        id: executionArn,
        name: executionArn.split(':').at(-1),
        startTime: '2026-11-29T17:00:05.000Z',
      },
      plan,
      runId: executionArn,
      schedule: 'drill',
      scheduledTime: plan.scheduledTime,
      database: SCRATCH,
      label: LABEL,
      slot: { slot: 0, token: 7, leaseExpiresAt: T0 + 3_600_000 },
      lock: { token: 3, leaseExpiresAt: T0 + 3_600_000 },
      restore: {
        label: LABEL,
        snapshotTimestamp: plan.snapshot.snapshotTimestamp,
        repository: 's3_repo',
        sourceDatabase: 'sales',
        targetDatabase: SCRATCH,
        phase: 'finished',
        origin: 'submitted',
        submittedAt: T0 + 3_000,
        deadlineAt: T0 + 603_000,
        checkedAt: T0 + 45_000,
        finishedAt: T0 + 45_000,
        starRocksState: 'FINISHED',
        starRocksJobId: '10042',
        progress: null,
        restoreObjects: null,
        restoreObjectsTruncated: false,
        nextWaitSeconds: 0,
        polls: 3,
        historySeconds: [],
      },
      cleanup: { dropped: true, why: 'dropped' },
      ...extra,
    };
  }

  const CHECK_PASSED = {
    passed: true,
    problem: null,
    tableCount: 3,
    expectedTableCount: 3,
    rowCount: 1200,
    missingTables: [],
    emptyTables: [],
    emptiedTables: [],
  };

  /**
   * Two reads of the history: the first up to the restore, the second to the end (`ending`: the last state
   * entered and the execution's end event), then DescribeExecution's answer.
   */
  function mockHistory(
    final: Record<string, unknown>,
    ending: (state: unknown) => HistoryEvent[],
    described: { status: string; error?: string; cause?: string; output?: unknown },
  ): void {
    sfn.on(GetExecutionHistoryCommand).callsFake(() => {
      const arn = fired.executionArn;
      const state = stateOf(arn, final) as ReturnType<typeof stateOf> & {
        check?: unknown;
        notification?: unknown;
      };
      const first = [
        event(1, 'ExecutionStarted', { executionStartedEventDetails: { input: JSON.stringify(settings) } }),
        entered(2, 'Task', 'PlanDrill', {}),
        exited(3, 'PlanDrill', { plan: state.plan }),
        exited(4, 'SubmitRestore', {
          restore: {
            ...state.restore,
            phase: 'running',
            starRocksState: 'DOWNLOADING',
            nextWaitSeconds: 20,
            progress: { done: 2, total: 5 },
          },
        }),
      ];
      const rest = [
        exited(5, 'VerifyRestore', { check: state.check ?? CHECK_PASSED }),
        exited(6, 'DropScratch', { cleanup: state.cleanup }),
        exited(7, 'RecordDrill', state),
        ...(state.notification === undefined ? [] : [exited(8, 'NotifyDrill', state)]),
        ...ending(state),
      ];
      const calls = sfn.commandCalls(GetExecutionHistoryCommand).length;
      return { events: calls <= 1 ? first : [...first, ...rest] };
    });
    sfn.on(DescribeExecutionCommand).callsFake(() => ({
      status: described.status,
      ...(described.error === undefined ? {} : { error: described.error, cause: described.cause }),
      ...(described.output === undefined ? {} : { output: JSON.stringify(described.output) }),
    }));
  }

  function mockPassedDrill(): void {
    mockHistory(
      { check: CHECK_PASSED, record: { state: 'FINISHED', reason: null } },
      (state) => [
        entered(20, 'Pass', 'DrillPassed', state),
        event(21, 'ExecutionSucceeded', {
          executionSucceededEventDetails: { output: '{"state":"FINISHED"}' },
        }),
      ],
      { status: 'SUCCEEDED', output: { state: 'FINISHED' } },
    );
  }

  const virtualFollow = (slept: number[] = []) => ({
    makeSfn: (region: string) => new SFNClient({ region }),
    follow: { sleep: async (ms: number) => void slept.push(ms), interrupt: new AbortController().signal },
  });

  it('starts the stack’s RestoreDrill with the drill schedule’s input under a manual drill name, follows it, exits 0', async () => {
    // Prepare
    mockPassedDrill();
    const slept: number[] = [];
    const { io, stdout, stderr } = capturedCliIo({ now: T0 });

    // Act
    const code = await runDrillCommand(
      { config, cluster: 'prod', stack: STACK, region: REGION, pollSeconds: 15 },
      io,
      virtualFollow(slept),
    );

    // Assess: the start
    expect(code, stderr()).toBe(0);
    const starts = sfn.commandCalls(StartExecutionCommand);
    expect(starts).toHaveLength(1);
    const request = starts[0]?.args[0].input;
    expect(request?.stateMachineArn).toBe(DRILL_MACHINE);
    expect(request?.name).toMatch(VALID_NAME);
    expect(request?.name).toMatch(/^drill-prod-20261129T1700Z-[0-9a-f]{6}$/);
    // The schedule's input without Scheduler's placeholder: the execution's start is the slot.
    expect(JSON.parse(request?.input ?? 'null')).toEqual({ cluster: settings.cluster });
    expect(settings.cluster.drill?.database).toBe('sales');
    // Assess: following and the result
    expect(slept).toEqual([15_000]);
    const out = stdout();
    expect(out).toContain(`started ${request?.name}`);
    expect(out).toContain(`restoring ${LABEL} into ${SCRATCH}`);
    expect(out).toContain('DOWNLOADING 2/5 tasks; next check in 20 s');
    expect(out).toContain('checked: 3 tables, 1200 rows — OK');
    expect(out).toContain('scratch database dropped');
    expect(out).toContain(`Drill PASSED: sales from ${LABEL} into ${SCRATCH} in 42 s; 3 tables, 1200 rows.`);
    expect(out).toContain('No scratch database is left.');
  });

  it('prints the local drill’s --json document: the record RecordDrill wrote, rebuilt from the history', async () => {
    // Prepare
    mockPassedDrill();
    const { io, stdout, stderr } = capturedCliIo({ now: T0 });

    // Act
    const code = await runDrillCommand(
      { config, cluster: 'prod', stack: STACK, region: REGION, json: true },
      io,
      virtualFollow(),
    );

    // Assess
    expect(code, stderr()).toBe(0);
    const document = JSON.parse(stdout()) as DrillJsonDocument;
    expect(Object.keys(document).sort()).toEqual(
      ['alert', 'cluster', 'database', 'drill', 'error', 'executionArn', 'status'].sort(),
    );
    expect(document).toMatchObject({
      cluster: 'prod',
      database: 'sales',
      status: 'SUCCEEDED',
      executionArn: fired.executionArn,
      alert: null,
      error: null,
    });
    expect(document.drill).toEqual({
      schemaVersion: 1,
      kind: 'drill',
      cluster: 'prod',
      database: 'sales',
      label: LABEL,
      pointKind: 'full',
      repository: 's3_repo',
      snapshotTimestamp: '2026-11-28-18-00-03-517',
      scratchDatabase: SCRATCH,
      runId: fired.executionArn,
      startedAt: '2026-11-29T17:00:05.000Z',
      finishedAt: '2026-11-29T17:00:12.000Z',
      durationSeconds: 42,
      state: 'FINISHED',
      reason: null,
      tableCount: 3,
      emptyTables: [],
      rowCount: 1200,
      scratchDropped: true,
      recordedAt: '2026-11-29T17:00:12.000Z',
    });
    expect(stderr()).toContain('checked: 3 tables, 1200 rows — OK');
  });

  it('maps --scheduled-time to the input’s scheduledTime and the name’s slot', async () => {
    // Prepare
    mockPassedDrill();
    const { io, stderr } = capturedCliIo({ now: T0 });

    // Act
    const code = await runDrillCommand(
      {
        config,
        cluster: 'prod',
        stack: STACK,
        region: REGION,
        scheduledTime: new Date('2026-11-29T03:00:00Z'),
      },
      io,
      virtualFollow(),
    );

    // Assess
    expect(code, stderr()).toBe(0);
    const request = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(JSON.parse(request?.input ?? 'null')).toEqual({
      ...settings,
      scheduledTime: '2026-11-29T03:00:00.000Z',
    });
    expect(request?.name).toMatch(/^drill-prod-20261129T0300Z-[0-9a-f]{6}$/);
  });

  it('exits 1 for a drill whose check failed, with its record and the alert the stack could not deliver', async () => {
    // Prepare
    const check = {
      ...CHECK_PASSED,
      passed: false,
      problem: 'orders is empty',
      rowCount: 800,
      emptyTables: ['orders'],
    };
    const notification = {
      posted: false,
      severity: 'critical',
      title: 'Restore drill FAILED: prod / sales',
      text: 'Restore drill FAILED: prod / sales\norders is empty',
    };
    mockHistory(
      {
        check,
        outcome: { state: 'FAILED', reason: 'orders is empty' },
        record: { state: 'FAILED', reason: 'orders is empty' },
        notification,
      },
      (state) => [
        entered(20, 'Fail', 'DrillCheckFailed', state),
        event(21, 'ExecutionFailed', {
          executionFailedEventDetails: {
            error: 'RestoreCheckFailedError',
            cause: 'The snapshot restored, but the restored database failed the check',
          },
        }),
      ],
      {
        status: 'FAILED',
        error: 'RestoreCheckFailedError',
        cause: 'The snapshot restored, but the restored database failed the check',
      },
    );
    const { io, stdout, stderr } = capturedCliIo({ now: T0 });

    // Act
    const code = await runDrillCommand(
      { config, cluster: 'prod', stack: STACK, region: REGION, json: true },
      io,
      virtualFollow(),
    );

    // Assess
    expect(code).toBe(1);
    const document = JSON.parse(stdout()) as DrillJsonDocument;
    expect(document.status).toBe('FAILED');
    expect(document.error?.name).toBe('RestoreCheckFailedError');
    expect(document.drill).toMatchObject({
      state: 'FAILED',
      reason: 'orders is empty',
      emptyTables: ['orders'],
    });
    expect(document.alert).toEqual({ posted: false, severity: 'critical', title: notification.title });
    expect(stderr()).toContain('Drill FAILED: sales from');
    expect(stderr()).toContain('Slack alert NOT delivered; it read:');
    expect(stderr()).toContain('  │ orders is empty');
  });

  it('exits 0 for a drill skipped by a pause, and says why', async () => {
    // Prepare
    const error = {
      Error: 'ClusterPausedError',
      Cause: JSON.stringify({
        errorType: 'ClusterPausedError',
        errorMessage: 'cluster prod is paused: FE upgrade',
      }),
    };
    sfn.on(GetExecutionHistoryCommand).callsFake(() => ({
      events: [
        event(1, 'ExecutionStarted', { executionStartedEventDetails: { input: JSON.stringify(settings) } }),
        entered(2, 'Pass', 'DrillPaused', { cluster: settings.cluster, error }),
        event(3, 'ExecutionSucceeded', { executionSucceededEventDetails: { output: '{}' } }),
      ],
    }));
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'SUCCEEDED', output: JSON.stringify({ state: 'SKIPPED', error }) });
    const { io, stdout, stderr } = capturedCliIo({ now: T0 });

    // Act
    const code = await runDrillCommand(
      { config, cluster: 'prod', stack: STACK, region: REGION },
      io,
      virtualFollow(),
    );

    // Assess
    expect(code, stderr()).toBe(0);
    expect(stdout()).toContain('Drill SKIPPED: cluster prod is paused: FE upgrade.');
  });

  it('exits 1 when the execution itself failed before the drill recorded anything', async () => {
    // Prepare
    sfn.on(GetExecutionHistoryCommand).callsFake(() => ({
      events: [
        event(1, 'ExecutionStarted', { executionStartedEventDetails: { input: JSON.stringify(settings) } }),
        event(2, 'ExecutionTimedOut', {}),
      ],
    }));
    sfn.on(DescribeExecutionCommand).resolves({ status: 'TIMED_OUT' });
    const { io, stdout } = capturedCliIo({ now: T0 });

    // Act
    const code = await runDrillCommand(
      { config, cluster: 'prod', stack: STACK, region: REGION },
      io,
      virtualFollow(),
    );

    // Assess
    expect(code).toBe(1);
    expect(stdout()).toContain('Drill TIMED_OUT');
  });

  it('exits 2 before starting anything when the stack has no RestoreDrillStateMachineArn output', async () => {
    // Prepare
    const { io, stderr } = capturedCliIo({ now: T0 });

    // Act
    const code = await runDrillCommand(
      { config, cluster: 'prod', region: REGION },
      { ...io, env: { ...io.env, SR_BACKUP_STACK: OLD_STACK } },
      virtualFollow(),
    );

    // Assess
    expect(code).toBe(2);
    expect(stderr()).toContain(`stack ${OLD_STACK} has no output RestoreDrillStateMachineArn`);
    expect(cloudFormation.commandCalls(DescribeStacksCommand, { StackName: OLD_STACK })).toHaveLength(1);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('exits 2 for a cluster without drill settings, without asking AWS', async () => {
    // Prepare
    const { io, stderr } = capturedCliIo({ now: T0 });

    // Act
    const code = await runDrillCommand(
      { config, cluster: 'analytics', stack: STACK, region: REGION },
      io,
      virtualFollow(),
    );

    // Assess
    expect(code).toBe(2);
    expect(stderr()).toContain('cluster "analytics" has no restore drill configured');
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('stops the drill it started on Ctrl-C (the stack settles it) and exits 130', async () => {
    // Prepare
    mockPassedDrill();
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date(T0) });
    const interrupt = new AbortController();
    const { io, stderr } = capturedCliIo({ now: T0 });

    // Act
    const code = await runDrillCommand({ config, cluster: 'prod', stack: STACK, region: REGION }, io, {
      makeSfn: (region) => new SFNClient({ region }),
      follow: { sleep: async () => interrupt.abort(), interrupt: interrupt.signal },
    });

    // Assess
    expect(code).toBe(130);
    expect(stderr()).toContain('the stack cancels its RESTORE job, drops the scratch database');
    expect(sfn.commandCalls(StopExecutionCommand).map((call) => call.args[0].input.executionArn)).toEqual([
      fired.executionArn,
    ]);
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
  });
});
