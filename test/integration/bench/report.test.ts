import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReportBenchResult, runReportBench } from '#bench/html-report/report-bench.ts';
import { reportGoals, reportTable } from '#bench/html-report/report-table.ts';

describe('report benchmark (smoke size: 12 databases × 20 days, one round)', () => {
  let outDir: string;
  let result: ReportBenchResult;

  beforeAll(async () => {
    mkdirSync(join(process.cwd(), 'bench/.out'), { recursive: true });
    outDir = mkdtempSync(join(process.cwd(), 'bench/.out/smoke-report-'));
    result = await runReportBench({ sizes: [{ databases: 12, days: 20 }], runs: 1, outDir });
  }, 60_000);

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('times the report and the libraries-only baseline in the same rounds', () => {
    // Assess
    expect(result.pages.map((page) => page.name)).toEqual(['baseline', '12×20']);
    const [baseline, report] = result.pages;
    expect(report?.cells).toBe(240);
    expect(report?.bytes).toBeGreaterThan(baseline?.bytes ?? Number.POSITIVE_INFINITY);
    for (const page of result.pages) {
      expect(page.samples.ready).toHaveLength(1);
      expect(page.readyMedianMs).toBeGreaterThan(0);
      expect(page.totalMedianMs).toBeCloseTo(page.readyMedianMs + page.drawAllMedianMs, 6);
    }
    expect(reportTable(result)).toContain('12 databases × 20 days');
  });

  it('states the goals only for the 500 × 365 page', () => {
    // Act
    const goals = reportGoals(result);

    // Assess
    expect(goals).toEqual([]);
  });
});
