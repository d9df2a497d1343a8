// The report as a person sees it, in headless Chromium: about 25 s (13 s of it seeding 40 databases × 90 nights
// through the real catalog store on dynalite). Screenshots of every section go to test-artifacts/report/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSeconds } from '#domain/report/format.ts';
import {
  collectReportData,
  loadReportAssets,
  OUTCOME_LEGEND,
  type ReportData,
  renderReport,
} from '#domain/report/index.ts';
import { writeLocalReport } from '#local/cli/report/write-report.ts';
import { startTestDynamo, type TestDynamo } from '#test/support/dynalite.ts';
import {
  callReport,
  launchChromium,
  openReport,
  type PageWatch,
  waitUntilAllDrawn,
  watchPage,
} from '#test/support/report/browser.ts';
import { type SeededCatalog, seedReportCatalog } from '#test/support/report/seed.ts';
import { inMemoryReportDeps, writeSeededCatalog } from '#test/support/report/sinks.ts';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const DAYS = 90;
const DAY_MS = 86_400_000;
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/report', import.meta.url));
const SECTIONS = ['outcomes', 'databases', 'window', 'freshness', 'drills', 'coverage', 'failures', 'notes'];

let browser: Browser;
let dynamo: TestDynamo;
let seed: SeededCatalog;
let data: ReportData;
let page: Page;
let watch: PageWatch;
let fileUrl: string;

/** Elements matching `selector` inside `root` (a CSS selector), counted in the page. */
function count(selector: string): Promise<number> {
  return page.locator(selector).count();
}

function colourOf(code: string): string {
  const colours: Record<string, string> = {
    F: '#3a9e6a',
    X: '#d1432f',
    T: '#f0892a',
    S: '#9db6d8',
    L: '#7b4fa6',
    P: '#b8bcc4',
    M: '#262a33',
  };
  return colours[code] as string;
}

beforeAll(async () => {
  // Prepare: Chromium first, so a machine without it fails at once.
  browser = await launchChromium();
  dynamo = await startTestDynamo();
  seed = seedReportCatalog({ databases: 40, days: DAYS, nowMs: NOW });
  await writeSeededCatalog(seed, { client: dynamo.client, tableName: dynamo.catalogTableName });
  mkdirSync(ARTIFACTS, { recursive: true });
  const written = await writeLocalReport(
    { clusters: seed.config.clusters, days: DAYS, out: join(ARTIFACTS, 'report.html') },
    { client: dynamo.client, tableName: dynamo.catalogTableName, clock: { now: () => NOW } },
  );
  data = written.data;
  fileUrl = pathToFileURL(written.path).href;
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  watch = watchPage(page, fileUrl);
  await openReport(page, fileUrl);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dynamo?.close();
});

