/**
 * Headless Chromium for the report's tests, bench and screenshot: Debian's `chromium` package (installed by .ci/run
 * when missing), driven by playwright-core. Nothing is downloaded; without the browser this throws, so a test that
 * needs it fails rather than skips.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Where Chromium is: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  }
  return path;
}

/** Calls a function of the page script's `window.srReport` (drawAll, pending) and returns its result. */
export function callReport<T>(page: Page, name: keyof ReportGlobal['srReport']): Promise<T> {
  // A function, not a string: the report's Content-Security-Policy forbids eval.
  return page.evaluate(
    (called) => (globalThis as unknown as ReportGlobal).srReport[called](),
    name,
  ) as Promise<T>;
}

/** Waits until the page script has drawn every section that waits for the viewport (or for printing). */
export async function waitUntilAllDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as unknown as ReportGlobal).srReport.pending() === 0);
}

/** What the page script exposes on `window` (the project's types have no DOM). */
interface ReportGlobal {
  readonly srReport: { drawAll(): void; pending(): number };
}

/** Starts headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
}

/** What a page did while it was open: console errors, page errors, and requests other than the file itself. */
export interface PageWatch {
  readonly errors: string[];
  readonly requests: string[];
}

/** Records the page's errors and every request but the report file's own. */
export function watchPage(page: Page, fileUrl: string): PageWatch {
  const watch: PageWatch = { errors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(message.text());
  });
  page.on('pageerror', (error) => watch.errors.push(String(error)));
  page.on('request', (request) => {
    if (request.url() !== fileUrl) watch.requests.push(request.url());
  });
  return watch;
}

/** Opens a report file and waits until its page script says it is drawn. */
export async function openReport(page: Page, fileUrl: string): Promise<void> {
  await page.goto(fileUrl);
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached' });
}
