import { describe, expect, it } from 'vitest';
import { nameProblem } from '#domain/run-plan/classify-database.ts';

describe('nameProblem', () => {
  it('has nothing to say about a name StarRocks accepts', () => {
    expect(nameProblem('sales')).toBeUndefined();
    expect(nameProblem('sales_2024')).toBeUndefined();
  });

  it("makes a name StarRocks would not accept the database's own FAILED problem, with the way out", () => {
    const problem = nameProblem('2024_archive');
    expect(problem).toEqual({
      state: 'FAILED',
      error: 'InvalidIdentifierError',
      reason: expect.stringContaining('database 2024_archive cannot be backed up'),
    });
    expect(problem?.reason).toContain('rename the database');
  });

  it('keeps the reason within the catalog’s 2,000 characters for an absurdly long name', () => {
    const problem = nameProblem(`x-${'y'.repeat(3000)}`);
    expect(problem?.reason.length).toBeLessThanOrEqual(2000);
  });
});
