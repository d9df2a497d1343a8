/**
 * §5, run rather than computed: the same model nights (bench/differential/model.ts) applied to two copies of the
 * database in the FE emulator, one backed up by a full schedule and one by a differential schedule (`fullEvery: 7`),
 * each night a whole nightly run of the real ASL in the local interpreter with the real Lambdas and dynalite, on a
 * virtual clock. The emulator uploads at a stated rate (a job's duration is its bytes over that rate), so the
 * backup times are the workflow's own (submit to the check that saw FINISHED). The newest point of the
 * differential copy is then restored with `sr-backup restore` (a chain restore) and compared with the source
 * partition by partition.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { stringify } from 'yaml';
import type { BackupAttempt } from '#domain/catalog/schema.ts';
import { runRestoreCommand } from '#local/cli/restore/restore-command.ts';
import type { EmulatorScenario, EmulatorTableContents } from '#local/emulator/index.ts';
import { capturedCliIo } from '#test/support/cli-io.ts';
import { startWorkflowHarness, type WorkflowHarness } from '#test/support/workflow-harness.ts';
import { DIFFERENTIAL_MODEL, type ModelDatabase, type ModelTable, simulateNights } from './model.ts';

/** The copy a full schedule backs up every night, and the copy a differential schedule backs up. */
const FULL_COPY = 'dw_full_nightly';
const DIFFERENTIAL_COPY = 'dw_differential';
const REPOSITORY = 's3_repo';
const DAY_MS = 86_400_000;
/** Night n's slot: 02:00 UTC of the model's day n. */
const FIRST_SLOT = Date.UTC(2026, 10, 1, 2);
/** A row is this many bytes in the emulator's tables (rows only make the restore comparison row for row). */
const BYTES_PER_ROW = 1_000_000;

/** One night of one schedule, as the workflow recorded it and the repository holds it. */
export interface WorkflowNightFigures {
  readonly state: BackupAttempt['state'];
  readonly reason: string | null;
  readonly mode: 'full' | 'differential';
  /** Bytes of the partitions the snapshot holds (0 when no BACKUP was sent). */
  readonly bytes: number;
  /** The workflow's own duration of the backup (null when none ran). */
  readonly seconds: number | null;
}

/** §5 through the workflow. */
export interface WorkflowNightsResult {
  readonly nights: readonly {
    readonly night: number;
    readonly fullNightly: WorkflowNightFigures;
    readonly differential: WorkflowNightFigures;
  }[];
  readonly uploadBytesPerSecond: number;
  /** The newest point of the differential copy, restored by `sr-backup restore` as a chain. */
  readonly restore: {
    readonly exitCode: number;
    readonly state: string;
    readonly fullLabel: string | null;
    readonly differentialLabel: string | null;
    /** Partitions whose rows, bytes or version differ from the source at the last night (must be 0). */
    readonly mismatchedPartitions: number;
    readonly comparedPartitions: number;
  };
  readonly wallSeconds: number;
}

function rowsOf(bytes: number): number {
  return Math.max(1, Math.round(bytes / BYTES_PER_ROW));
}

function rangeOf(name: string): { from: string; to: string } {
  const day = `${name.slice(1, 5)}-${name.slice(5, 7)}-${name.slice(7, 9)}`;
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return { from: day, to: next };
}

function scenarioTable(table: ModelTable) {
  if (table.partitioning !== 'RANGE') {
    const [only] = table.partitions;
    return { name: table.name, rows: rowsOf(only?.bytes ?? 0), sizeBytes: Math.round(only?.bytes ?? 0) };
  }
  return {
    name: table.name,
    partitioning: 'RANGE' as const,
    partitions: table.partitions.map((partition) => ({
      name: partition.name,
      rows: rowsOf(partition.bytes),
      sizeBytes: Math.round(partition.bytes),
      range: rangeOf(partition.name),
    })),
  };
}

function scenarioOf(database: ModelDatabase, uploadBytesPerSecond: number): EmulatorScenario {
  const tables = [
    ...database.tables.map(scenarioTable),
    ...database.views.map((name) => ({ name, type: 'VIEW' as const })),
  ];
  return {
    version: '3.3',
    feTimeZone: 'UTC',
    repositories: [{ name: REPOSITORY, location: 's3a://bench/backups' }],
    databases: [FULL_COPY, DIFFERENTIAL_COPY].map((name) => ({ name, tables })),
    uploadBytesPerSecond,
  };
}

/** Applies what the model did between two nights to one copy, through the emulator's state API. */
function applyNight(
  harness: WorkflowHarness,
  copy: string,
  before: ModelDatabase,
  after: ModelDatabase,
): void {
  const state = harness.emulator.state;
  for (const table of after.tables) {
    const earlier = new Map(
      (before.tables.find((entry) => entry.name === table.name)?.partitions ?? []).map((p) => [p.name, p]),
    );
    const now = new Set(table.partitions.map((partition) => partition.name));
    for (const name of earlier.keys()) if (!now.has(name)) state.dropPartition(copy, table.name, name);
    for (const partition of table.partitions) {
      const old = earlier.get(partition.name);
      if (old === undefined) {
        state.addPartition(copy, table.name, {
          name: partition.name,
          rows: rowsOf(partition.bytes),
          sizeBytes: Math.round(partition.bytes),
          range: rangeOf(partition.name),
        });
      } else if (old.id !== partition.id) {
        state.replacePartition(copy, table.name, partition.name, {
          rows: rowsOf(partition.bytes),
          sizeBytes: Math.round(partition.bytes),
        });
      } else if (old.version !== partition.version) {
        const grown = Math.max(1, Math.round(partition.bytes - old.bytes));
        state.load(copy, table.name, partition.name, { rows: rowsOf(grown), sizeBytes: grown });
      }
    }
  }
}

