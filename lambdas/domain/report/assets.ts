/**
 * The files the report inlines: its stylesheet and script (client/), and the chart library, Observable Plot, with
 * d3, which Plot's browser build expects beside it (both minified, from node_modules, as published: nothing is
 * downloaded). Read from disk here, by the CLI.
 *
 * A Lambda bundle has no node_modules and no client/ folder beside it: a deployed report function should import
 * these four files as text instead, so esbuild inlines them into the bundle (the `text` loader:
 * `loader: { '.css': 'text', '.js': 'text' }` for these imports, with `conditions: ['umd']` so `import plot from
 * '@observablehq/plot'` resolves to its minified browser build (both packages export it under `umd`),
 * or a module generated from them at build time) and pass the same ReportAssets to renderReport.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ReportAssets } from './render.ts';

const require = createRequire(import.meta.url);

function packageFile(packageName: string, path: string): string {
  // Both packages export neither package.json nor dist/ to require; their entry is src/index.js, one level down.
  const root = dirname(dirname(require.resolve(packageName)));
  return readFileSync(join(root, path), 'utf8');
}

let cached: ReportAssets | undefined;

/** Reads the assets once per process. */
export function loadReportAssets(): ReportAssets {
  cached ??= {
    css: readFileSync(new URL('./client/report.css', import.meta.url), 'utf8'),
    libraries: [
      packageFile('d3', 'dist/d3.min.js'),
      packageFile('@observablehq/plot', 'dist/plot.umd.min.js'),
    ],
    client: readFileSync(new URL('./client/report.js', import.meta.url), 'utf8'),
  };
  return cached;
}
