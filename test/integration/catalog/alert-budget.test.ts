import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertBudget } from '#domain/catalog/index.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';

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
      Array.from({ length: 10 }, (_, i) =>
        alerts.claimAlertSlot({ runId: 'run-a', claimant: `db${i}`, limit: 3 }),
      ),
    );

    // Assess
    expect(claims.filter(Boolean)).toHaveLength(3);
    expect(await alerts.readAlertBudget('run-a')).toEqual({ claimed: 3, heldBack: 7 });
  });

  it('keeps the budgets of different runs apart', async () => {
    // Prepare
    const alerts = budget();
    await alerts.claimAlertSlot({ runId: 'run-b', claimant: 'sales', limit: 1 });

    // Act
    const otherRun = await alerts.claimAlertSlot({ runId: 'run-c', claimant: 'orders', limit: 1 });
    const sameRun = await alerts.claimAlertSlot({ runId: 'run-b', claimant: 'orders', limit: 1 });

    // Assess
    expect(otherRun).toBe(true);
    expect(sameRun).toBe(false);
    expect(await alerts.readAlertBudget('run-never')).toEqual({ claimed: 0, heldBack: 0 });
  });

  it('grants nothing when the limit is zero', async () => {
    const alerts = budget();
    expect(await alerts.claimAlertSlot({ runId: 'run-d', claimant: 'sales', limit: 0 })).toBe(false);
    expect(await alerts.readAlertBudget('run-d')).toEqual({ claimed: 0, heldBack: 1 });
  });

  it('grants a retried claim of the same database again without spending another slot', async () => {
    // Prepare
    const alerts = budget();
    await alerts.claimAlertSlot({ runId: 'run-e', claimant: 'sales', limit: 2 });

    // Act
    const retried = await Promise.all([
      alerts.claimAlertSlot({ runId: 'run-e', claimant: 'sales', limit: 2 }),
      alerts.claimAlertSlot({ runId: 'run-e', claimant: 'sales', limit: 2 }),
    ]);
    const other = await alerts.claimAlertSlot({ runId: 'run-e', claimant: 'orders', limit: 2 });
    const late = await alerts.claimAlertSlot({ runId: 'run-e', claimant: 'events', limit: 2 });
    await alerts.claimAlertSlot({ runId: 'run-e', claimant: 'events', limit: 2 });

    // Assess
    expect(retried).toEqual([true, true]);
    expect(other).toBe(true);
    expect(late).toBe(false);
    expect(await alerts.readAlertBudget('run-e')).toEqual({ claimed: 2, heldBack: 1 });
  });
});
