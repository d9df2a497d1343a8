import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertBudget } from '../../../lambdas/catalog/index.ts';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite.ts';

let dynamo: TestDynamo;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

const budget = () =>
  createAlertBudget({
    client: dynamo.client,
    tableName: dynamo.catalogTableName,
    clock: { now: () => Date.UTC(2026, 10, 25, 6, 0, 0) },
  });

describe('per-run alert budget', () => {
  it('grants exactly 3 of 10 concurrent claims and counts the other 7 as held back', async () => {
    // Prepare
    const alerts = budget();

    // Act
    const claims = await Promise.all(
      Array.from({ length: 10 }, () => alerts.claimAlertSlot({ runId: 'run-a', limit: 3 })),
    );

    // Assess
    expect(claims.filter(Boolean)).toHaveLength(3);
    expect(await alerts.readAlertBudget('run-a')).toEqual({ claimed: 3, heldBack: 7 });
  });

  it('keeps the budgets of different runs apart', async () => {
    // Prepare
    const alerts = budget();
    await alerts.claimAlertSlot({ runId: 'run-b', limit: 1 });

    // Act
    const otherRun = await alerts.claimAlertSlot({ runId: 'run-c', limit: 1 });
    const sameRun = await alerts.claimAlertSlot({ runId: 'run-b', limit: 1 });

    // Assess
    expect(otherRun).toBe(true);
    expect(sameRun).toBe(false);
    expect(await alerts.readAlertBudget('run-never')).toEqual({ claimed: 0, heldBack: 0 });
  });

  it('grants nothing when the limit is zero', async () => {
    const alerts = budget();
    expect(await alerts.claimAlertSlot({ runId: 'run-d', limit: 0 })).toBe(false);
    expect(await alerts.readAlertBudget('run-d')).toEqual({ claimed: 0, heldBack: 1 });
  });
});
