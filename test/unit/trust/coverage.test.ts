import { describe, expect, it } from 'vitest';
import { assessCoverage } from '#domain/freshness/coverage.ts';

const DATABASES = [
  'sales',
  'sales_eu',
  'crm',
  'scratch_1',
  'marketing',
  'information_schema',
  '_statistics_',
];

describe('coverage drift', () => {
  it('calls a database matched by no include and no exclude pattern uncovered', () => {
    // Act
    const coverage = assessCoverage(
      { include: ['sales*', 'crm'], exclude: ['scratch_*'], schedules: [{}] },
      DATABASES,
    );

    // Assess
    expect(coverage).toEqual({
      covered: ['sales', 'sales_eu', 'crm'],
      excluded: [{ database: 'scratch_1', pattern: 'scratch_*' }],
      uncovered: ['marketing'],
    });
  });

  it('counts a database covered when any schedule selects it, with the schedule’s own patterns', () => {
    // Act
    const coverage = assessCoverage(
      {
        include: ['sales*'],
        exclude: [],
        schedules: [{}, { include: ['marketing', 'crm'], exclude: ['crm'] }],
      },
      DATABASES,
    );

    // Assess
    expect(coverage.covered).toEqual(['sales', 'sales_eu', 'marketing']);
    expect(coverage.excluded).toEqual([{ database: 'crm', pattern: 'crm' }]);
    expect(coverage.uncovered).toEqual(['scratch_1']);
  });

  it('sees no drift on a cluster without schedules, nor in system databases', () => {
    // Act
    const none = assessCoverage({ include: ['sales'], exclude: [], schedules: [] }, DATABASES);
    const system = assessCoverage({ include: ['sales'], exclude: [], schedules: [{}] }, [
      'information_schema',
      'sys',
    ]);

    // Assess
    expect([none.uncovered, system.uncovered]).toEqual([[], []]);
  });
});
