/**
 * The four files a report inlines, by the names they have in a directory of their own: the deployed WriteReport
 * function finds them beside its bundle (the CDK construct copies them there), since a Lambda bundle has no
 * node_modules and no client/ folder to read them from (assets.ts reads those, for the CLI).
 */
import { readFileSync } from 'node:fs';
import type { ReportAssets } from './render.ts';

/** The file names, in the order ReportAssets holds them (the libraries: d3, then Observable Plot). */
export const REPORT_ASSET_FILES = {
  css: 'report.css',
  libraries: ['d3.min.js', 'plot.umd.min.js'],
  client: 'report.js',
} as const;

/** Where the CDK construct puts the files, beside the WriteReport bundle (index.mjs). */
export const BUNDLED_REPORT_ASSETS_DIRECTORY = 'report-assets/';

/** Every file name of {@link REPORT_ASSET_FILES}. */
export function reportAssetFileNames(): string[] {
  return [REPORT_ASSET_FILES.css, ...REPORT_ASSET_FILES.libraries, REPORT_ASSET_FILES.client];
}

/** Reads the assets from `directory` (a `file:` URL ending in `/`), where they carry REPORT_ASSET_FILES' names. */
export function readReportAssetsFrom(directory: URL): ReportAssets {
  const read = (name: string) => readFileSync(new URL(name, directory), 'utf8');
  return {
    css: read(REPORT_ASSET_FILES.css),
    libraries: REPORT_ASSET_FILES.libraries.map(read),
    client: read(REPORT_ASSET_FILES.client),
  };
}
