/**
 * `npm run report:screenshot`: the pictures of docs/report.md, from the seeded catalog (40 databases × 90 days, every
 * outcome) rendered as `sr-backup report` renders it and opened in headless Chromium. Deterministic: the seed and
 * the clock are fixed, so a changed picture means a changed report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { collectReportData, loadReportAssets, renderReport } from '#domain/report/index.ts';
import { callReport, launchChromium, openReport } from './browser.ts';
import { seedReportCatalog } from './seed.ts';
import { inMemoryReportDeps } from './sinks.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const IMAGES = join(ROOT, 'docs/images');
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
/** The sections pictured, and the file each goes to. */
const SHOTS = [
  ['outcomes', 'report-outcomes.png'],
  ['window', 'report-window.png'],
] as const;

const seed = seedReportCatalog({ databases: 40, days: 90, nowMs: NOW });
const data = await collectReportData({ clusters: seed.config.clusters, days: 90 }, inMemoryReportDeps(seed));
const htmlPath = join(ROOT, 'test-artifacts/report/screenshot.html');
mkdirSync(join(ROOT, 'test-artifacts/report'), { recursive: true });
writeFileSync(htmlPath, renderReport(data, loadReportAssets()));
mkdirSync(IMAGES, { recursive: true });

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await openReport(page, pathToFileURL(htmlPath).href);
  await callReport(page, 'drawAll');
  const top = join(IMAGES, 'report-summary.png');
  await page.screenshot({ path: top, clip: { x: 0, y: 0, width: 1200, height: 560 } });
  console.log(`wrote ${top.replace(ROOT, '')}`);
  for (const [section, file] of SHOTS) {
    const path = join(IMAGES, file);
    await page.locator(`#${section}`).screenshot({ path });
    console.log(`wrote ${path.replace(ROOT, '')}`);
  }
} finally {
  await browser.close();
}