describe('the report of 40 databases over 90 days, in Chromium', () => {
  it('colours one cell per database and day with a slot, as many of each outcome as the catalog holds', async () => {
    // Prepare
    const expected = new Map<string, number>();
    let cells = 0;
    for (const days of seed.truth.values()) {
      for (const outcome of days.values()) {
        expected.set(colourOf(outcome), (expected.get(colourOf(outcome)) ?? 0) + 1);
        cells += 1;
      }
    }

    // Act
    await callReport(page, 'drawAll');
    const fills = await page
      .locator('#heatmap g.sr-heat-cells rect')
      .evaluateAll((rects) => rects.map((rect) => rect.getAttribute('fill') ?? ''));
    const drawn: Record<string, number> = {};
    for (const fill of fills) drawn[fill] = (drawn[fill] ?? 0) + 1;

    // Assess
    expect(Object.values(drawn).reduce((sum, n) => sum + n, 0)).toBe(cells);
    expect(drawn).toEqual(Object.fromEntries(expected));
    for (const code of ['F', 'X', 'T', 'S', 'L', 'P', 'M']) expect(drawn[colourOf(code)]).toBeGreaterThan(0);
  });

  it('draws every chart with one mark per recorded attempt, drill and day', async () => {
    // Prepare
    const inPeriod = seed.attempts
      .map((item) => item.attempt)
      .filter((attempt) => Date.parse(attempt.scheduledTime) >= seed.period.fromMs);
    const withDuration = inPeriod.filter((attempt) => attempt.durationSeconds !== null).length;
    const withSize = inPeriod.filter((attempt) => attempt.sizeBytes !== null).length;
    const anomalyIndex = data.databases.findIndex(
      (db) => db.name === seed.anomaly.database && data.clusters[db.cluster]?.name === seed.anomaly.cluster,
    );
    const anomalySizes = inPeriod.filter(
      (attempt) => attempt.database === seed.anomaly.database && attempt.sizeBytes !== null,
    ).length;
    const nightsWithJobs = (cluster: string) =>
      new Set(
        inPeriod.filter((a) => a.cluster === cluster && a.startedAt !== null).map((a) => a.scheduledTime),
      ).size;
    const night = Number(await page.locator('#night').inputValue());
    const nightStart = Date.parse(`${data.period.firstDay}T00:00:00Z`) + night * DAY_MS;
    const jobsThatNight = inPeriod.filter((attempt) => {
      const slot = Date.parse(attempt.scheduledTime);
      return slot >= nightStart && slot < nightStart + DAY_MS && attempt.startedAt !== null;
    }).length;
    const drills = seed.drills.filter((drill) => Date.parse(drill.startedAt) >= seed.period.fromMs).length;

    // Act
    await callReport(page, 'drawAll');

    // Assess
    expect(await count('#cards g.sr-duration-dots > *')).toBe(withDuration);
    expect(await count('#cards g.sr-size-dots > *')).toBe(withSize);
    expect(await count(`#card-${anomalyIndex} g.sr-size-dots > *`)).toBe(anomalySizes);
    expect(await count(`#card-${anomalyIndex} g.sr-size-anomalies > *`)).toBe(1);
    expect(await count('#cards g.sr-rpo-line path')).toBe(data.databases.length - 1);
    expect(await count('#cards g.sr-objective line')).toBe(
      data.databases.filter((db) => db.freshness.objectiveSeconds !== null).length,
    );
    const windowBars = await page
      .locator('#window-overview g.sr-window-bars')
      .evaluateAll((groups) => groups.map((group) => group.children.length));
    expect(windowBars).toEqual([nightsWithJobs('prod'), nightsWithJobs('analytics')]);
    expect(await count('#window-night g.sr-night-jobs > *')).toBe(jobsThatNight);
    expect(await count('#freshness-chart g.sr-freshness-bars > *')).toBe(DAYS);
    expect(await count('#drills-chart g.sr-drill-dots > *')).toBe(drills);
    expect(await count('#failures-table tbody tr')).toBe(Math.min(seed.failedAttempts, 200));
    expect(await page.locator('#failures-table caption').textContent()).toContain(
      `${seed.failedAttempts} failed or timed-out attempts`,
    );
    for (const section of SECTIONS) {
      await page.locator(`#${section}`).screenshot({ path: join(ARTIFACTS, `${section}.png`) });
    }
  });

  it("shows a failed cell's label, duration, size and error on hover and in the table", async () => {
    // Prepare
    const known = seed.knownFailure;
    const point = await page.locator('#heatmap svg').evaluateAll(
      (svgs, { database, day, firstDay }) => {
        type Scale = { domain: unknown[]; apply(value: unknown): number; bandwidth?: number };
        for (const svg of svgs as Array<(typeof svgs)[number] & { scale?(name: 'x' | 'y'): Scale }>) {
          if (typeof svg.scale !== 'function' || !svg.scale('y').domain.includes(database)) continue;
          svg.scrollIntoView({ block: 'center' });
          const x = svg.scale('x').apply(new Date(Date.parse(`${firstDay}T12:00:00Z`) + day * 86_400_000));
          const y = svg.scale('y').apply(database) + (svg.scale('y').bandwidth ?? 0) / 2;
          const box = svg.getBoundingClientRect();
          const ratio = box.width / svg.width.baseVal.value;
          return { x: box.left + x * ratio, y: box.top + y * ratio };
        }
        return null;
      },
      { database: known.database, day: known.day, firstDay: data.period.firstDay },
    );
    expect(point).not.toBeNull();

    // Act
    await page.mouse.move((point as { x: number }).x, (point as { y: number }).y);
    await page.locator('#cell-detail', { hasText: known.label }).waitFor();
    const hover = (await page.locator('#cell-detail').textContent()) ?? '';
    await page.locator('#cell-detail').screenshot({ path: join(ARTIFACTS, 'hover.png') });
    const db = data.databases.findIndex((candidate) => candidate.name === known.database);
    await page.locator('#cell-database').selectOption(String(db));
    await page.locator('#cell-table tbody', { hasText: known.label }).waitFor();
    const row = (await page.locator(`#cell-table tbody tr[data-day="${known.day}"]`).textContent()) ?? '';

    // Assess
    const seeded = seed.attempts.find((item) => item.attempt.label === known.label)?.attempt;
    expect(hover).toContain(`${known.database} (prod)`);
    expect(hover).toContain('FAILED');
    expect(hover).toContain(known.label);
    expect(hover).toContain(known.reason);
    expect(hover).toContain(`· ${formatSeconds(seeded?.durationSeconds ?? null)}`);
    expect(hover).toContain('Run: arn:aws:states:');
    expect(hover).toContain('Hint: A tablet had no healthy replica');
    expect(row).toContain('FAILED');
    expect(row).toContain(known.label);
    expect(row).toContain(known.reason);
  });

  it('draws what is still waiting to be drawn when printed, and prints to PDF', async () => {
    // Prepare: a fresh page, scrolled nowhere, has sections waiting for the viewport.
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const freshWatch = watchPage(fresh, fileUrl);
    await openReport(fresh, fileUrl);
    const waitingBefore = await callReport<number>(fresh, 'pending');

    // Act
    await fresh.emulateMedia({ media: 'print' });
    await waitUntilAllDrawn(fresh);
    const pdf = await fresh.pdf({ format: 'A4', landscape: true, printBackground: true });
    writeFileSync(join(ARTIFACTS, 'report.pdf'), pdf);
    await fresh.close();

    // Assess
    expect(waitingBefore).toBeGreaterThan(0);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(SECTIONS.length);
    expect(freshWatch.errors).toEqual([]);
    expect(freshWatch.requests).toEqual([]);
  });

  it('names every outcome in its legend, made no request and logged no error', async () => {
    // Act
    const legend = (await page.locator('.legend').textContent()) ?? '';

    // Assess
    for (const { name, code } of OUTCOME_LEGEND) {
      if (code !== 'U') expect(legend).toContain(name);
    }
    expect(watch.requests).toEqual([]);
    expect(watch.errors).toEqual([]);
  });
});