function snapshotBytes(harness: WorkflowHarness, label: string): number {
  const tables = harness.emulator.state.snapshotContents(REPOSITORY, label) ?? [];
  return tables.reduce(
    (sum, table) => sum + table.partitions.reduce((inner, partition) => inner + partition.sizeBytes, 0),
    0,
  );
}

async function runNight(
  harness: WorkflowHarness,
  copy: string,
  slot: number,
  schedule: Record<string, unknown>,
): Promise<WorkflowNightFigures> {
  const run = await harness.run({
    cluster: { schedules: [schedule] },
    databases: [copy],
    scheduledTime: new Date(slot),
  });
  const { items } = await harness.catalog.listRun({ runId: run.executionArn });
  const item = items[0];
  if (item === undefined)
    throw new Error(`night at ${new Date(slot).toISOString()}: no catalog item for ${copy}`);
  const backedUp = item.state === 'FINISHED';
  return {
    state: item.state,
    reason: item.reason,
    mode: item.mode ?? 'full',
    bytes: backedUp ? snapshotBytes(harness, item.label) : 0,
    seconds: backedUp ? item.durationSeconds : null,
  };
}

/** Partition by partition: rows, bytes and visible version (names sorted). */
function partitionsOf(tables: readonly EmulatorTableContents[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const table of tables ?? []) {
    for (const partition of table.partitions) {
      out.set(
        `${table.name}.${partition.name}`,
        `${partition.rows}/${partition.sizeBytes}/${partition.visibleVersion}`,
      );
    }
  }
  return out;
}

async function restoreNewestPoint(harness: WorkflowHarness): Promise<WorkflowNightsResult['restore']> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-differential-'));
  try {
    const config = join(dir, 'backup.yaml');
    await writeFile(
      config,
      stringify({
        clusters: [
          {
            name: harness.clusterName,
            host: harness.emulator.host,
            port: harness.emulator.port,
            repository: REPOSITORY,
            maxConcurrentBackups: 4,
            timeoutSeconds: 6 * 3600,
            schedules: [],
          },
        ],
      }),
    );
    const captured = capturedCliIo({ now: () => harness.clock.now(), env: { STARROCKS_PASSWORD: '' } });
    const exitCode = await runRestoreCommand(
      {
        config,
        cluster: harness.clusterName,
        database: DIFFERENTIAL_COPY,
        as: `${DIFFERENTIAL_COPY}_restored`,
        execute: true,
        json: true,
        dynamodbEndpoint: harness.dynamo.endpoint,
      },
      captured.io,
      {
        makeSfn: () => new SFNClient({ region: 'eu-west-1' }),
        sleep: () => Promise.resolve(),
        pollSeconds: 1,
        localSleep: async (ms) => harness.clock.advance(ms),
      },
    );
    const document = JSON.parse(captured.stdout() || '{}') as {
      state?: string;
      chain?: { full: { label: string }; differential: { label: string } };
    };
    const source = partitionsOf(harness.emulator.state.contents(DIFFERENTIAL_COPY));
    const restored = partitionsOf(harness.emulator.state.contents(`${DIFFERENTIAL_COPY}_restored`));
    const names = new Set([...source.keys(), ...restored.keys()]);
    const mismatched = [...names].filter((name) => source.get(name) !== restored.get(name)).length;
    return {
      exitCode,
      state: document.state ?? 'UNKNOWN',
      fullLabel: document.chain?.full.label ?? null,
      differentialLabel: document.chain?.differential.label ?? null,
      mismatchedPartitions: mismatched,
      comparedPartitions: names.size,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs the model's nights through the workflow, both schedules, and restores the newest differential point. */
export async function runDifferentialWorkflowBench(options: {
  readonly uploadBytesPerSecond: number;
  readonly nights?: number;
  readonly log?: (line: string) => void;
}): Promise<WorkflowNightsResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const model = {
    ...DIFFERENTIAL_MODEL,
    nights: options.nights ?? DIFFERENTIAL_MODEL.nights,
  } as typeof DIFFERENTIAL_MODEL;
  const { databases } = simulateNights(model);
  const harness = await startWorkflowHarness(
    scenarioOf(databases[0] as ModelDatabase, options.uploadBytesPerSecond),
  );
  try {
    const nights: WorkflowNightsResult['nights'][number][] = [];
    for (let night = 1; night <= model.nights; night += 1) {
      const slot = FIRST_SLOT + (night - 1) * DAY_MS;
      harness.clock.set(Math.max(harness.clock.now(), slot + 5_000));
      for (const copy of [FULL_COPY, DIFFERENTIAL_COPY]) {
        applyNight(harness, copy, databases[night - 1] as ModelDatabase, databases[night] as ModelDatabase);
      }
      const fullNightly = await runNight(harness, FULL_COPY, slot, {
        name: 'nightly',
        cron: '0 2 * * ? *',
      });
      const differential = await runNight(harness, DIFFERENTIAL_COPY, slot, {
        name: 'nightly',
        cron: '0 2 * * ? *',
        mode: 'differential',
        fullEvery: model.fullEveryNights,
      });
      nights.push({ night, fullNightly, differential });
      if (night % 10 === 0) log(`§5 through the workflow: night ${night} of ${model.nights}`);
    }
    const restore = await restoreNewestPoint(harness);
    return {
      nights,
      uploadBytesPerSecond: options.uploadBytesPerSecond,
      restore,
      wallSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await harness.close();
  }
}
