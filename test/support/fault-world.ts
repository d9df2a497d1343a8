import { createCatalogStore } from '#domain/catalog/index.ts';
import { createLockStore } from '#domain/lock/index.ts';
import { createManualClock, startEmulator } from '#local/emulator/index.ts';
import { localExecutionLiveness } from '#local/runner/execution-registry.ts';
import { startTestDynamo } from './dynalite.ts';
import type { FaultWorld } from './fault-matrix.ts';
import { startSlackSink } from './slack-sink.ts';

/** A started world, with what stops it. */
export type FaultWorldHandle = FaultWorld & { close(): Promise<void> };

/** One emulator, dynalite and Slack sink on one virtual clock, shared by the cells of a matrix file. */
export async function startFaultWorld(): Promise<FaultWorldHandle> {
  const clock = createManualClock(Date.UTC(2026, 10, 24, 2, 0, 5));
  const emulator = await startEmulator({
    scenario: {
      version: '3.5',
      repositories: [{ name: 's3_repo', location: 's3://bucket/backups' }],
      databases: [],
    },
    clock,
  });
  const dynamo = await startTestDynamo();
  const slack = await startSlackSink();
  return {
    emulator,
    dynamo,
    clock,
    slackUrl: slack.url,
    catalog: createCatalogStore({ client: dynamo.client, tableName: dynamo.catalogTableName, clock }),
    // Competitors and seeded holders ask about liveness as a local run does: the runner's registry answers.
    locks: createLockStore({
      client: dynamo.client,
      tableName: dynamo.locksTableName,
      clock,
      livenessOf: localExecutionLiveness,
    }),
    async close() {
      await emulator.close();
      await slack.close();
      await dynamo.close();
    },
  };
}
