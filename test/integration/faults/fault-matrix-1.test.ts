import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applies, FAULTS, runCell, STATE_PATHS } from '#test/support/fault-matrix.ts';
import { type FaultWorldHandle, startFaultWorld } from '#test/support/fault-world.ts';

// The fault matrix (test/support/fault-matrix.ts, docs/locking.md), part 1: leases, locks, slots and aborts.
// About 100 cells on the virtual clock; 35–45 s on 2 cores.
let world: FaultWorldHandle;

beforeAll(async () => {
  world = await startFaultWorld();
});

afterAll(async () => {
  await world.close();
});

const cells = FAULTS.slice(0, 4).flatMap((fault) =>
  Object.keys(STATE_PATHS)
    .filter((state) => applies(fault, state))
    .map((state) => [fault, state] as const),
);

describe('fault matrix: every invariant holds after each fault at each state of BackupDatabase', () => {
  it.each(cells)('%s at %s', async (fault, state) => {
    // Act
    const report = await runCell(world, fault, state);

    // Assess
    expect(report.fired, 'the faulted execution reached the state').toBe(true);
    expect(report.violations).toEqual([]);
  });
});
