/**
 * The files the report inlines: its stylesheet and script (client/), and the chart library, Observable Plot, with
 * d3, which Plot's browser build expects beside it (both minified, from node_modules, as published: nothing is
 * downloaded). Read from disk here, by the CLI.
 *
 * A Lambda bundle has no node_modules and no client/ folder beside it: the CDK construct copies these four files
 * (reportAssetSources) beside the WriteReport bundle, which reads them with readReportAssetsFrom (asset-files.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPORT_ASSET_FILES } from './asset-files.ts';
import type { ReportAssets } from './render.ts';

const require = createRequire(import.meta.url);

function packageFile(packageName: string, path: string): string {
  // Both packages export neither package.json nor dist/ to require; their entry is src/index.js, one level down.
  const root = dirname(dirname(require.resolve(packageName)));
  return join(root, path);
}

/**
 * Where each asset is on this machine, by its name in REPORT_ASSET_FILES: the CDK construct copies these files
 * beside the WriteReport bundle.
 */
export function reportAssetSources(): Record<string, string> {
  const [d3, plot] = REPORT_ASSET_FILES.libraries;
  return {
    [REPORT_ASSET_FILES.css]: fileURLToPath(new URL('./client/report.css', import.meta.url)),
    [d3]: packageFile('d3', 'dist/d3.min.js'),
    [plot]: packageFile('@observablehq/plot', 'dist/plot.umd.min.js'),
    [REPORT_ASSET_FILES.client]: fileURLToPath(new URL('./client/report.js', import.meta.url)),
  };
}

let cached: ReportAssets | undefined;

/** Reads the assets once per process. */
export function loadReportAssets(): ReportAssets {
  if (cached === undefined) {
    const sources = reportAssetSources();
    const read = (name: string) => readFileSync(sources[name] as string, 'utf8');
    cached = {
      css: read(REPORT_ASSET_FILES.css),
      libraries: REPORT_ASSET_FILES.libraries.map(read),
      client: read(REPORT_ASSET_FILES.client),
    };
  }
  return cached;
}