describe('the report of 45 databases: more than the cards drawn at once', () => {
  it('draws cards for 40 databases, the failed ones among them, and any other on request', async () => {
    // Prepare
    const many = seedReportCatalog({ databases: 45, days: 14, nowMs: NOW });
    const manyData = await collectReportData(
      { clusters: many.config.clusters, days: 14 },
      inMemoryReportDeps(many),
    );
    const path = join(ARTIFACTS, 'report-45.html');
    writeFileSync(path, renderReport(manyData, loadReportAssets()));
    const url = pathToFileURL(path).href;
    const opened = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const openedWatch = watchPage(opened, url);
    await openReport(opened, url);
    await callReport(opened, 'drawAll');
    const shown = await opened
      .locator('#cards article.card')
      .evaluateAll((cards) => cards.map((card) => Number(card.id.replace('card-', ''))));
    const hidden = manyData.databases.map((_, index) => index).filter((index) => !shown.includes(index));
    const failedIndexes = manyData.databases
      .map((db, index) => ({ index, failed: [...db.o].some((code) => 'XTLM'.includes(code)) }))
      .filter((db) => db.failed)
      .map((db) => db.index);

    // Act
    await opened.locator('#card-database').selectOption(String(hidden[0]));
    const added = opened.locator(`#card-${hidden[0]} svg`);
    await added.first().waitFor();

    // Assess
    expect(shown).toHaveLength(40);
    expect(hidden).toHaveLength(5);
    for (const index of failedIndexes.slice(0, 40)) expect(shown).toContain(index);
    expect(await added.count()).toBe(3);
    expect(openedWatch.errors).toEqual([]);
    expect(openedWatch.requests).toEqual([]);
    await opened.close();
  });
});
